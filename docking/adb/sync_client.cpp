#include "docking/adb/sync_client.hpp"

#include <sys/stat.h>

namespace dockscan::docking::adb {
namespace {

// adbd's own limits: paths of at most 1024 bytes, DATA chunks of at most 64 KiB.
constexpr std::size_t k_max_path = 1024;
constexpr std::uint32_t k_max_chunk = 64u * 1024u;
constexpr std::uint32_t k_max_name = 255;
constexpr std::uint32_t k_max_fail_message = 1024;

std::uint32_t u32_at(std::string_view bytes, std::size_t offset) {
    std::uint32_t value = 0;
    // Bounded by the size too: at -O3 GCC 12 otherwise reports a false
    // -Wmaybe-uninitialized for the bytes of a short string read here.
    for (unsigned i = 0; i < 4 && offset + i < bytes.size(); ++i) {
        value |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[offset + i]))
                 << (8u * i);
    }
    return value;
}

bool id_is(const std::string& bytes, const char (&id)[5]) {
    return bytes.compare(0, 4, id, 4) == 0;
}

} // namespace

bool is_folder(std::uint32_t mode) {
    return (mode & S_IFMT) == S_IFDIR;
}

bool is_regular(std::uint32_t mode) {
    return (mode & S_IFMT) == S_IFREG;
}

Expected<SyncClient> SyncClient::open(AdbConnection& connection) {
    DOCKSCAN_TRY_ASSIGN(AdbStream stream, connection.open("sync:"));
    return SyncClient(std::move(stream));
}

Expected<void> SyncClient::request(const char (&id)[5], const std::string& path) {
    if (path.size() > k_max_path) {
        return fail(ErrorCode::too_large, "a path on the phone is longer than 1024 bytes");
    }
    std::string message(id, 4);
    const auto length = static_cast<std::uint32_t>(path.size());
    for (unsigned i = 0; i < 4; ++i) {
        message.push_back(static_cast<char>(length >> (8u * i)));
    }
    message += path;
    return m_stream.write(message);
}

Expected<void> SyncClient::list(const std::string& path, std::size_t max_entries,
                                const std::function<void(const SyncEntry&)>& entry) {
    DOCKSCAN_TRY(request("LIST", path));
    for (std::size_t count = 0;; ++count) {
        DOCKSCAN_TRY_ASSIGN(const std::string dent, m_stream.read_exact(20));
        if (id_is(dent, "DONE")) {
            return {};
        }
        if (!id_is(dent, "DENT")) {
            return fail(ErrorCode::malformed, "the phone answered a folder listing with " +
                                                  command_name(u32_at(dent, 0)));
        }
        const std::uint32_t name_length = u32_at(dent, 16);
        if (name_length == 0 || name_length > k_max_name) {
            return fail(ErrorCode::malformed,
                        "the phone listed a name of " + std::to_string(name_length) + " bytes");
        }
        if (count >= max_entries) {
            return fail(ErrorCode::too_large,
                        "the phone listed more than " + std::to_string(max_entries) + " entries");
        }
        DOCKSCAN_TRY_ASSIGN(std::string name, m_stream.read_exact(name_length));
        if (name == "." || name == ".." || name.find('/') != std::string::npos ||
            name.find('\0') != std::string::npos) {
            continue;
        }
        entry(SyncEntry{std::move(name), u32_at(dent, 4), u32_at(dent, 8),
                        static_cast<std::int64_t>(u32_at(dent, 12))});
    }
}

Expected<SyncEntry> SyncClient::stat(const std::string& path) {
    DOCKSCAN_TRY(request("STAT", path));
    DOCKSCAN_TRY_ASSIGN(const std::string reply, m_stream.read_exact(16));
    if (!id_is(reply, "STAT")) {
        return fail(ErrorCode::malformed,
                    "the phone answered STAT with " + command_name(u32_at(reply, 0)));
    }
    return SyncEntry{"", u32_at(reply, 4), u32_at(reply, 8),
                     static_cast<std::int64_t>(u32_at(reply, 12))};
}

Expected<std::string> SyncClient::pull(const std::string& path, std::uint64_t max_bytes) {
    DOCKSCAN_TRY(request("RECV", path));
    std::string content;
    while (true) {
        DOCKSCAN_TRY_ASSIGN(const std::string head, m_stream.read_exact(8));
        const std::uint32_t length = u32_at(head, 4);
        if (id_is(head, "DONE")) {
            return content;
        }
        if (id_is(head, "FAIL")) {
            if (length > k_max_fail_message) {
                return fail(ErrorCode::malformed, "the phone sent an overlong error");
            }
            DOCKSCAN_TRY_ASSIGN(const std::string reason, m_stream.read_exact(length));
            return fail(ErrorCode::unreadable, "the phone could not send the file: " + reason);
        }
        if (!id_is(head, "DATA") || length > k_max_chunk) {
            return fail(ErrorCode::malformed, "the phone sent a damaged file transfer");
        }
        if (content.size() + length > max_bytes) {
            return fail(ErrorCode::too_large,
                        "the file is over " + std::to_string(max_bytes) + " bytes");
        }
        DOCKSCAN_TRY_ASSIGN(const std::string data, m_stream.read_exact(length));
        content += data;
    }
}

} // namespace dockscan::docking::adb
