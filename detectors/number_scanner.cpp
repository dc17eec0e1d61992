#include "detectors/number_scanner.hpp"

#include <cstdint>

namespace dockscan::detectors {
namespace {

constexpr std::string_view k_interim_letters = "TRSUWXJKLMN";
// Phone numbers and account numbers are grouped in runs of two or three digits.
constexpr std::size_t k_max_grouped_run = 3;
// Groups shorter than this are times, amounts, door codes: they do not separate one
// number's context from another's.
constexpr int k_min_group_digits = 5;
// A space joins two runs of a group only when both are this short, as in "123 45 67".
constexpr std::size_t k_max_spaced_run = 3;

std::uint8_t byte_at(std::string_view text, std::size_t i) {
    return static_cast<std::uint8_t>(text[i]);
}

bool is_digit_at(std::string_view text, std::size_t i) {
    return i < text.size() && text[i] >= '0' && text[i] <= '9';
}

struct SeparatorAt {
    Separator kind = Separator::none;
    std::size_t length = 0;
};

// The separator written at `i`: ASCII `-`, `+`, space, or the Unicode dashes and spaces
// that phone keyboards and word processors put in their place.
SeparatorAt separator_at(std::string_view text, std::size_t i) {
    if (i >= text.size()) {
        return {};
    }
    const char c = text[i];
    if (c == '-') {
        return {Separator::hyphen, 1};
    }
    if (c == '+') {
        return {Separator::plus, 1};
    }
    if (c == ' ') {
        return {Separator::space, 1};
    }
    const std::string_view rest = text.substr(i);
    // U+00A0 no-break space and U+202F narrow no-break space.
    if (rest.starts_with("\xc2\xa0")) {
        return {Separator::space, 2};
    }
    if (rest.starts_with("\xe2\x80\xaf")) {
        return {Separator::space, 3};
    }
    // U+2010 hyphen, U+2011 non-breaking hyphen, U+2012 figure dash, U+2013 en dash,
    // U+2212 minus sign.
    if (rest.size() >= 3 && byte_at(rest, 0) == 0xe2 && byte_at(rest, 1) == 0x80 &&
        byte_at(rest, 2) >= 0x90 && byte_at(rest, 2) <= 0x93) {
        return {Separator::dash, 3};
    }
    if (rest.starts_with("\xe2\x88\x92")) {
        return {Separator::dash, 3};
    }
    return {};
}

// The separator that ends just before `i`, found by trying each length backwards.
SeparatorAt separator_before(std::string_view text, std::size_t i) {
    for (std::size_t length = 1; length <= 3 && length <= i; ++length) {
        const SeparatorAt found = separator_at(text, i - length);
        if (found.length == length) {
            return found;
        }
    }
    return {};
}

bool is_ascii_word_char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// True when the code point ending just before `i` is a letter, digit or underscore.
// Two-byte sequences led by C3..CF are Latin, Greek and Cyrillic letters (å, é, ü, ...);
// C2 holds punctuation and spaces.
bool word_char_before(std::string_view text, std::size_t i) {
    if (i == 0) {
        return false;
    }
    const std::uint8_t last = byte_at(text, i - 1);
    if (last < 0x80) {
        return is_ascii_word_char(text[i - 1]);
    }
    return i >= 2 && byte_at(text, i - 2) >= 0xc3 && byte_at(text, i - 2) <= 0xcf;
}

bool word_char_at(std::string_view text, std::size_t i) {
    if (i >= text.size()) {
        return false;
    }
    const std::uint8_t first = byte_at(text, i);
    if (first < 0x80) {
        return is_ascii_word_char(text[i]);
    }
    return first >= 0xc3 && first <= 0xcf;
}

// Characters that continue a number when a digit follows them: "120315-2383-1",
// "12.120315", "2024/120315".
bool is_number_joiner(char c) {
    return c == '-' || c == '.' || c == '/' || c == ':';
}

std::size_t digit_run(std::string_view text, std::size_t i) {
    std::size_t length = 0;
    while (is_digit_at(text, i + length)) {
        ++length;
    }
    return length;
}

bool continues_left(std::string_view text, std::size_t start, Separator separator) {
    if (start == 0) {
        return false;
    }
    if (word_char_before(text, start)) {
        return true;
    }
    const char previous = text[start - 1];
    // "+46..." and "+4512..." are international phone numbers.
    if (previous == '+') {
        return true;
    }
    if (is_number_joiner(previous) && start >= 2 && is_digit_at(text, start - 2)) {
        return true;
    }
    const SeparatorAt before = separator_before(text, start);
    if (before.kind == Separator::dash && start > before.length &&
        is_digit_at(text, start - before.length - 1)) {
        return true;
    }
    // A number written with a space must not be the tail of a spaced group ("08 120315 2383").
    return separator == Separator::space && before.kind == Separator::space &&
           start > before.length && is_digit_at(text, start - before.length - 1);
}

bool continues_right(std::string_view text, std::size_t end, Separator separator) {
    if (end >= text.size()) {
        return false;
    }
    if (word_char_at(text, end)) {
        return true;
    }
    if ((is_number_joiner(text[end]) || text[end] == '+') && is_digit_at(text, end + 1)) {
        return true;
    }
    const SeparatorAt after = separator_at(text, end);
    if (after.kind == Separator::dash && is_digit_at(text, end + after.length)) {
        return true;
    }
    if (separator != Separator::space || after.kind != Separator::space ||
        !is_digit_at(text, end + after.length)) {
        return false;
    }
    // A number written with a space must not be the head of a spaced group of short
    // runs ("120315 2383 45 67"), but may stand before a phone number, a date or a time
    // ("120315 2383 070-123 45 67", "120315 2383 2025-06-24", "120315 2383 13/6").
    const std::size_t next = end + after.length;
    const std::size_t next_run = digit_run(text, next);
    const bool trunk_prefix =
        text[next] == '0' && is_digit_at(text, next + 1) && text[next + 1] != '0';
    if (trunk_prefix || next_run > k_max_grouped_run) {
        return false;
    }
    // A short run is a date or time when '/', '.' or ':' and a digit follow it ("13/6",
    // "9.30"), or a day when a word follows ("6 september"); else it continues a group.
    const std::size_t after_run = next + next_run;
    if (after_run < text.size() &&
        (text[after_run] == '/' || text[after_run] == '.' || text[after_run] == ':') &&
        is_digit_at(text, after_run + 1)) {
        return false;
    }
    const SeparatorAt then = separator_at(text, after_run);
    const bool word_follows = then.kind == Separator::space &&
                              after_run + then.length < text.size() &&
                              !is_digit_at(text, after_run + then.length);
    return !word_follows;
}

// The four characters after the date: digits, or an interim letter and three digits.
bool tail_at(std::string_view text, std::size_t i) {
    if (i + 4 > text.size()) {
        return false;
    }
    const bool first_ok =
        is_digit_at(text, i) || k_interim_letters.find(text[i]) != std::string_view::npos;
    return first_ok && digit_run(text, i + 1) == 3;
}

bool phone_shaped(std::string_view digits, Separator separator) {
    return digits.size() == 10 && digits[0] == '0' && digits[1] != '0' &&
           (separator == Separator::none || separator == Separator::space);
}

std::string digits_only(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c >= '0' && c <= '9') {
            out += c;
        }
    }
    return out;
}

} // namespace

