#pragma once

// ADB transport messages: a 24-byte little-endian header (command, arg0, arg1, data
// length, data checksum, magic = command ^ 0xffffffff) and up to `max_data` bytes.

#include "docking/adb/byte_transport.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace dockscan::docking::adb {

constexpr std::uint32_t command_id(const char (&name)[5]) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(name[0])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(name[1])) << 8u |
           static_cast<std::uint32_t>(static_cast<unsigned char>(name[2])) << 16u |
           static_cast<std::uint32_t>(static_cast<unsigned char>(name[3])) << 24u;
}

inline constexpr std::uint32_t k_cnxn = command_id("CNXN");
inline constexpr std::uint32_t k_auth = command_id("AUTH");
inline constexpr std::uint32_t k_open = command_id("OPEN");
inline constexpr std::uint32_t k_okay = command_id("OKAY");
inline constexpr std::uint32_t k_wrte = command_id("WRTE");
inline constexpr std::uint32_t k_clse = command_id("CLSE");

// The version that lets either side send 0 instead of the data checksum.
inline constexpr std::uint32_t k_version = 0x01000001;
inline constexpr std::uint32_t k_max_data = 256u * 1024u;

inline constexpr std::uint32_t k_auth_token = 1;
inline constexpr std::uint32_t k_auth_signature = 2;
inline constexpr std::uint32_t k_auth_rsa_public_key = 3;

struct Message {
    std::uint32_t command = 0;
    std::uint32_t arg0 = 0;
    std::uint32_t arg1 = 0;
    std::string data;
};

// The header's checksum field: the sum of the data bytes (not a CRC, despite its name).
[[nodiscard]] std::uint32_t data_checksum(std::string_view data);

// "OKAY", or "0x12345678" for an unknown command, for error messages.
[[nodiscard]] std::string command_name(std::uint32_t command);

[[nodiscard]] Expected<void> write_message(ByteTransport& transport, const Message& message);

// Reads one message; `malformed` for a bad magic or checksum, `too_large` when the
// phone announces more than `max_data` bytes (nothing more is read then).
[[nodiscard]] Expected<Message> read_message(ByteTransport& transport, std::uint32_t max_data);

} // namespace dockscan::docking::adb
