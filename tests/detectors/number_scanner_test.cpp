#include "detectors/number_scanner.hpp"
#include "tests/detectors/redact.hpp"

#include <catch2/catch.hpp>

using dockscan::detectors::find_digit_groups;
using dockscan::detectors::find_number_candidates;
using dockscan::detectors::Separator;
using dockscan::testing::redacted;

TEST_CASE("candidates are found in every written form", "[number_scanner]") {
    struct Case {
        const char* text;
        std::size_t start;
        std::size_t end;
        Separator separator;
        bool twelve_digits;
        bool phone_shaped;
    };
    const Case c = GENERATE(values<Case>({
        {"pnr 450110-3297.", 4, 15, Separator::hyphen, false, false},
        {"pnr 450110+3297", 4, 15, Separator::plus, false, false},
        {"pnr 4501103297", 4, 14, Separator::none, false, false},
        {"pnr 450110 3297", 4, 15, Separator::space, false, false},
        {"pnr 450110\xe2\x80\x93"
         "3297",
         4, 17, Separator::dash, false, false},
        {"pnr 450110\xc2\xa0"
         "3297",
         4, 16, Separator::space, false, false},
        {"(19450110-3297)", 1, 14, Separator::hyphen, true, false},
        {"19450110 3297", 0, 13, Separator::space, true, false},
        {"194501103297", 0, 12, Separator::none, true, false},
        {"nr:0701012395", 3, 13, Separator::none, false, true},
        {"Årets 000101T220", 7, 17, Separator::none, false, false},
        {"000101-T220", 0, 11, Separator::hyphen, false, false},
        // Spaced, with a phone number after it.
        {"Signe 450110 3297 070-123 45 67", 6, 17, Separator::space, false, false},
        {"för Signe 450110 3297 2025-06-24 kl 17", 11, 22, Separator::space, false, false},
        {"för Signe 450110 3297 13/6 kl 17", 11, 22, Separator::space, false, false},
    }));
    INFO(redacted(c.text));
    const auto found = find_number_candidates(c.text);
    REQUIRE(found.size() == 1);
    CHECK(found[0].start == c.start);
    CHECK(found[0].end == c.end);
    CHECK(found[0].separator == c.separator);
    CHECK(found[0].twelve_digits == c.twelve_digits);
    CHECK(found[0].phone_shaped == c.phone_shaped);
}

TEST_CASE("the canonical form has `-` or `+` in place of any separator", "[number_scanner]") {
    const auto spaced = find_number_candidates("19450110 3297");
    REQUIRE(spaced.size() == 1);
    CHECK(spaced[0].canonical.size() == 13);
    CHECK(spaced[0].canonical[8] == '-');
    const auto dashed = find_number_candidates("450110\xe2\x80\x93"
                                               "3297");
    REQUIRE(dashed.size() == 1);
    CHECK(dashed[0].canonical.size() == 11);
    CHECK(dashed[0].canonical[6] == '-');
}

TEST_CASE("no candidate inside a longer number or word", "[number_scanner]") {
    const char* text = GENERATE(values<const char*>({
        "12345011032970", // a longer run of digits
        "94501103297",    // eleven digits
        "1450110-3297",   // seven digits before the hyphen
        "450110-32971",   // five after
        "450110-3297-12", // a longer hyphenated number
        "12-450110-3297",   "2024/450110-3297",
        "+4501103297",   // an international phone number
        "ab450110-3297", // inside a word
        "450110-3297kr",    "IMG_194501103297",
        "08 450110 3297", // the tail of a spaced group
        "450110 3297 12",
        "070-123 45 67", // phone numbers in their usual forms
        "+46 70 123 45 67", "+46701234567",     "08-123 456 78", "556036-07931",
        "450110-E220", // not an interim letter
    }));
    INFO(redacted(text));
    CHECK(find_number_candidates(text).empty());
}

TEST_CASE("several candidates in one text, in order", "[number_scanner]") {
    const auto found = find_number_candidates("Alva 120315-2382, Nils 140512-2381 och 0701012395");
    REQUIRE(found.size() == 3);
    CHECK(found[0].start == 5);
    CHECK(found[1].start == 23);
    CHECK(found[2].start == 39);
    CHECK(found[2].phone_shaped);
}

TEST_CASE("digit groups are numbers as written", "[number_scanner]") {
    struct Case {
        const char* text;
        std::size_t start;
        std::size_t end;
        int digits;
        bool phone_shaped;
    };
    const Case c = GENERATE(values<Case>({
        {"ring 070-123 45 67 nu", 5, 18, 10, true},
        {"ring +46 70 123 45 67", 5, 21, 11, true},
        {"ring +46701234567", 5, 17, 11, true},
        {"tel 08-123 456 78", 4, 17, 10, true},
        {"tel 031-12 34 56", 4, 16, 9, true},
        {"bg 5050-1055", 3, 12, 8, false},
        {"den 2025-03-14", 4, 14, 8, false},
        {"pg 12 34 56-7", 3, 13, 7, false},
        {"ocr 12345678901", 4, 15, 11, false},
    }));
    INFO(c.text);
    const auto groups = find_digit_groups(c.text);
    REQUIRE(groups.size() == 1);
    CHECK(groups[0].start == c.start);
    CHECK(groups[0].end == c.end);
    CHECK(groups[0].digits == c.digits);
    CHECK(groups[0].phone_shaped == c.phone_shaped);
}

TEST_CASE("short digit groups and numbers side by side", "[number_scanner]") {
    // Times, door codes and amounts are too short to be groups.
    CHECK(find_digit_groups("kl 14.30, kod 1234, 350 kr").empty());
    // Two numbers written next to each other stay two groups.
    const auto groups = find_digit_groups("450110-3297 070-123 45 67");
    REQUIRE(groups.size() == 2);
    CHECK(groups[0].end == 11);
    CHECK(groups[1].start == 12);
    CHECK(groups[1].phone_shaped);
}
