#include "docking/text_decode.hpp"

#include "base/text.hpp"

#include <cstdint>

namespace dockscan::docking {
namespace {

constexpr std::string_view k_utf8_bom = "\xef\xbb\xbf";
constexpr std::string_view k_utf16le_bom = "\xff\xfe";
constexpr std::string_view k_utf16be_bom = "\xfe\xff";
constexpr char32_t k_replacement = 0xfffd;

// Code points of Windows-1252's bytes 0x80..0x9F; 0 where the byte is unassigned.
constexpr char32_t k_cp1252_high[32] = {
    0x20ac, 0,      0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017d, 0,      0,      0x2018, 0x2019, 0x201c, 0x201d, 0x2022,
    0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0,      0x017e, 0x0178,
};

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    }
}

std::size_t announced_length(std::uint8_t lead) {
    if (lead >= 0xc2 && lead <= 0xdf) {
        return 2;
    }
    if (lead >= 0xe0 && lead <= 0xef) {
        return 3;
    }
    if (lead >= 0xf0 && lead <= 0xf4) {
        return 4;
    }
    return 0;
}

// True when some byte above 0x7F starts a well-formed UTF-8 sequence.
bool has_utf8_sequence(std::string_view bytes) {
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (utf8_sequence_at(bytes, i) != 0) {
            return true;
        }
    }
    return false;
}

} // namespace

std::size_t utf8_sequence_at(std::string_view bytes, std::size_t i) {
    const std::size_t len = announced_length(static_cast<std::uint8_t>(bytes[i]));
    if (len != 0 && i + len <= bytes.size() && base::is_valid_utf8(bytes.substr(i, len))) {
        return len;
    }
    return 0;
}

std::string windows1252_to_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 8);
    for (const char c : bytes) {
        const auto b = static_cast<std::uint8_t>(c);
        if (b >= 0x80 && b <= 0x9f) {
            const char32_t cp = k_cp1252_high[b - 0x80];
            append_utf8(out, cp != 0 ? cp : k_replacement);
        } else {
            append_utf8(out, b);
        }
    }
    return out;
}

std::string utf16_to_utf8(std::string_view bytes, Utf16Order order) {
    std::string out;
    out.reserve(bytes.size());
    const auto unit = [&](std::size_t i) -> char32_t {
        const auto a = static_cast<std::uint8_t>(bytes[i]);
        const auto b = static_cast<std::uint8_t>(bytes[i + 1]);
        return order == Utf16Order::little_endian ? static_cast<char32_t>(a | (b << 8))
                                                  : static_cast<char32_t>((a << 8) | b);
    };
    std::size_t i = 0;
    for (; i + 1 < bytes.size(); i += 2) {
        const char32_t u = unit(i);
        if (u >= 0xd800 && u <= 0xdbff && i + 3 < bytes.size()) {
            const char32_t low = unit(i + 2);
            if (low >= 0xdc00 && low <= 0xdfff) {
                append_utf8(out, 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00));
                i += 2;
                continue;
            }
        }
        append_utf8(out, (u >= 0xd800 && u <= 0xdfff) ? k_replacement : u);
    }
    if (i < bytes.size()) {
        append_utf8(out, k_replacement); // an odd last byte
    }
    return out;
}

std::string legacy_to_utf8(std::string_view bytes) {
    if (base::is_valid_utf8(bytes)) {
        return std::string(bytes);
    }
    if (!has_utf8_sequence(bytes)) {
        return windows1252_to_utf8(bytes);
    }
    return base::to_valid_utf8(bytes);
}

std::string text_file_to_utf8(std::string_view bytes) {
    if (bytes.starts_with(k_utf8_bom)) {
        // The mark says UTF-8, so ill-formed bytes are damage, not another encoding.
        return base::to_valid_utf8(bytes.substr(k_utf8_bom.size()));
    }
    if (bytes.starts_with(k_utf16le_bom)) {
        return utf16_to_utf8(bytes.substr(2), Utf16Order::little_endian);
    }
    if (bytes.starts_with(k_utf16be_bom)) {
        return utf16_to_utf8(bytes.substr(2), Utf16Order::big_endian);
    }
    return legacy_to_utf8(bytes);
}

bool looks_binary(std::string_view bytes) {
    if (bytes.substr(0, k_nul_probe_bytes).find('\0') != std::string_view::npos) {
        return true;
    }
    return base::control_byte_share(bytes) > k_max_control_share;
}

Expected<std::string> decode_note(std::string_view bytes) {
    const bool utf16 = bytes.starts_with(k_utf16le_bom) || bytes.starts_with(k_utf16be_bom);
    // UTF-16 is full of NUL bytes by nature; it is judged after conversion.
    if (!utf16 && looks_binary(bytes)) {
        return fail(ErrorCode::not_text, "binary content, not text");
    }
    std::string text = text_file_to_utf8(bytes);
    if (utf16 && looks_binary(text)) {
        return fail(ErrorCode::not_text, "binary content, not text");
    }
    return text;
}

} // namespace dockscan::docking
