#include "base/text.hpp"

#include <cstdint>
#include <cstdio>

namespace dockscan::base {
namespace {

// Length of the well-formed UTF-8 sequence at `i`, or 0 when it is ill-formed.
std::size_t sequence_length(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(s[k]); };
    const std::uint8_t b0 = byte(i);
    if (b0 < 0x80) {
        return 1;
    }
    std::size_t len = 0;
    std::uint8_t lo = 0x80;
    std::uint8_t hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
        len = 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
        len = 3;
        if (b0 == 0xe0) {
            lo = 0xa0; // no overlongs
        } else if (b0 == 0xed) {
            hi = 0x9f; // no surrogates
        }
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        len = 4;
        if (b0 == 0xf0) {
            lo = 0x90;
        } else if (b0 == 0xf4) {
            hi = 0x8f; // <= U+10FFFF
        }
    } else {
        return 0;
    }
    if (i + len > s.size()) {
        return 0;
    }
    if (byte(i + 1) < lo || byte(i + 1) > hi) {
        return 0;
    }
    for (std::size_t k = 2; k < len; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xbf) {
            return 0;
        }
    }
    return len;
}

} // namespace

bool is_valid_utf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t len = sequence_length(text, i);
        if (len == 0) {
            return false;
        }
        i += len;
    }
    return true;
}

std::string to_valid_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t len = sequence_length(text, i);
        if (len == 0) {
            out += "\xef\xbf\xbd";
            ++i;
        } else {
            out.append(text.substr(i, len));
            i += len;
        }
    }
    return out;
}

std::string printable(std::string_view text) {
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t len = sequence_length(text, i);
        const auto b = static_cast<std::uint8_t>(text[i]);
        if (len == 0 || (len == 1 && (b < 0x20 || b == 0x7f))) {
            out += "\\x";
            out += k_hex[b >> 4];
            out += k_hex[b & 0xf];
            ++i;
            continue;
        }
        std::uint32_t code = 0;
        if (len == 2) {
            code = ((b & 0x1fu) << 6) | (static_cast<std::uint8_t>(text[i + 1]) & 0x3fu);
        } else if (len == 3) {
            code = ((b & 0x0fu) << 12) | ((static_cast<std::uint8_t>(text[i + 1]) & 0x3fu) << 6) |
                   (static_cast<std::uint8_t>(text[i + 2]) & 0x3fu);
        }
        // C1 controls (U+0080..U+009F, e.g. CSI U+009B), the bidirectional embeddings and
        // overrides (U+202A..U+202E) and isolates (U+2066..U+2069).
        if ((code >= 0x80 && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) ||
            (code >= 0x2066 && code <= 0x2069)) {
            char escaped[16];
            std::snprintf(escaped, sizeof escaped, "\\u{%x}", code);
            out += escaped;
        } else {
            out.append(text.substr(i, len));
        }
        i += len;
    }
    return out;
}

double control_byte_share(std::string_view bytes) {
    if (bytes.empty()) {
        return 0.0;
    }
    std::size_t control = 0;
    for (const char c : bytes) {
        const auto b = static_cast<std::uint8_t>(c);
        if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f) {
            ++control;
        }
    }
    return static_cast<double>(control) / static_cast<double>(bytes.size());
}

std::string to_lower_sv(std::string_view text) {
    std::string out(text);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto b = static_cast<std::uint8_t>(out[i]);
        if (b >= 'A' && b <= 'Z') {
            out[i] = static_cast<char>(b + ('a' - 'A'));
        } else if (b == 0xc3 && i + 1 < out.size()) {
            // Å U+00C5, Ä U+00C4, Ö U+00D6, É U+00C9, Ü U+00DC: lower case is +0x20 in the
            // second byte.
            const auto b1 = static_cast<std::uint8_t>(out[i + 1]);
            if (b1 == 0x85 || b1 == 0x84 || b1 == 0x96 || b1 == 0x89 || b1 == 0x9c) {
                out[i + 1] = static_cast<char>(b1 + 0x20);
            }
            ++i;
        }
    }
    return out;
}

bool is_upper_sv_at(std::string_view text, std::size_t i) {
    if (i >= text.size()) {
        return false;
    }
    const auto b = static_cast<std::uint8_t>(text[i]);
    if (b >= 'A' && b <= 'Z') {
        return true;
    }
    if (b == 0xc3 && i + 1 < text.size()) {
        const auto b1 = static_cast<std::uint8_t>(text[i + 1]);
        return b1 == 0x85 || b1 == 0x84 || b1 == 0x96 || b1 == 0x89 || b1 == 0x9c;
    }
    return false;
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
            break;
        }
    }
    return out;
}

std::string_view trim_blanks(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

int hex_digit_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

} // namespace dockscan::base
