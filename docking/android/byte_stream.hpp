#pragma once

// Pull streams of bytes, so that an archive of gigabytes passes through decryption,
// inflation and tar parsing in small pieces and never lands in memory or on disk.

#include "base/owned.hpp"
#include "docking/error.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace dockscan::docking::android {

class ByteStream {
public:
    virtual ~ByteStream() = default;

    // Reads up to `buffer.size()` bytes; 0 means the end of the stream.
    [[nodiscard]] virtual Expected<std::size_t> read(std::span<char> buffer) = 0;
};

// Reads exactly `buffer.size()` bytes, or fails with `malformed` naming `what`.
[[nodiscard]] Expected<void> read_exact(ByteStream& in, std::span<char> buffer,
                                        std::string_view what);

// A stream over bytes someone else owns (fuzzing, tests, embedded files).
class MemoryStream final : public ByteStream {
public:
    explicit MemoryStream(std::string_view data) : m_data(data) {}

    [[nodiscard]] Expected<std::size_t> read(std::span<char> buffer) override;

private:
    std::string_view m_data;
    std::size_t m_pos = 0;
};

// A stream over a file on the host.
class FileStream final : public ByteStream {
public:
    [[nodiscard]] static Expected<FileStream> open(const std::filesystem::path& path);

    [[nodiscard]] Expected<std::size_t> read(std::span<char> buffer) override;

private:
    using File = base::Owned<std::FILE, ::fclose>;

    FileStream(File file, std::string name) : m_file(std::move(file)), m_name(std::move(name)) {}

    File m_file;
    std::string m_name;
};

// Passes `inner` through and fails with `too_large` and `reason` once more than
// `limit` bytes came by, so that a small archive that expands without end is stopped.
class LimitedStream final : public ByteStream {
public:
    LimitedStream(ByteStream& inner, std::uint64_t limit, std::string reason)
        : m_inner(inner), m_limit(limit), m_reason(std::move(reason)) {}

    [[nodiscard]] Expected<std::size_t> read(std::span<char> buffer) override;

private:
    ByteStream& m_inner;
    std::uint64_t m_limit;
    std::uint64_t m_count = 0;
    std::string m_reason;
};

// "2.0 GiB", "64 MiB", "512 bytes": sizes in messages people read.
[[nodiscard]] std::string human_size(std::uint64_t bytes);

} // namespace dockscan::docking::android
