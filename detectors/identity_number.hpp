#pragma once

// Swedish identity numbers: personnummer, samordningsnummer and interim numbers.

#include "base/time.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace dockscan::detectors {

enum class IdKind { personnummer, samordningsnummer, interimsnummer };

struct IdentityNumber {
    IdKind kind;
    int year;           // full year of birth, e.g. 1945
    int month;          // 1..12; 0 only for samordningsnummer whose birth month is unknown
    int day;            // as written: 1..31, or 60..91 for samordningsnummer
    std::string serial; // three characters: digits, or a letter and two digits (interim)
    int check;          // the check digit as written

    // "YYYYMMDDNNNC": the form used for matching (keyed hash), never shown.
    [[nodiscard]] std::string normalized() const;
    // "YYMMDD-****": the only form ever shown or stored in clear.
    [[nodiscard]] std::string masked() const;
    // True when the check digit is the Luhn digit of the other nine digits (an interim
    // letter counts as 1).
    [[nodiscard]] bool has_valid_check_digit() const;
};

enum class CheckDigit { required, ignored };

// Parses one written identity number: 10 or 12 digits, optionally with `-` or `+`
// (aged 100 or more) before the last four; with CheckDigit::ignored a wrong check
// digit is accepted (used after a keyword in free text). `today` decides the century
// of 10-digit forms. Organisation numbers and impossible dates are rejected.
// An en dash counts as `-`. A space is rejected, as the personnummer project's shared
// test data requires of form input; find_identity_numbers accepts it in free text.
[[nodiscard]] std::optional<IdentityNumber>
parse_identity_number(std::string_view text, base::Date today,
                      CheckDigit check = CheckDigit::required);

// The Luhn check digit for the ten-digit form without its last digit (9 digits, or an
// interim letter in the seventh place); -1 when the input is not of that shape.
[[nodiscard]] int luhn_check_digit(std::string_view nine_digits);

} // namespace dockscan::detectors
