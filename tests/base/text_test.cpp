#include "base/text.hpp"

#include <catch2/catch.hpp>
#include <string>

using dockscan::base::is_upper_sv_at;
using dockscan::base::to_lower_sv;

TEST_CASE("Swedish capitals are recognised and lowered alike") {
    const auto [upper, lower] = GENERATE(table<std::string, std::string>({
        {"Anna", "anna"},
        {"Åsa", "åsa"},
        {"Änglagård", "änglagård"},
        {"Östen", "östen"},
        {"Éva", "éva"},
        {"Ülle", "ülle"},
    }));
    CHECK(is_upper_sv_at(upper, 0));
    CHECK_FALSE(is_upper_sv_at(lower, 0));
    CHECK(to_lower_sv(upper) == lower);
}

TEST_CASE("the capital check never reads past the text") {
    CHECK_FALSE(is_upper_sv_at("", 0));
    CHECK_FALSE(is_upper_sv_at("\xc3", 0)); // a lead byte cut off at the end
    CHECK_FALSE(is_upper_sv_at("7 Anna", 0));
    CHECK(is_upper_sv_at("7 Anna", 2));
}

TEST_CASE("text from a phone is printed so that it cannot drive a terminal") {
    const auto [from_phone, shown] = GENERATE(table<std::string, std::string>({
        // An escape sequence that would set the terminal's title, and one that clears it.
        {"SMS från \x1b]0;pwned\x07", "SMS från \\x1b]0;pwned\\x07"},
        {"\x1b[2Jnote.txt", "\\x1b[2Jnote.txt"},
        // CSI as one C1 character (U+009B), which some terminals obey in UTF-8.
        {"a\xc2\x9b"
         "31mb",
         "a\\u{9b}31mb"},
        // A right-to-left override that makes "fdp.exe" read as "exe.pdf".
        {"bild\xe2\x80\xae"
         "gpj.exe",
         "bild\\u{202e}gpj.exe"},
        {"rad 1\nrad 2\tslut", "rad 1\\x0arad 2\\x09slut"},
        {"del\x7f", "del\\x7f"},
        {"trasig \xff UTF-8", "trasig \\xff UTF-8"},
        // Swedish letters, symbols and emoji stay as they are.
        {"Åsa Öberg: 120506-**** 👍 €", "Åsa Öberg: 120506-**** 👍 €"},
    }));
    CAPTURE(from_phone);
    CHECK(dockscan::base::printable(from_phone) == shown);
}

TEST_CASE("trim_blanks takes spaces and tabs from the ends only") {
    using dockscan::base::trim_blanks;
    CHECK(trim_blanks(" \tHemtjänst Norr \t") == "Hemtjänst Norr");
    CHECK(trim_blanks("a b") == "a b");
    CHECK(trim_blanks(" \t ").empty());
    CHECK(trim_blanks("x\n") == "x\n"); // a line break is not a blank
}
