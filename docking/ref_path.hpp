#pragma once

// Refs of files in a folder source: the path relative to the root, '/' between names.
//
// Refs are stored and shown as UTF-8 text, but file names on a copy of a phone are
// bytes. A name is written into a ref as it is, except that '%', control bytes and
// bytes that are not part of well-formed UTF-8 become "%XX" (upper-case hex), so a
// ref is always valid UTF-8 and still leads back to exactly one file. Names such as
// "Bilder/100%.jpg" therefore appear as "Bilder/100%25.jpg".

#include "docking/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace dockscan::docking {

// One file or folder name as it appears in a ref.
[[nodiscard]] std::string encode_name(std::string_view name);

// The names of a ref, decoded; malformed for escapes that are not "%XX", and for
// refs that could leave the root or are not relative ("", ".", "..", "/a", "a//b").
[[nodiscard]] Expected<std::vector<std::string>> decode_ref(std::string_view ref);

} // namespace dockscan::docking
