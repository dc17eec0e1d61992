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
