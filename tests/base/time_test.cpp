#include "base/time.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

namespace dockscan::base {
namespace {

// Stations and review servers often run in UTC: what people read must not follow the
// machine's zone, so every case runs with the process in UTC.
void use_utc() {
    setenv("TZ", "UTC0", 1);
    tzset();
}

} // namespace

TEST_CASE("Swedish time whatever the machine's zone, across both switch days", "[time]") {
    use_utc();
    struct Case {
        const char* utc;
        std::int64_t unix_seconds;
        const char* swedish;
        std::int64_t offset;
    };
    // Expected values from Python's zoneinfo (tzdata) for Europe/Stockholm.
    const Case c = GENERATE(
        Case{"2026-12-01T07:53:00Z", 1796111580, "2026-12-01 08:53", 3600}, // winter, CET
        Case{"2026-06-15T07:53:00Z", 1781509980, "2026-06-15 09:53", 7200}, // summer, CEST
        Case{"2026-03-29T00:59:00Z", 1774745940, "2026-03-29 01:59", 3600}, // spring switch
        Case{"2026-03-29T01:00:00Z", 1774746000, "2026-03-29 03:00", 7200},
        Case{"2026-10-25T00:30:00Z", 1792888200, "2026-10-25 02:30", 7200}, // autumn switch:
        Case{"2026-10-25T00:59:00Z", 1792889940, "2026-10-25 02:59", 7200}, // 02:00-03:00
        Case{"2026-10-25T01:00:00Z", 1792890000, "2026-10-25 02:00", 3600}, // comes twice
        Case{"2026-10-25T01:30:00Z", 1792891800, "2026-10-25 02:30", 3600},
        Case{"2026-12-31T23:30:00Z", 1798759800, "2027-01-01 00:30", 3600}, // new year
        Case{"2000-02-29T23:30:00Z", 951867000, "2000-03-01 00:30", 3600},  // leap day
        // Until 1995 summer time ended on the last Sunday of September.
        Case{"1990-03-25T00:59:00Z", 638326740, "1990-03-25 01:59", 3600},
        Case{"1990-03-25T01:00:00Z", 638326800, "1990-03-25 03:00", 7200},
        Case{"1990-09-30T00:59:00Z", 654656340, "1990-09-30 02:59", 7200},
        Case{"1990-09-30T01:00:00Z", 654656400, "1990-09-30 02:00", 3600},
        // 1980, the first year: from the first Sunday of April; none in 1979.
        Case{"1980-03-30T07:53:00Z", 323250780, "1980-03-30 08:53", 3600},
        Case{"1980-04-06T00:59:00Z", 323830740, "1980-04-06 01:59", 3600},
        Case{"1980-04-06T01:00:00Z", 323830800, "1980-04-06 03:00", 7200},
        Case{"1979-07-01T07:53:00Z", 299663580, "1979-07-01 08:53", 3600},
        Case{"1970-01-01T00:00:00Z", 0, "1970-01-01 01:00", 3600});
    CAPTURE(c.utc);
    CHECK(parse_iso8601_utc(c.utc) == std::optional<std::int64_t>{c.unix_seconds});
    CHECK(iso8601_utc(c.unix_seconds) == c.utc);
    CHECK(swedish_utc_offset(c.unix_seconds) == c.offset);
    CHECK(swedish_time_text(c.unix_seconds) == c.swedish);
}

TEST_CASE("the Swedish date is the local one near midnight", "[time]") {
    use_utc();
    // 22:30 UTC on 30 September 2026 is 00:30 on 1 October in Sweden.
    CHECK(swedish_date(1790807400) == Date{2026, 10, 1});
    CHECK(swedish_date(1790807400 - 3600) == Date{2026, 9, 30});
}

TEST_CASE("only the store's timestamp form parses", "[time]") {
    const std::string text =
        GENERATE(as<std::string>{}, "", "2026-11-20", "2026-11-20 14:02:00", "2026-11-20T14:02:00",
                 "2026-11-20T14:02:00+01:00", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                 "2026-11-20T24:00:00Z", "+026-11-20T14:02:00Z", "2026-11-2 T14:02:00Z", "okänt");
    CAPTURE(text);
    CHECK_FALSE(parse_iso8601_utc(text));
}

} // namespace dockscan::base
