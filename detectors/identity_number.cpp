#include "detectors/identity_number.hpp"

#include <cstdio>

namespace dockscan::detectors {
namespace {

// Skatteverket's letters for interim numbers; they stand in the first serial place.
constexpr std::string_view k_interim_letters = "TRSUWXJKLMN";
constexpr std::string_view k_en_dash = "\xe2\x80\x93";
// Tax records hold no one born earlier; a smaller year is some other number.
constexpr int k_earliest_year = 1800;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_interim_letter(char c) {
    return k_interim_letters.find(c) != std::string_view::npos;
}

int digit_value(char c) {
    return c - '0';
}

int number_at(std::string_view text, std::size_t pos, std::size_t count) {
    int value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        value = value * 10 + digit_value(text[i]);
    }
    return value;
}

bool all_digits(std::string_view text) {
    for (const char c : text) {
        if (!is_digit(c)) {
            return false;
        }
    }
    return true;
}

// The written parts of a number, before any rule about dates or check digits.
struct Parts {
    std::string_view date; // 6 or 8 digits
    char separator = 0;    // 0, '-' or '+'
    std::string_view tail; // serial (3) and check digit (1)
};

std::optional<Parts> split(std::string_view text) {
    std::size_t date_length = 0;
    while (date_length < text.size() && is_digit(text[date_length])) {
        ++date_length;
    }
    // A run of 10 or 12 digits is the date followed directly by serial and check digit.
    if (date_length == text.size() && (date_length == 10 || date_length == 12)) {
        date_length -= 4;
    }
    if (date_length != 6 && date_length != 8) {
        return std::nullopt;
    }
    Parts parts;
    parts.date = text.substr(0, date_length);
    std::string_view rest = text.substr(date_length);
    if (!rest.empty() && (rest.front() == '-' || rest.front() == '+')) {
        parts.separator = rest.front();
        rest.remove_prefix(1);
    } else if (rest.starts_with(k_en_dash)) {
        parts.separator = '-';
        rest.remove_prefix(k_en_dash.size());
    }
    if (rest.size() != 4 || !all_digits(rest.substr(1)) ||
        !(is_digit(rest.front()) || is_interim_letter(rest.front()))) {
        return std::nullopt;
    }
    parts.tail = rest;
    return parts;
}

// The century of a 10-digit number: the person was born on or before `today`, and is
// under 100 unless the number is written with `+`.
int full_year(int two_digit_year, int month, int day, char separator, base::Date today) {
    int year = today.year - today.year % 100 + two_digit_year;
    if (base::Date{year, month, day} > today) {
        year -= 100;
    }
    if (separator == '+') {
        year -= 100;
    }
    return year;
}

bool is_coordination_day(int month, int day) {
    // Skatteverket's own test samordningsnummer use month 00 and day 60 for an unknown
    // birth month or day, and days past the month's length, so only the ranges hold.
    return month >= 0 && month <= 12 && day >= 60 && day <= 91;
}

std::string two_digits(int value) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "%02d", value % 100);
    return buffer;
}

} // namespace

std::string IdentityNumber::normalized() const {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d", year);
    return buffer + two_digits(month) + two_digits(day) + serial + std::to_string(check);
}

std::string IdentityNumber::masked() const {
    return two_digits(year) + two_digits(month) + two_digits(day) + "-****";
}

bool IdentityNumber::has_valid_check_digit() const {
    const std::string nine = two_digits(year) + two_digits(month) + two_digits(day) + serial;
    return luhn_check_digit(nine) == check;
}

int luhn_check_digit(std::string_view nine_digits) {
    if (nine_digits.size() != 9) {
        return -1;
    }
    int sum = 0;
    for (std::size_t i = 0; i < nine_digits.size(); ++i) {
        const char c = nine_digits[i];
        int value = 0;
        if (is_digit(c)) {
            value = digit_value(c);
        } else if (i == 6 && is_interim_letter(c)) {
            // Skatteverket computes an interim number's check digit with its letter as 1.
            value = 1;
        } else {
            return -1;
        }
        if (i % 2 == 0) {
            value *= 2;
            if (value > 9) {
                value -= 9;
            }
        }
        sum += value;
    }
    return (10 - sum % 10) % 10;
}

std::optional<IdentityNumber> parse_identity_number(std::string_view text, base::Date today,
                                                    CheckDigit check) {
    const std::optional<Parts> parts = split(text);
    if (!parts) {
        return std::nullopt;
    }
    const std::size_t year_digits = parts->date.size() - 4;
    const int month = number_at(parts->date, year_digits, 2);
    const int day = number_at(parts->date, year_digits + 2, 2);
    const bool coordination = is_coordination_day(month, day);
    // Compare birth dates by the day of month; an unknown month (00) sorts first.
    const int birth_day = coordination ? day - 60 : day;

    IdentityNumber number{};
    if (year_digits == 4) {
        number.year = number_at(parts->date, 0, 4);
    } else {
        number.year =
            full_year(number_at(parts->date, 0, 2), month, birth_day, parts->separator, today);
    }
    number.month = month;
    number.day = day;
    number.serial = std::string(parts->tail.substr(0, 3));
    number.check = digit_value(parts->tail[3]);

    if (number.year < k_earliest_year) {
        return std::nullopt;
    }
    if (!coordination && !base::is_real_date(number.year, month, day)) {
        return std::nullopt;
    }
    if (number.serial == "000") {
        return std::nullopt;
    }
    if (is_interim_letter(number.serial.front())) {
        number.kind = IdKind::interimsnummer;
    } else if (coordination) {
        number.kind = IdKind::samordningsnummer;
    } else {
        number.kind = IdKind::personnummer;
    }
    if (check == CheckDigit::required && !number.has_valid_check_digit()) {
        return std::nullopt;
    }
    return number;
}

} // namespace dockscan::detectors
