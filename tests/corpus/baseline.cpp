#include "tests/corpus/baseline.hpp"

#include "detectors/identity_number.hpp"

namespace dockscan::corpus {
namespace {

bool is_digit(std::string_view text, std::size_t i) {
    return i < text.size() && text[i] >= '0' && text[i] <= '9';
}

// A regular expression's \b: ASCII letters, digits and underscore are word characters.
bool is_word(std::string_view text, std::size_t i) {
    if (i >= text.size()) {
        return false;
    }
    const char c = text[i];
    return is_digit(text, i) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

std::size_t digit_run(std::string_view text, std::size_t i) {
    std::size_t length = 0;
    while (is_digit(text, i + length)) {
        ++length;
    }
    return length;
}

} // namespace

std::vector<Span> baseline_dlp_rule(std::string_view text, base::Date today) {
    // The hand-written equivalent of \b(\d{6}|\d{8})[-+]?\d{4}\b plus a date and Luhn check.
    std::vector<Span> spans;
    std::size_t i = 0;
    while (i < text.size()) {
        if (!is_digit(text, i) || (i > 0 && is_word(text, i - 1))) {
            ++i;
            continue;
        }
        const std::size_t run = digit_run(text, i);
        std::size_t end = 0;
        if (run == 10 || run == 12) {
            end = i + run;
        } else if ((run == 6 || run == 8) && i + run < text.size() &&
                   (text[i + run] == '-' || text[i + run] == '+') &&
                   digit_run(text, i + run + 1) == 4) {
            end = i + run + 5;
        }
        if (end != 0 && !is_word(text, end) &&
            detectors::parse_identity_number(text.substr(i, end - i), today,
                                             detectors::CheckDigit::required)) {
            spans.push_back(Span{i, end});
            i = end;
            continue;
        }
        i += run;
    }
    return spans;
}

} // namespace dockscan::corpus
