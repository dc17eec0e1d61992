#include "docking/android/ab_header.hpp"

#include "base/text.hpp"

#include <charconv>

namespace dockscan::docking::android {
namespace {

constexpr std::string_view k_magic = "ANDROID BACKUP";
constexpr int k_max_version = 5;
// Android writes 64-byte salts, a 16-byte IV and a 96-byte blob; these bounds leave
// room for variants while keeping a hostile header from growing without end.
constexpr std::size_t k_max_line = 1024;
constexpr std::size_t k_iv_bytes = 16;

// Reads one '\n'-terminated line, byte by byte, so that no payload byte is consumed.
Expected<std::string> read_line(ByteStream& in, std::string_view what) {
    std::string line;
    char c = 0;
    while (true) {
        DOCKSCAN_TRY_ASSIGN(const std::size_t n, in.read(std::span<char>(&c, 1)));
        if (n == 0) {
            return fail(ErrorCode::malformed,
                        "backup header ends before its " + std::string(what) + " (truncated)");
        }
        if (c == '\n') {
            return line;
        }
        if (line.size() >= k_max_line) {
            return fail(ErrorCode::malformed,
                        "backup header line for " + std::string(what) + " is too long");
        }
        line += c;
    }
}

Expected<std::uint32_t> parse_number(std::string_view text, std::string_view what) {
    std::uint32_t value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc{} || ptr != end) {
        return fail(ErrorCode::malformed, "backup header: " + std::string(what) +
                                              " is not a number: \"" + std::string(text) + "\"");
    }
    return value;
}

Expected<std::string> read_hex_line(ByteStream& in, std::string_view what) {
    DOCKSCAN_TRY_ASSIGN(const std::string line, read_line(in, what));
    DOCKSCAN_TRY_ASSIGN(std::string bytes, decode_hex(line, what));
    if (bytes.empty()) {
        return fail(ErrorCode::malformed, "backup header: " + std::string(what) + " is empty");
    }
    return bytes;
}

} // namespace

Expected<std::string> decode_hex(std::string_view hex, std::string_view what) {
    if (hex.size() % 2 != 0) {
        return fail(ErrorCode::malformed,
                    "backup header: " + std::string(what) + " has an odd number of hex digits");
    }
    std::string bytes;
    bytes.reserve(hex.size() / 2);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int hi = base::hex_digit_value(hex[i]);
        const int lo = base::hex_digit_value(hex[i + 1]);
        if (hi < 0 || lo < 0) {
            return fail(ErrorCode::malformed,
                        "backup header: " + std::string(what) + " is not hex");
        }
        bytes += static_cast<char>(hi * 16 + lo);
    }
    return bytes;
}

Expected<AbHeader> read_ab_header(ByteStream& in) {
    // Read the magic with a bound of its own length, so that a large binary file is
    // rejected after a few bytes instead of after a whole "line".
    std::string magic(k_magic.size() + 1, '\0');
    const auto magic_read = read_exact(in, magic, "backup header");
    if (!magic_read || magic != std::string(k_magic) + '\n') {
        return fail(ErrorCode::not_a_source,
                    "not an Android backup (no \"ANDROID BACKUP\" header)");
    }

    AbHeader header;
    DOCKSCAN_TRY_ASSIGN(const std::string version_line, read_line(in, "format version"));
    DOCKSCAN_TRY_ASSIGN(const std::uint32_t version, parse_number(version_line, "format version"));
    if (version < 1 || version > k_max_version) {
        return fail(ErrorCode::unsupported, "Android backup format version " + version_line +
                                                " is not supported (1.." +
                                                std::to_string(k_max_version) + ")");
    }
    header.version = static_cast<int>(version);

    DOCKSCAN_TRY_ASSIGN(const std::string compressed_line, read_line(in, "compression flag"));
    DOCKSCAN_TRY_ASSIGN(const std::uint32_t compressed,
                        parse_number(compressed_line, "compression flag"));
    if (compressed > 1) {
        return fail(ErrorCode::malformed,
                    "backup header: compression flag is \"" + compressed_line + "\", not 0 or 1");
    }
    header.compressed = compressed == 1;

    DOCKSCAN_TRY_ASSIGN(const std::string encryption, read_line(in, "encryption"));
    if (encryption == "none") {
        header.encryption = AbEncryption::none;
        return header;
    }
    if (encryption != "AES-256") {
        return fail(ErrorCode::unsupported,
                    "Android backup encryption \"" + encryption + "\" is not supported");
    }
    header.encryption = AbEncryption::aes256;
    DOCKSCAN_TRY_ASSIGN(header.user_salt, read_hex_line(in, "user password salt"));
    DOCKSCAN_TRY_ASSIGN(header.checksum_salt, read_hex_line(in, "master key checksum salt"));
    DOCKSCAN_TRY_ASSIGN(const std::string rounds_line, read_line(in, "PBKDF2 rounds"));
    DOCKSCAN_TRY_ASSIGN(header.rounds, parse_number(rounds_line, "PBKDF2 rounds"));
    if (header.rounds == 0) {
        return fail(ErrorCode::malformed, "backup header: PBKDF2 rounds is 0");
    }
    DOCKSCAN_TRY_ASSIGN(header.user_iv, read_hex_line(in, "user key IV"));
    if (header.user_iv.size() != k_iv_bytes) {
        return fail(ErrorCode::malformed, "backup header: user key IV is not 16 bytes");
    }
    DOCKSCAN_TRY_ASSIGN(header.master_key_blob, read_hex_line(in, "master key blob"));
    return header;
}

} // namespace dockscan::docking::android
