#pragma once

// The corpus computes check digits itself rather than with the detector's code, so
// that a bug in the detector cannot hide by also shaping the data it is measured on.

#include <string_view>

namespace dockscan::corpus {

// The Luhn digit that makes `digits` followed by it a valid Luhn number. Only decimal
// digits, except that an interim letter counts as 1 (Skatteverket's rule).
[[nodiscard]] char luhn_digit(std::string_view digits);

// True when `yymmdd` (or `yyyymmdd`) is a real calendar date.
[[nodiscard]] bool is_real_written_date(std::string_view date);

} // namespace dockscan::corpus
