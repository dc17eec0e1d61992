#include "tests/corpus/luhn.hpp"

#include "base/time.hpp"

namespace dockscan::corpus {

char luhn_digit(std::string_view digits) {
    int sum = 0;
    // Weights 2, 1, 2, ... from the rightmost given digit, the one next to the check digit.
    bool twice = true;
    for (std::size_t i = digits.size(); i-- > 0;) {
        const char c = digits[i];
        int value = (c >= '0' && c <= '9') ? c - '0' : 1;
        if (twice) {
            value *= 2;
            if (value > 9) {
                value -= 9;
            }
        }
        sum += value;
        twice = !twice;
    }
    return static_cast<char>('0' + (10 - sum % 10) % 10);
}

bool is_real_written_date(std::string_view date) {
    const auto number = [&](std::size_t pos, std::size_t count) {
        int value = 0;
        for (std::size_t i = pos; i < pos + count; ++i) {
            if (date[i] < '0' || date[i] > '9') {
                return -1;
            }
            value = value * 10 + (date[i] - '0');
        }
        return value;
    };
    if (date.size() == 6) {
        // Two-digit years are read as 20yy: only 29 February 1900 comes out differently,
        // which look-alike numbers can afford.
        return base::is_real_date(2000 + number(0, 2), number(2, 2), number(4, 2));
    }
    if (date.size() == 8) {
        return base::is_real_date(number(0, 4), number(4, 2), number(6, 2));
    }
    return false;
}

} // namespace dockscan::corpus
