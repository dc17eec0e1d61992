#include "docking/adb/adb_message.hpp"

#include <array>
#include <cstdio>

namespace dockscan::docking::adb {
namespace {

void put_u32(std::uint8_t* out, std::uint32_t value) {
    for (unsigned i = 0; i < 4; ++i) {
        out[i] = static_cast<std::uint8_t>(value >> (8u * i));
    }
}

std::uint32_t get_u32(const std::uint8_t* in) {
    return static_cast<std::uint32_t>(in[0]) | static_cast<std::uint32_t>(in[1]) << 8u |
           static_cast<std::uint32_t>(in[2]) << 16u | static_cast<std::uint32_t>(in[3]) << 24u;
}

} // namespace

std::uint32_t data_checksum(std::string_view data) {
    std::uint32_t sum = 0;
    for (const char c : data) {
        sum += static_cast<unsigned char>(c);
    }
    return sum;
}

std::string command_name(std::uint32_t command) {
    std::string name;
    for (unsigned i = 0; i < 4; ++i) {
        const char c = static_cast<char>(command >> (8u * i));
        if (c < 'A' || c > 'Z') {
            char hex[16];
            std::snprintf(hex, sizeof hex, "0x%08x", command);
            return hex;
        }
        name.push_back(c);
    }
    return name;
}

Expected<void> write_message(ByteTransport& transport, const Message& message) {
    std::array<std::uint8_t, 24> header{};
    put_u32(&header[0], message.command);
    put_u32(&header[4], message.arg0);
    put_u32(&header[8], message.arg1);
    put_u32(&header[12], static_cast<std::uint32_t>(message.data.size()));
    // Old adbd (before 0x01000001) checks the sum; newer ones accept it too.
    put_u32(&header[16], data_checksum(message.data));
    put_u32(&header[20], message.command ^ 0xffffffffu);
    DOCKSCAN_TRY(transport.write_all(header));
    if (!message.data.empty()) {
        DOCKSCAN_TRY(transport.write_all(std::span<const std::uint8_t>(
            reinterpret_cast<const std::uint8_t*>(message.data.data()), message.data.size())));
    }
    return {};
}

Expected<Message> read_message(ByteTransport& transport, std::uint32_t max_data) {
    std::array<std::uint8_t, 24> header{};
    DOCKSCAN_TRY(transport.read_exact(header));
    Message message;
    message.command = get_u32(&header[0]);
    message.arg0 = get_u32(&header[4]);
    message.arg1 = get_u32(&header[8]);
    const std::uint32_t length = get_u32(&header[12]);
    const std::uint32_t checksum = get_u32(&header[16]);
    if (get_u32(&header[20]) != (message.command ^ 0xffffffffu)) {
        return fail(ErrorCode::malformed, "the phone sent a damaged ADB message (bad magic)");
    }
    if (length > max_data) {
        return fail(ErrorCode::too_large, "the phone sent an ADB message of " +
                                              std::to_string(length) + " bytes, over the " +
                                              std::to_string(max_data) + " agreed");
    }
    message.data.resize(length);
    if (length > 0) {
        DOCKSCAN_TRY(transport.read_exact(
            std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(message.data.data()), length)));
    }
    // Since version 0x01000001 a sender may leave the checksum 0.
    if (checksum != 0 && checksum != data_checksum(message.data)) {
        return fail(ErrorCode::malformed, "the phone sent a damaged ADB message (bad checksum)");
    }
    return message;
}

} // namespace dockscan::docking::adb
