#pragma once

// adb's file sync service ("sync:") on one stream: LIST a folder, STAT a path, RECV a
// file. Everything the phone says is bounded: names, entries and file sizes.

#include "docking/adb/adb_connection.hpp"

#include <cstdint>
#include <functional>
#include <string>

namespace dockscan::docking::adb {

struct SyncEntry {
    std::string name; // one path component, never "." or ".."
    std::uint32_t mode = 0;
    std::uint64_t size = 0;
    std::int64_t mtime = 0;
};

[[nodiscard]] bool is_folder(std::uint32_t mode);
[[nodiscard]] bool is_regular(std::uint32_t mode);

class SyncClient {
public:
    [[nodiscard]] static Expected<SyncClient> open(AdbConnection& connection);

    // Lists `path` into `entry`; `max_entries` bounds how many the phone may send.
    // A missing folder lists nothing, as adbd answers it.
    [[nodiscard]] Expected<void> list(const std::string& path, std::size_t max_entries,
                                      const std::function<void(const SyncEntry&)>& entry);

    // The mode, size and mtime of `path`; mode 0 when it does not exist.
    [[nodiscard]] Expected<SyncEntry> stat(const std::string& path);

    // The content of the file at `path`; `too_large` past `max_bytes` (the transfer is
    // then abandoned and the stream closed).
    [[nodiscard]] Expected<std::string> pull(const std::string& path, std::uint64_t max_bytes);

private:
    explicit SyncClient(AdbStream stream) : m_stream(std::move(stream)) {}

    [[nodiscard]] Expected<void> request(const char (&id)[5], const std::string& path);

    AdbStream m_stream;
};

} // namespace dockscan::docking::adb
