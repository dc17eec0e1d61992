#pragma once

// libplist with ownership: the simulator's one include of <plist/plist.h>, so every
// other file handles property lists through these helpers.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace dockscan::testing::ios_sim {

// An owned plist node (libplist's plist_t is a void*).
struct PlistFree {
    void operator()(void* node) const;
};
using Plist = std::unique_ptr<void, PlistFree>;

// Parses XML or binary plist bytes; null when they are neither.
[[nodiscard]] Plist parse_plist(std::string_view bytes);
[[nodiscard]] std::string to_xml(const Plist& node);
[[nodiscard]] std::string to_binary(const Plist& node);

[[nodiscard]] Plist new_dict();
[[nodiscard]] Plist new_array();
[[nodiscard]] Plist new_string(const std::string& value);
[[nodiscard]] Plist new_data(std::string_view value);
[[nodiscard]] Plist new_uint(std::uint64_t value);
[[nodiscard]] Plist new_bool(bool value);
[[nodiscard]] Plist new_real(double value);
[[nodiscard]] Plist new_date_now();
[[nodiscard]] Plist copy(const void* node);

// Dictionary access on a node that this code does not own.
void dict_set(const Plist& dict, const char* key, Plist value);
[[nodiscard]] void* dict_get(const void* dict, const char* key);
[[nodiscard]] bool is_dict(const void* node);
[[nodiscard]] std::optional<std::string> dict_string(const void* dict, const char* key);
[[nodiscard]] std::optional<std::string> dict_data(const void* dict, const char* key);
[[nodiscard]] std::optional<std::uint64_t> dict_uint(const void* dict, const char* key);
[[nodiscard]] std::optional<bool> dict_bool(const void* dict, const char* key);
void array_append(const Plist& array, Plist value);
[[nodiscard]] std::uint32_t array_size(const void* array);
[[nodiscard]] void* array_get(const void* array, std::uint32_t index);
[[nodiscard]] std::optional<std::string> string_value(const void* node);
[[nodiscard]] std::optional<std::uint64_t> uint_value(const void* node);

// A readable one-line-per-key form for --trace.
[[nodiscard]] std::string describe(const void* node);

} // namespace dockscan::testing::ios_sim
