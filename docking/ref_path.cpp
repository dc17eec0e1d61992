#include "docking/ref_path.hpp"

#include "base/text.hpp"
#include "docking/text_decode.hpp"

#include <cstdint>

namespace dockscan::docking {
namespace {

constexpr std::string_view k_hex = "0123456789ABCDEF";

void append_escaped(std::string& out, std::uint8_t byte) {
    out += '%';
    out += k_hex[byte >> 4];
    out += k_hex[byte & 0x0f];
}

} // namespace

std::string encode_name(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    for (std::size_t i = 0; i < name.size();) {
        const auto byte = static_cast<std::uint8_t>(name[i]);
        if (byte < 0x80) {
            if (byte < 0x20 || byte == 0x7f || byte == '%') {
                append_escaped(out, byte);
            } else {
                out += static_cast<char>(byte);
            }
            ++i;
            continue;
        }
        const std::size_t len = utf8_sequence_at(name, i);
        if (len != 0) {
            out.append(name.substr(i, len));
            i += len;
        } else {
            append_escaped(out, byte);
            ++i;
        }
    }
    return out;
}

Expected<std::vector<std::string>> decode_ref(std::string_view ref) {
    std::vector<std::string> names;
    std::size_t start = 0;
    for (;;) {
        const std::size_t slash = ref.find('/', start);
        const std::string_view part = ref.substr(
            start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
        std::string name;
        for (std::size_t i = 0; i < part.size(); ++i) {
            if (part[i] != '%') {
                name += part[i];
                continue;
            }
            const int hi = i + 2 < part.size() ? base::hex_digit_value(part[i + 1]) : -1;
            const int lo = i + 2 < part.size() ? base::hex_digit_value(part[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                return fail(ErrorCode::malformed, "ref has a broken %-escape");
            }
            name += static_cast<char>(hi * 16 + lo);
            i += 2;
        }
        if (name.empty() || name == "." || name == ".." ||
            name.find_first_of(std::string_view("/\0", 2)) != std::string::npos) {
            return fail(ErrorCode::malformed, "ref is not a path inside the source");
        }
        names.push_back(std::move(name));
        if (slash == std::string_view::npos) {
            break;
        }
        start = slash + 1;
    }
    return names;
}

} // namespace dockscan::docking
