#include "agent/scan/evidence.hpp"

#include <catch2/catch.hpp>

using dockscan::agent::redacted_excerpt;

namespace {

// The excerpt for the first occurrence of `number` in `text`.
std::string excerpt_of(const std::string& text, const std::string& number,
                       const std::string& masked) {
    const auto start = text.find(number);
    REQUIRE(start != std::string::npos);
    return redacted_excerpt(text, start, start + number.size(), masked);
}

} // namespace

TEST_CASE("the excerpt keeps the masked number and hides the rest of the number") {
    const std::string text = "Hej! Bengts personnummer är 450411-8359 om ni behöver det.";
    const std::string excerpt = excerpt_of(text, "450411-8359", "450411-****");
    CHECK(excerpt.find("450411-****") != std::string::npos);
    CHECK(excerpt.find("8359") == std::string::npos);
    CHECK(excerpt.find("personnummer") != std::string::npos);
}

TEST_CASE("names in the excerpt become initials and other digits become #") {
    const std::string text =
        "Ring Karin Lindqvist på 0701234501 ang. Bengt Andersson 450411-8359 imorgon";
    const std::string excerpt = excerpt_of(text, "450411-8359", "450411-****");
    CHECK(excerpt.find("Andersson") == std::string::npos);
    CHECK(excerpt.find("Bengt") == std::string::npos);
    CHECK(excerpt.find("B. A.") != std::string::npos);
    CHECK(excerpt.find("0701234501") == std::string::npos);
    CHECK(excerpt.find("imorgon") != std::string::npos);
}

TEST_CASE("Swedish capitals are initials too and cut words at the edge are left out") {
    const std::string text = "Överlämning till Åsa Öberg: personnr 19320102-7723 gäller Östen.";
    const std::string excerpt = excerpt_of(text, "19320102-7723", "320102-****");
    CHECK(excerpt.find("Öberg") == std::string::npos);
    CHECK(excerpt.find("Ö.") != std::string::npos);
    CHECK(excerpt.find("Östen") == std::string::npos);
}

TEST_CASE("a long message is cut to a short window with ellipses") {
    const std::string before(300, 'a');
    const std::string after(300, 'b');
    const std::string text = before + " pnr 450411-8359 " + after;
    const std::string excerpt = excerpt_of(text, "450411-8359", "450411-****");
    CHECK(excerpt.size() < 100);
    CHECK(excerpt.rfind("…", 0) == 0);
    CHECK(excerpt.find("…", excerpt.size() - 3) != std::string::npos);
}

TEST_CASE("an excerpt never splits a UTF-8 character") {
    const std::string text = "åäöåäöåäöåäöåäöåäöåäöåäöåäö pnr 450411-8359 åäöåäöåäöåäöåäöåäöåäö";
    const std::string excerpt = excerpt_of(text, "450411-8359", "450411-****");
    // Every byte sequence must be well-formed: no lone continuation bytes at the ends.
    const auto first = static_cast<unsigned char>(excerpt.at(3)); // after the leading "…"
    CHECK((first & 0xc0) != 0x80);
}
