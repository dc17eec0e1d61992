#pragma once

// The rule a typical DLP product applies to Swedish text: any 10 or 12 digits, with
// an optional `-` or `+` before the last four, whose date is real and whose check
// digit passes; no context. It is what dockscan is measured against.

#include "base/time.hpp"
#include "tests/corpus/generator.hpp"

#include <string_view>
#include <vector>

namespace dockscan::corpus {

[[nodiscard]] std::vector<Span> baseline_dlp_rule(std::string_view text, base::Date today);

} // namespace dockscan::corpus
