#pragma once

// Test messages hold test personnummer; failure messages show them redacted all the
// same, so that no test output ever carries a full identity number.

#include <string>
#include <string_view>

namespace dockscan::testing {

// `text` with every digit after the sixth of a run of digits (separators included)
// replaced by '*': "pnr 450110-3297" -> "pnr 450110-****".
inline std::string redacted(std::string_view text) {
    std::string out(text);
    int run = 0;
    for (char& c : out) {
        if (c >= '0' && c <= '9') {
            if (++run > 6) {
                c = '*';
            }
        } else if (c != '-' && c != '+' && c != ' ') {
            run = 0;
        }
    }
    return out;
}

} // namespace dockscan::testing
