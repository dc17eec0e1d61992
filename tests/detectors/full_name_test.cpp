#include "detectors/full_name.hpp"

#include <catch2/catch.hpp>
#include <string>

using dockscan::detectors::ContactName;
using dockscan::detectors::find_full_name;
using dockscan::detectors::Kind;

TEST_CASE("a contact saved with first and last name is a full name") {
    const auto [given, family, formatted, initials] =
        GENERATE(table<std::string, std::string, std::string, std::string>({
            {"Karin", "Lindqvist", "Karin Lindqvist", "K. L."},
            {"Åsa", "Öberg", "Åsa Öberg", "Å. Ö."},
            {"Anna-Karin", "Berg-Nilsson", "Anna-Karin Berg-Nilsson", "A. B."},
            {"Nils Erik", "O'Brien", "Nils Erik O'Brien", "N. O."},
        }));
    const std::string text = "Namn: " + formatted + "\nFörnamn: " + given + "\n";
    const auto signal = find_full_name(ContactName{given, family, formatted}, text);
    REQUIRE(signal);
    CHECK(signal->kind == Kind::full_name);
    CHECK(signal->masked == initials);
    CHECK(signal->confidence >= 0.85);
    CHECK(text.substr(signal->start, signal->end - signal->start) == formatted);
}

TEST_CASE("a shown name of first and last name counts when the fields are not split") {
    const auto signal =
        find_full_name(ContactName{"", "", "Elias Nilsson"}, "Namn: Elias Nilsson\n");
    REQUIRE(signal);
    CHECK(signal->masked == "E. N.");
    CHECK(signal->confidence < 0.85);
}

TEST_CASE("roles, places, organisations and single names are not full names") {
    const auto [given, family, formatted] = GENERATE(table<std::string, std::string, std::string>({
        {"Maria", "SSK", "Maria SSK"},
        {"Maria SSK", "", "Maria SSK"},
        {"", "", "Karin god man"},
        {"", "", "Apoteket Kronan"},
        {"", "", "Vårdcentralen Norr"},
        {"Planeringen", "", "Planeringen"},
        {"Johanna", "", "Johanna"},
        {"", "", "Mamma"},
        {"", "", "Taxi Göteborg"},
        {"", "", "Nattpatrull 2"},
        {"", "", "johanna jobb"},
        {"", "", ""},
    }));
    CHECK_FALSE(find_full_name(ContactName{given, family, formatted}, formatted));
}
