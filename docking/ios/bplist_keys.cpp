#include "docking/ios/bplist_keys.hpp"

#include <cstdint>
#include <optional>

namespace dockscan::docking::ios {
namespace {

// Big-endian unsigned integer of `size` bytes at `at`, or nothing past the end.
std::optional<std::uint64_t> read_be(std::string_view b, std::uint64_t at, std::uint64_t size) {
    if (size == 0 || size > 8 || at > b.size() || size > b.size() - at) {
        return std::nullopt;
    }
    std::uint64_t v = 0;
    for (std::uint64_t i = 0; i < size; ++i) {
        v = v << 8 | static_cast<unsigned char>(b[at + i]);
    }
    return v;
}

struct Counted {
    std::uint64_t count = 0; // elements (characters, code units, entries)
    std::uint64_t start = 0; // where the elements begin
};

// An object's element count: the marker's low nibble, or, at 0xF, an integer object
// after the marker.
std::optional<Counted> counted(std::string_view b, std::uint64_t at) {
    const auto marker = read_be(b, at, 1);
    if (!marker) {
        return std::nullopt;
    }
    if ((*marker & 0x0f) != 0x0f) {
        return Counted{*marker & 0x0f, at + 1};
    }
    const auto int_marker = read_be(b, at + 1, 1);
    if (!int_marker || (*int_marker & 0xf0) != 0x10 || (*int_marker & 0x0f) > 3) {
        return std::nullopt;
    }
    const std::uint64_t size = std::uint64_t{1} << (*int_marker & 0x0f);
    const auto count = read_be(b, at + 2, size);
    if (!count) {
        return std::nullopt;
    }
    return Counted{*count, at + 2 + size};
}

// Whether the string object at `at` (ASCII, UTF-8 or UTF-16) holds a NUL character.
bool string_has_nul(std::string_view b, std::uint64_t at) {
    const auto marker = read_be(b, at, 1);
    if (!marker) {
        return false;
    }
    const std::uint64_t type = *marker >> 4;
    if (type != 0x5 && type != 0x6 && type != 0x7) {
        return false;
    }
    const auto c = counted(b, at);
    if (!c) {
        return false;
    }
    const std::uint64_t unit = type == 0x6 ? 2 : 1;
    if (c->start > b.size() || c->count > (b.size() - c->start) / unit) {
        return false;
    }
    for (std::uint64_t i = 0; i < c->count; ++i) {
        bool zero = true;
        for (std::uint64_t k = 0; k < unit; ++k) {
            zero = zero && b[c->start + i * unit + k] == '\0';
        }
        if (zero) {
            return true;
        }
    }
    return false;
}

} // namespace

bool binary_plist_keys_are_c_strings(std::string_view b) {
    constexpr std::uint64_t k_trailer = 32;
    if (b.size() < 8 + k_trailer || b.substr(0, 8) != "bplist00") {
        return true;
    }
    const std::uint64_t trailer = b.size() - k_trailer;
    const auto offset_size = read_be(b, trailer + 6, 1);
    const auto ref_size = read_be(b, trailer + 7, 1);
    const auto objects = read_be(b, trailer + 8, 8);
    const auto table = read_be(b, trailer + 24, 8);
    if (!offset_size || !ref_size || !objects || !table || *offset_size == 0 || *offset_size > 8 ||
        *ref_size == 0 || *ref_size > 8 || *table > b.size() ||
        *objects > (b.size() - *table) / *offset_size) {
        return true;
    }
    const auto object_at = [&](std::uint64_t index) -> std::optional<std::uint64_t> {
        if (index >= *objects) {
            return std::nullopt;
        }
        return read_be(b, *table + index * *offset_size, *offset_size);
    };
    for (std::uint64_t i = 0; i < *objects; ++i) {
        const auto at = object_at(i);
        const auto marker = at ? read_be(b, *at, 1) : std::nullopt;
        if (!marker || (*marker >> 4) != 0xd) {
            continue;
        }
        const auto dict = counted(b, *at);
        if (!dict || dict->start > b.size() || dict->count > (b.size() - dict->start) / *ref_size) {
            continue;
        }
        for (std::uint64_t k = 0; k < dict->count; ++k) {
            const auto key_ref = read_be(b, dict->start + k * *ref_size, *ref_size);
            const auto key_at = key_ref ? object_at(*key_ref) : std::nullopt;
            if (key_at && string_has_nul(b, *key_at)) {
                return false;
            }
        }
    }
    return true;
}

} // namespace dockscan::docking::ios
