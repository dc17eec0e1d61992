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

TEST_CASE("the shown name counts when the structured fields fail the name test") {
    // Shapes of real exports: N's parts in lower or upper case, or cut to an initial,
    // beside a shown name (FN) that is a person's first and last name.
    const auto [given, family, formatted, initials] =
        GENERATE(table<std::string, std::string, std::string, std::string>({
            {"john", "Doe", "John Doe", "J. D."},               // BlackBerry: N:Doe;john
            {"JOHN", "DOE", "John Doe", "J. D."},               // N in capitals
            {"K", "Lindqvist", "Karin Lindqvist", "K. L."},     // given name cut to an initial
            {"åsa", "öberg", "Åsa Öberg", "Å. Ö."},             // lower case, Swedish letters
            {"karin", "lindqvist", "Karin Lindqvist", "K. L."}, // both fields in lower case
        }));
    const std::string text = "Namn: " + formatted + "\n";
    const auto signal = find_full_name(ContactName{given, family, formatted}, text);
    REQUIRE(signal);
    CHECK(signal->kind == Kind::full_name);
    CHECK(signal->masked == initials);
    CHECK(signal->confidence < 0.85); // a shown name, less certain than the fields
    CHECK(text.substr(signal->start, signal->end - signal->start) == formatted);
}

TEST_CASE("failing fields and a shown name that is no person's name give nothing") {
    const auto [given, family, formatted] = GENERATE(table<std::string, std::string, std::string>({
        {"john", "doe", "john doe"},               // no capital anywhere
        {"john", "doe", ""},                       // no shown name
        {"maria", "SSK", "Maria SSK"},             // a role
        {"kronan", "apoteket", "Apoteket Kronan"}, // an organisation
        {"anna", "mamma", "Mamma Anna"},           // a relation
        {"john", "Doe", "John"},                   // one word shown
    }));
    CHECK_FALSE(find_full_name(ContactName{given, family, formatted}, formatted));
}
