#pragma once

// The templates of both message generators write "{name}" where a generated value goes.

#include <functional>
#include <string>
#include <string_view>

namespace dockscan::corpus {

// Copies `text` to `out`, calling `expand(name)` at each "{name}" (which appends the
// value itself). An unclosed placeholder is a bug in a template: std::logic_error.
void fill_placeholders(std::string_view text, std::string& out,
                       const std::function<void(std::string_view name)>& expand);

} // namespace dockscan::corpus
