#include "docking/android/inflate.hpp"

#include <algorithm>
#include <limits>
#include <vector>
#include <zlib.h>

namespace dockscan::docking::android {
namespace {

// Two calls, so written by hand: zlib's end of the stream, then our allocation of it.
struct InflateEnd {
    void operator()(z_stream* z) const {
        inflateEnd(z);
        delete z;
    }
};
using ZStream = std::unique_ptr<z_stream, InflateEnd>;

// zlib counts in uInt; never hand it more than that at once.
constexpr std::size_t k_max_chunk = std::numeric_limits<uInt>::max();

Bytef* zbytes(char* p) {
    return reinterpret_cast<Bytef*>(p);
}
Bytef* zbytes(const char* p) {
    return const_cast<Bytef*>(reinterpret_cast<const Bytef*>(p));
}

Expected<ZStream> new_inflater() {
    ZStream z(new z_stream{});
    if (inflateInit(z.get()) != Z_OK) {
        // inflateEnd on a stream whose init failed is harmless: it checks its state.
        return fail(ErrorCode::unsupported, "zlib inflateInit failed");
    }
    return z;
}

std::string zlib_reason(const z_stream& z, std::string_view what) {
    std::string reason = std::string(what) + " is damaged (zlib";
    if (z.msg != nullptr) {
        reason += ": ";
        reason += z.msg;
    }
    return reason + ")";
}

class InflateStream final : public ByteStream {
public:
    explicit InflateStream(ByteStream& inner) : m_inner(inner) {}

    Expected<std::size_t> read(std::span<char> buffer) override {
        if (m_ended || buffer.empty()) {
            return 0;
        }
        if (!m_z) {
            DOCKSCAN_TRY_ASSIGN(m_z, new_inflater());
        }
        z_stream& z = *m_z;
        z.next_out = zbytes(buffer.data());
        z.avail_out = static_cast<uInt>(std::min(buffer.size(), k_max_chunk));
        while (z.avail_out == static_cast<uInt>(std::min(buffer.size(), k_max_chunk))) {
            if (z.avail_in == 0) {
                m_in.resize(k_chunk);
                DOCKSCAN_TRY_ASSIGN(const std::size_t got, m_inner.read(m_in));
                if (got == 0) {
                    return fail(ErrorCode::malformed,
                                "compressed backup data ends early (truncated)");
                }
                z.next_in = zbytes(m_in.data());
                z.avail_in = static_cast<uInt>(got);
            }
            const int rc = inflate(&z, Z_NO_FLUSH);
            if (rc == Z_STREAM_END) {
                // Bytes after the end of the compressed stream are ignored, as Java's
                // InflaterInputStream does.
                m_ended = true;
                break;
            }
            // Z_BUF_ERROR with input left means zlib cannot go on: never spin on it.
            if (rc != Z_OK && !(rc == Z_BUF_ERROR && z.avail_in == 0)) {
                return fail(ErrorCode::malformed, zlib_reason(z, "compressed backup data"));
            }
        }
        return std::min(buffer.size(), k_max_chunk) - z.avail_out;
    }

private:
    static constexpr std::size_t k_chunk = 64 * 1024;

    ByteStream& m_inner;
    ZStream m_z;
    std::vector<char> m_in;
    bool m_ended = false;
};

} // namespace

std::unique_ptr<ByteStream> make_inflate_stream(ByteStream& inner) {
    return std::make_unique<InflateStream>(inner);
}

Expected<std::string> inflate_all(std::string_view compressed, std::uint64_t max_output) {
    if (compressed.size() > k_max_chunk) {
        return fail(ErrorCode::too_large, "compressed file is larger than zlib can take at once");
    }
    DOCKSCAN_TRY_ASSIGN(const ZStream z, new_inflater());
    z->next_in = zbytes(compressed.data());
    z->avail_in = static_cast<uInt>(compressed.size());
    std::string out;
    std::vector<char> chunk(64 * 1024);
    while (true) {
        z->next_out = zbytes(chunk.data());
        z->avail_out = static_cast<uInt>(chunk.size());
        const int rc = inflate(z.get(), Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            if (rc == Z_BUF_ERROR && z->avail_in == 0) {
                return fail(ErrorCode::malformed, "compressed file ends early (truncated)");
            }
            return fail(ErrorCode::malformed, zlib_reason(*z, "compressed file"));
        }
        const std::size_t produced = chunk.size() - z->avail_out;
        if (out.size() + produced > max_output) {
            return fail(ErrorCode::too_large,
                        "compressed file expands beyond the limit of " + human_size(max_output));
        }
        out.append(chunk.data(), produced);
        if (rc == Z_STREAM_END) {
            return out;
        }
        if (produced == 0 && z->avail_in == 0) {
            return fail(ErrorCode::malformed, "compressed file ends early (truncated)");
        }
    }
}

} // namespace dockscan::docking::android
