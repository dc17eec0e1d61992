#include "agent/report/quarter.hpp"
#include "agent/report/render.hpp"
#include "agent/report/swedish.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <ctime>

namespace reports = dockscan::agent::reports;
using reports::Quarter;

namespace {

// Unix seconds of a UTC time, for the cases below.
std::int64_t utc(int year, int month, int day, int hour, int minute, int second = 0) {
    using namespace std::chrono;
    const sys_days date =
        year_month_day(std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                       std::chrono::day(static_cast<unsigned>(day)));
    return duration_cast<seconds>(date.time_since_epoch()).count() + hour * 3600 + minute * 60 +
           second;
}

} // namespace

TEST_CASE("quarters are written like 2026Q4") {
    const auto [text, year, number] = GENERATE(table<std::string, int, int>({
        {"2026Q4", 2026, 4},
        {"2026q1", 2026, 1},
        {"2027-Q2", 2027, 2},
    }));
    const auto quarter = reports::parse_quarter(text);
    REQUIRE(quarter);
    CHECK(*quarter == Quarter{year, number});
    CHECK(reports::code(*quarter) == std::to_string(year) + "Q" + std::to_string(number));
}

TEST_CASE("anything else is a usage error that shows the form") {
    const auto text = GENERATE(as<std::string>{}, "2026Q5", "2026Q0", "26Q4", "2026", "Q4 2026",
                               "2026 Q4", "20x6Q4", "");
    const auto quarter = reports::parse_quarter(text);
    REQUIRE_FALSE(quarter);
    CHECK(quarter.error().code == dockscan::agent::ErrorCode::usage);
    CHECK(quarter.error().message.find("2026Q4") != std::string::npos);
}

TEST_CASE("a quarter starts at Swedish local midnight, in UTC for the store") {
    // Winter time (UTC+1) on 1 January, summer time (UTC+2) on 1 April, July, October.
    CHECK(reports::start_utc(Quarter{2027, 1}) == "2026-12-31T23:00:00Z");
    CHECK(reports::start_utc(Quarter{2026, 2}) == "2026-03-31T22:00:00Z");
    CHECK(reports::start_utc(Quarter{2026, 3}) == "2026-06-30T22:00:00Z");
    CHECK(reports::start_utc(Quarter{2026, 4}) == "2026-09-30T22:00:00Z");
    CHECK(reports::first_day(Quarter{2026, 4}) == "2026-10-01");
    CHECK(reports::last_day(Quarter{2026, 4}) == "2026-12-31");
    CHECK(reports::last_day(Quarter{2024, 1}) == "2024-03-31");
    CHECK(reports::period_text(Quarter{2026, 4}) == "1 oktober–31 december 2026");
    CHECK(reports::period_text(Quarter{2026, 2}) == "1 april–30 juni 2026");
    CHECK(reports::long_name(Quarter{2026, 4}) == "2026 kvartal 4");
    CHECK(reports::short_name(Quarter{2026, 4}) == "2026 K4");
    CHECK(reports::previous(Quarter{2027, 1}) == Quarter{2026, 4});
    CHECK(reports::next(Quarter{2026, 4}) == Quarter{2027, 1});
}

TEST_CASE("an instant belongs to the quarter of its Swedish local date") {
    // On a server in UTC too (the rules themselves are tested in tests/base/time_test).
    setenv("TZ", "UTC0", 1);
    tzset();
    CHECK(reports::quarter_of(utc(2026, 9, 30, 21, 59, 59)) == Quarter{2026, 3});
    CHECK(reports::quarter_of(utc(2026, 9, 30, 22, 0)) == Quarter{2026, 4});
    CHECK(reports::quarter_of(utc(2026, 12, 31, 22, 59, 59)) == Quarter{2026, 4});
    CHECK(reports::quarter_of(utc(2026, 12, 31, 23, 0)) == Quarter{2027, 1});
}

TEST_CASE(
    "shares (completed controls) are whole percent, and a share under 20 % never reads as 20 %") {
    reports::Figures figures;
    figures.phones = 1000;
    figures.completed = 199;
    CHECK(reports::share_text(figures) == "19,9\u00a0%");
    CHECK(reports::under_rule(figures));
    figures.phones = 5;
    figures.completed = 1;
    CHECK(reports::share_text(figures) == "20\u00a0%");
    CHECK_FALSE(reports::under_rule(figures));
    CHECK(reports::share_decimal(figures) == "20,0");
    figures.phones = 30;
    figures.completed = 7;
    CHECK(reports::share_text(figures) == "23\u00a0%");
}

TEST_CASE("names sort in Swedish order") {
    CHECK(reports::swedish_sort_key("Zeta") < reports::swedish_sort_key("Åsen"));
    CHECK(reports::swedish_sort_key("Åsen") < reports::swedish_sort_key("Älvgården"));
    CHECK(reports::swedish_sort_key("Älvgården") < reports::swedish_sort_key("Östra"));
    CHECK(reports::swedish_sort_key("hemtjänst") == reports::swedish_sort_key("Hemtjänst"));
}

TEST_CASE("report files are named after the quarter") {
    CHECK(reports::default_file_name(Quarter{2026, 4}, reports::Format::pdf) ==
          "sekretesskontroll-2026Q4.pdf");
    CHECK(reports::default_file_name(Quarter{2026, 4}, reports::Format::csv) ==
          "sekretesskontroll-2026Q4.csv");
}
