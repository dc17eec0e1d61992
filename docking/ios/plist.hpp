#pragma once

// Property lists (XML and binary) as an iOS backup keeps them: Info.plist,
// Manifest.plist, Status.plist and the NSKeyedArchiver blobs in Manifest.db. The one
// seam to libplist: only plist.cpp includes its header; everything else sees PlistValue.

#include "docking/error.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::docking::ios {

// Limits against hostile or broken plists. Everything in a backup folder is untrusted.
struct PlistLimits {
    std::size_t max_bytes = 64u << 20; // Manifest.plist lists every app, with icons
    std::size_t max_depth = 64;        // containers inside each other
    std::size_t max_nodes = 1'000'000; // values of every kind
};

// One value of a property list, with its containers' contents owned by value.
class PlistValue {
public:
    enum class Kind { none, boolean, integer, real, string, data, date, array, dict, uid };

    Kind kind = Kind::none;
    bool boolean = false;
    // Integers (libplist keeps them as 64 bits; negative ones come back as two's
    // complement) and the index of a UID.
    std::int64_t integer = 0;
    // Reals, and dates as Unix seconds.
    double real = 0;
    std::string bytes;             // strings (UTF-8) and data
    std::vector<PlistValue> items; // arrays, and a dict's values
    std::vector<std::string> keys; // a dict's keys, one for each of `items`

    // The value under `key` of a dict; nullptr when this is no dict or has no such key.
    [[nodiscard]] const PlistValue* find(std::string_view key) const;

    [[nodiscard]] std::optional<std::int64_t> as_integer() const;
    [[nodiscard]] std::optional<bool> as_boolean() const;
    // A string, or nothing for any other kind.
    [[nodiscard]] std::optional<std::string> as_string() const;
    // Data, or nothing for any other kind.
    [[nodiscard]] std::optional<std::string> as_data() const;
    // The `index`th item of an array; nullptr when this is no array or it is shorter.
    [[nodiscard]] const PlistValue* at(std::size_t index) const;

    // Builders, for what the station sends to a phone.
    [[nodiscard]] static PlistValue make_dict();
    [[nodiscard]] static PlistValue make_string(std::string text);
    // Kept as 64 bits, as libplist keeps integers: a negative status goes as two's complement.
    [[nodiscard]] static PlistValue make_integer(std::int64_t number);
    // Adds `value` under `key` to this dict.
    void set(std::string key, PlistValue value);
};

// Parses an XML or binary property list. `malformed` when it is neither or is broken,
// `too_large` over the limits.
[[nodiscard]] Expected<PlistValue> parse_plist(std::string_view bytes,
                                               const PlistLimits& limits = {});

} // namespace dockscan::docking::ios