std::vector<NumberCandidate> find_number_candidates(std::string_view text) {
    std::vector<NumberCandidate> candidates;
    std::size_t i = 0;
    while (i < text.size()) {
        if (!is_digit_at(text, i)) {
            ++i;
            continue;
        }
        const std::size_t run = digit_run(text, i);
        const std::size_t start = i;
        i += run;

        NumberCandidate candidate{};
        candidate.start = start;
        std::size_t date_length = 0;
        if (run == 10 || run == 12) {
            date_length = run - 4;
            candidate.separator = Separator::none;
            candidate.end = start + run;
            candidate.canonical = std::string(text.substr(start, run));
        } else if (run == 6 || run == 8) {
            date_length = run;
            const std::size_t after_date = start + run;
            const SeparatorAt separator = separator_at(text, after_date);
            if (tail_at(text, after_date)) {
                // An interim number written without separator: "000101T220".
                candidate.separator = Separator::none;
                candidate.end = after_date + 4;
                candidate.canonical = std::string(text.substr(start, run + 4));
            } else if (separator.length > 0 && tail_at(text, after_date + separator.length)) {
                const std::size_t tail = after_date + separator.length;
                candidate.separator = separator.kind;
                candidate.end = tail + 4;
                candidate.canonical = std::string(text.substr(start, run)) +
                                      (separator.kind == Separator::plus ? "+" : "-") +
                                      std::string(text.substr(tail, 4));
            } else {
                continue;
            }
        } else {
            continue;
        }
        if (continues_left(text, start, candidate.separator) ||
            continues_right(text, candidate.end, candidate.separator)) {
            continue;
        }
        candidate.twelve_digits = date_length == 8;
        candidate.phone_shaped =
            phone_shaped(digits_only(candidate.canonical), candidate.separator);
        i = candidate.end;
        candidates.push_back(std::move(candidate));
    }
    return candidates;
}

std::vector<DigitGroup> find_digit_groups(std::string_view text) {
    std::vector<DigitGroup> groups;
    std::size_t i = 0;
    while (i < text.size()) {
        if (!is_digit_at(text, i)) {
            ++i;
            continue;
        }
        DigitGroup group{i, i, 0, false};
        const bool plus = i > 0 && text[i - 1] == '+';
        if (plus) {
            group.start = i - 1;
        }
        bool separated = false;
        std::size_t previous_run = 0;
        std::size_t at = i;
        while (true) {
            const std::size_t run = digit_run(text, at);
            group.digits += static_cast<int>(run);
            at += run;
            group.end = at;
            previous_run = run;
            std::size_t joiner = 0;
            const SeparatorAt separator = separator_at(text, at);
            if (separator.kind == Separator::space) {
                const std::size_t next_run = digit_run(text, at + separator.length);
                if (previous_run <= k_max_spaced_run && next_run > 0 &&
                    next_run <= k_max_spaced_run) {
                    joiner = separator.length;
                }
            } else if (separator.kind == Separator::hyphen || separator.kind == Separator::dash) {
                joiner = separator.length;
            } else if (at < text.size() && (text[at] == '.' || text[at] == '/')) {
                joiner = 1;
            }
            if (joiner == 0 || !is_digit_at(text, at + joiner)) {
                break;
            }
            separated = true;
            at += joiner;
        }
        i = group.end;
        const std::string_view written = text.substr(group.start, group.end - group.start);
        const bool international = plus ? written.starts_with("+46") : written.starts_with("0046");
        const bool area_code = written.size() >= 2 && written[0] == '0' && written[1] != '0';
        group.phone_shaped =
            international || (area_code && separated && group.digits >= 8 && group.digits <= 10);
        if (group.digits >= k_min_group_digits) {
            groups.push_back(group);
        }
    }
    return groups;
}

} // namespace dockscan::detectors
