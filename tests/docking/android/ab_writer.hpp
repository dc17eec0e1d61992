#pragma once

// Writes `adb backup` archives (.ab) as Android's BackupManagerService does, streaming,
// so that tests get fixtures in the real format: plain or AES-256, compressed or not,
// with a ustar/pax tar stream inside. Independent of the reader under test.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace dockscan::testing {

// Which bytes the master key checksum is computed over.
enum class ChecksumStyle {
    as_android, // what Android writes for the version: raw for 1, Java UTF-8 after
    raw_bytes,  // version 1's way, whatever the version
    java_utf8,  // version 2+'s way, whatever the version
};

struct AbOptions {
    int version = 5;
    bool compressed = true;
    std::optional<std::string> password = std::nullopt; // AES-256 when set
    std::uint32_t rounds = 10'000;
    ChecksumStyle checksum = ChecksumStyle::as_android;
};

class AbWriter {
public:
    // Creates `path` and writes the header.
    AbWriter(const std::filesystem::path& path, AbOptions options);
    AbWriter(const AbWriter&) = delete;
    AbWriter& operator=(const AbWriter&) = delete;
    ~AbWriter();

    void add_file(std::string_view name, std::string_view content);
    void add_directory(std::string_view name);

    // A file of `size` bytes given in pieces with write(), for large entries.
    void begin_file(std::string_view name, std::uint64_t size);
    void write(std::string_view data);
    void end_file();

    // Ends the tar stream (two zero blocks) and flushes compression and encryption.
    void finish();

    // Bytes of the text header; the payload starts right after.
    [[nodiscard]] std::size_t header_size() const;
    // The payload key and IV in hex, for checking the archive with the openssl tool.
    [[nodiscard]] std::string master_key_hex() const;
    [[nodiscard]] std::string master_iv_hex() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Deflate with a zlib header, as java.util.zip.DeflaterOutputStream writes.
[[nodiscard]] std::string zlib_compress(std::string_view data);

// `count` copies of `byte`, zlib-compressed without holding them in memory.
[[nodiscard]] std::string zlib_compress_repeated(char byte, std::uint64_t count);

} // namespace dockscan::testing
