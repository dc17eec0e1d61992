#include "detectors/identity_number.hpp"
#include "tests/detectors/redact.hpp"

#include <catch2/catch.hpp>

using dockscan::base::Date;
using dockscan::detectors::CheckDigit;
using dockscan::detectors::IdKind;
using dockscan::detectors::luhn_check_digit;
using dockscan::detectors::parse_identity_number;
using dockscan::testing::redacted;

namespace {

// The tests' fixed "today", so that the century of ten-digit numbers does not drift.
constexpr Date k_today{2025, 6, 1};

} // namespace

// All numbers below are Skatteverket's test personnummer and samordningsnummer (from
// the shared allPins.json / allCoords.json), or made with the Luhn rule.

TEST_CASE("parse_identity_number reads every written form", "[identity_number]") {
    struct Case {
        const char* text;
        IdKind kind;
        int year;
        int month;
        int day;
        const char* masked;
    };
    const Case c = GENERATE(values<Case>({
        {"450110-3297", IdKind::personnummer, 1945, 1, 10, "450110-****"},
        {"4501103297", IdKind::personnummer, 1945, 1, 10, "450110-****"},
        {"19450110-3297", IdKind::personnummer, 1945, 1, 10, "450110-****"},
        {"194501103297", IdKind::personnummer, 1945, 1, 10, "450110-****"},
        {"450110\xe2\x80\x93"
         "3297",
         IdKind::personnummer, 1945, 1, 10, "450110-****"},
        // Aged 100 or more: `+` puts the birth a century further back.
        {"120211+9150", IdKind::personnummer, 1912, 2, 11, "120211-****"},
        {"19120211-9150", IdKind::personnummer, 1912, 2, 11, "120211-****"},
        // A child born 2007, written as ten bare digits like a mobile number.
        {"0701012395", IdKind::personnummer, 2007, 1, 1, "070101-****"},
        {"120315-2382", IdKind::personnummer, 2012, 3, 15, "120315-****"},
        // 29 February of a leap year.
        {"000229-2399", IdKind::personnummer, 2000, 2, 29, "000229-****"},
        // Samordningsnummer: day + 60, and month 00 when the birth month is unknown.
        {"900179-2382", IdKind::samordningsnummer, 1990, 1, 79, "900179-****"},
        {"20000067-2386", IdKind::samordningsnummer, 2000, 0, 67, "000067-****"},
        // Interim numbers: a letter in place of the first serial digit.
        {"000101-T220", IdKind::interimsnummer, 2000, 1, 1, "000101-****"},
        {"20000101X220", IdKind::interimsnummer, 2000, 1, 1, "000101-****"},
    }));
    INFO(redacted(c.text));
    const auto number = parse_identity_number(c.text, k_today);
    REQUIRE(number.has_value());
    CHECK(number->kind == c.kind);
    CHECK(number->year == c.year);
    CHECK(number->month == c.month);
    CHECK(number->day == c.day);
    CHECK(number->masked() == c.masked);
    CHECK(number->has_valid_check_digit());
}

TEST_CASE("parse_identity_number rejects what is not an identity number", "[identity_number]") {
    const char* text = GENERATE(values<const char*>({
        "450110-3298",   // wrong check digit
        "450110 3297",   // a space is not a separator in form input (personnummer-meta)
        "450230-3292",   // 30 February, with a passing check digit
        "010229-2380",   // 29 February 2001 is not a date
        "000229+2399",   // with `+` it is 1900, which was not a leap year
        "150916-0006",   // serial 000 is never given out
        "556036-0793",   // an organisation number (month 60)
        "000101-E221",   // E is not an interim letter
        "45011-3297",    // too short
        "4501103297 ",   // trailing text
        "17450110-3297", // before any tax record
        "",
    }));
    INFO(redacted(text));
    CHECK_FALSE(parse_identity_number(text, k_today).has_value());
}

TEST_CASE("a wrong check digit is accepted only when asked", "[identity_number]") {
    const auto number = parse_identity_number("450110-3298", k_today, CheckDigit::ignored);
    REQUIRE(number.has_value());
    CHECK_FALSE(number->has_valid_check_digit());
    CHECK(number->masked() == "450110-****");
    // Ignoring the check digit does not make impossible numbers possible.
    CHECK_FALSE(parse_identity_number("150916-0006", k_today, CheckDigit::ignored).has_value());
    CHECK_FALSE(parse_identity_number("450230-3291", k_today, CheckDigit::ignored).has_value());
}

TEST_CASE("the century of a ten-digit number follows today", "[identity_number]") {
    struct Case {
        const char* text;
        Date today;
        int year;
    };
    const Case c = GENERATE(values<Case>({
        // Born on New Year's Day 2025: on 1 June 2025 that is this year.
        {"250101-2385", Date{2025, 6, 1}, 2025},
        // The day before it would be a birth in the future, so it is 1925.
        {"250101-2385", Date{2024, 12, 31}, 1925},
        {"250101-2385", Date{2025, 1, 1}, 2025},
        {"450110-3297", Date{2025, 6, 1}, 1945},
        {"120211+9150", Date{2025, 6, 1}, 1912},
        // `+` for someone born 2010 means 1910.
        {"100315+2384", Date{2025, 6, 1}, 1910},
        // Twelve digits carry their own century; today does not matter.
        {"19250101-2385", Date{2025, 6, 1}, 1925},
    }));
    INFO(redacted(c.text));
    const auto number = parse_identity_number(c.text, c.today);
    REQUIRE(number.has_value());
    CHECK(number->year == c.year);
}

TEST_CASE("normalized() is the twelve-character form", "[identity_number]") {
    struct Case {
        const char* text;
        const char* normalized;
    };
    // Compared without printing: a failure shows only the case's masked form.
    const Case c = GENERATE(values<Case>({
        {"450110-3297", "194501103297"},
        {"120211+9150", "191202119150"},
        {"900179-2382", "199001792382"},
        {"000101-T220", "20000101T220"},
    }));
    INFO(redacted(c.text));
    const auto number = parse_identity_number(c.text, k_today);
    REQUIRE(number.has_value());
    const bool same = number->normalized() == c.normalized;
    CHECK(same);
}

TEST_CASE("luhn_check_digit", "[identity_number]") {
    struct Case {
        const char* nine;
        int check;
    };
    const Case c = GENERATE(values<Case>({
        {"450110329", 7},
        {"120315238", 2},
        {"000101T22", 0}, // an interim letter counts as 1
        {"55603607", -1}, // eight digits
        {"4501103x9", -1},
    }));
    INFO(redacted(c.nine));
    CHECK(luhn_check_digit(c.nine) == c.check);
}
