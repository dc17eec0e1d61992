#pragma once

// Text into HTML: everything the report writes goes through escape().

#include "base/text.hpp"

#include <string>
#include <string_view>

namespace dockscan::agent::reports {

// Escapes & < > " ' for text and attribute values.
[[nodiscard]] inline std::string escape(std::string_view text) {
    return base::html_escape(text);
}

} // namespace dockscan::agent::reports
