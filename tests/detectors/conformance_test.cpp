// dockscan's parser against the personnummer project's shared test data
// (shared/conformance/personnummer-meta): every case must agree.

#include "detectors/identity_number.hpp"
#include "tests/detectors/redact.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

using dockscan::base::Date;
using dockscan::detectors::IdKind;
using dockscan::detectors::parse_identity_number;
using dockscan::testing::redacted;

namespace {

// The data's own numbers end in 2023; any later date reads them the same way.
constexpr Date k_today{2025, 6, 1};

nlohmann::json load(const char* name) {
    const std::filesystem::path path =
        dockscan::testing::conformance_dir() / "personnummer-meta" / name;
    return nlohmann::json::parse(dockscan::testing::read_file(path));
}

bool accepted(const std::string& text) {
    return parse_identity_number(text, k_today).has_value();
}

} // namespace

TEST_CASE("list.json: every written form of every case", "[conformance]") {
    const nlohmann::json cases = load("list.json");
    REQUIRE(cases.size() >= 10);
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const nlohmann::json& item = cases[i];
        const bool valid = item.at("valid").get<bool>();
        const std::string type = item.at("type").get<std::string>();
        for (const char* form :
             {"long_format", "short_format", "separated_format", "separated_long"}) {
            const std::string text = item.at(form).get<std::string>();
            INFO("case " << i << " " << form << " " << redacted(text));
            const auto number = parse_identity_number(text, k_today);
            CHECK(number.has_value() == valid);
            if (number && valid) {
                CHECK(number->kind ==
                      (type == "con" ? IdKind::samordningsnummer : IdKind::personnummer));
            }
        }
    }
}

TEST_CASE("structured.json: integer and string inputs", "[conformance]") {
    const nlohmann::json data = load("structured.json");
    std::size_t checked = 0;
    for (const char* type : {"ssn", "con"}) {
        for (const char* validity : {"valid", "invalid"}) {
            const bool valid = std::string(validity) == "valid";
            for (const auto& item : data.at(type).at("integer").at(validity)) {
                const std::string text = std::to_string(item.get<long long>());
                INFO(type << " integer " << validity << " " << redacted(text));
                CHECK(accepted(text) == valid);
                ++checked;
            }
            for (const auto& item : data.at(type).at("string").at(validity)) {
                const std::string text = item.get<std::string>();
                INFO(type << " string " << validity << " " << redacted(text));
                CHECK(accepted(text) == valid);
                ++checked;
            }
        }
    }
    CHECK(checked >= 50);
}

TEST_CASE("interim.json: a letter in the serial", "[conformance]") {
    const nlohmann::json cases = load("interim.json");
    REQUIRE(cases.size() >= 10);
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const nlohmann::json& item = cases[i];
        const bool valid = item.at("valid").get<bool>();
        for (const char* form :
             {"long_format", "short_format", "separated_format", "separated_long"}) {
            const std::string text = item.at(form).get<std::string>();
            INFO("case " << i << " " << form << " " << redacted(text));
            const auto number = parse_identity_number(text, k_today);
            CHECK(number.has_value() == valid);
            if (number) {
                CHECK(number->kind == IdKind::interimsnummer);
            }
        }
    }
}

TEST_CASE("orgnumber.json: organisation numbers are not personnummer", "[conformance]") {
    const nlohmann::json cases = load("orgnumber.json");
    REQUIRE(cases.size() >= 5);
    for (std::size_t i = 0; i < cases.size(); ++i) {
        for (const char* form : {"short_format", "separated_format"}) {
            const std::string text = cases[i].at(form).get<std::string>();
            INFO("case " << i << " " << form << " " << redacted(text));
            CHECK_FALSE(accepted(text));
        }
    }
}

TEST_CASE("allPins.json: every test personnummer in every form", "[conformance]") {
    const nlohmann::json pins = load("allPins.json");
    REQUIRE(pins.size() > 1000);
    std::size_t failures = 0;
    std::size_t first_failure = 0;
    for (std::size_t i = 0; i < pins.size(); ++i) {
        const std::string twelve = pins[i].get<std::string>();
        const std::string ten = twelve.substr(2);
        const auto long_form = parse_identity_number(twelve, k_today);
        const auto separated_long =
            parse_identity_number(twelve.substr(0, 8) + "-" + twelve.substr(8), k_today);
        // Ten-digit forms need `+` once the person has turned 100.
        const bool aged_100 =
            long_form && Date{long_form->year + 100, long_form->month, long_form->day} <= k_today;
        const auto short_separated = parse_identity_number(
            ten.substr(0, 6) + (aged_100 ? "+" : "-") + ten.substr(6), k_today);
        const bool ok =
            long_form && separated_long && short_separated && parse_identity_number(ten, k_today) &&
            long_form->kind == IdKind::personnummer && separated_long->normalized() == twelve &&
            short_separated->year == long_form->year;
        if (!ok && failures++ == 0) {
            first_failure = i;
        }
    }
    INFO("first failing index " << first_failure << ": "
                                << redacted(pins[first_failure].get<std::string>()));
    CHECK(failures == 0);
}

TEST_CASE("allCoords.json: every test samordningsnummer", "[conformance]") {
    const nlohmann::json coords = load("allCoords.json");
    REQUIRE(coords.size() > 1000);
    std::size_t failures = 0;
    std::size_t first_failure = 0;
    for (std::size_t i = 0; i < coords.size(); ++i) {
        const std::string twelve = coords[i].get<std::string>();
        const auto long_form = parse_identity_number(twelve, k_today);
        const auto separated =
            parse_identity_number(twelve.substr(0, 8) + "-" + twelve.substr(8), k_today);
        const bool ok = long_form && separated && long_form->kind == IdKind::samordningsnummer &&
                        parse_identity_number(twelve.substr(2), k_today).has_value() &&
                        long_form->normalized() == twelve;
        if (!ok && failures++ == 0) {
            first_failure = i;
        }
    }
    INFO("first failing index " << first_failure << ": "
                                << redacted(coords[first_failure].get<std::string>()));
    CHECK(failures == 0);
}
