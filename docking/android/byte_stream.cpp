#include "docking/android/byte_stream.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace dockscan::docking::android {

Expected<void> read_exact(ByteStream& in, std::span<char> buffer, std::string_view what) {
    std::size_t done = 0;
    while (done < buffer.size()) {
        DOCKSCAN_TRY_ASSIGN(const std::size_t n, in.read(buffer.subspan(done)));
        if (n == 0) {
            return fail(ErrorCode::malformed, std::string(what) + " ends early (truncated)");
        }
        done += n;
    }
    return {};
}

Expected<std::size_t> MemoryStream::read(std::span<char> buffer) {
    const std::size_t n = std::min(buffer.size(), m_data.size() - m_pos);
    std::copy_n(m_data.data() + m_pos, n, buffer.data());
    m_pos += n;
    return n;
}

Expected<FileStream> FileStream::open(const std::filesystem::path& path) {
    File file(std::fopen(path.c_str(), "rb"));
    if (!file) {
        const int err = errno;
        return fail(err == ENOENT ? ErrorCode::not_found : ErrorCode::unreadable,
                    path.string() + ": " + std::strerror(err));
    }
    return FileStream(std::move(file), path.string());
}

Expected<std::size_t> FileStream::read(std::span<char> buffer) {
    const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), m_file.get());
    if (n < buffer.size() && std::ferror(m_file.get()) != 0) {
        return fail(ErrorCode::unreadable, m_name + ": read error");
    }
    return n;
}

Expected<std::size_t> LimitedStream::read(std::span<char> buffer) {
    DOCKSCAN_TRY_ASSIGN(const std::size_t n, m_inner.read(buffer));
    m_count += n;
    if (m_count > m_limit) {
        return fail(ErrorCode::too_large, m_reason);
    }
    return n;
}

std::string human_size(std::uint64_t bytes) {
    constexpr std::uint64_t k_kib = 1024;
    constexpr std::uint64_t k_mib = k_kib * 1024;
    constexpr std::uint64_t k_gib = k_mib * 1024;
    const auto with_unit = [](std::uint64_t value, std::uint64_t unit, const char* name) {
        // One decimal, so that 1.5 GiB does not read as 1 GiB.
        const std::uint64_t tenths = (value * 10 + unit / 2) / unit;
        std::string text = std::to_string(tenths / 10);
        if (tenths % 10 != 0) {
            text += '.' + std::to_string(tenths % 10);
        }
        return text + ' ' + name;
    };
    if (bytes >= k_gib) {
        return with_unit(bytes, k_gib, "GiB");
    }
    if (bytes >= k_mib) {
        return with_unit(bytes, k_mib, "MiB");
    }
    if (bytes >= k_kib) {
        return with_unit(bytes, k_kib, "KiB");
    }
    return std::to_string(bytes) + " bytes";
}

} // namespace dockscan::docking::android
