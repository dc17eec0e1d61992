#pragma once

// Text into HTML: everything the report writes goes through escape().

#include <string>
#include <string_view>

namespace dockscan::agent::reports {

// Escapes & < > " ' for text and attribute values.
[[nodiscard]] inline std::string escape(std::string_view text) {
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

} // namespace dockscan::agent::reports
