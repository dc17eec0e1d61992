#include "docking/message_label.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <string>

namespace dockscan::docking {
namespace {

// The station or review server may run in UTC: labels must not follow it.
void use_utc() {
    setenv("TZ", "UTC0", 1);
    tzset();
}

} // namespace

TEST_CASE("message times are Swedish time whatever the machine's zone", "[message_label]") {
    use_utc();
    struct Case {
        std::int64_t unix_seconds;
        const char* label;
    };
    // Instants from Python's zoneinfo for Europe/Stockholm.
    const Case c = GENERATE(Case{1781509980, "2026-06-15 09:53"}, // summer, UTC+2
                            Case{1796111580, "2026-12-01 08:53"}, // winter, UTC+1
                            Case{1774745940, "2026-03-29 01:59"}, // just before the switch
                            Case{1774746000, "2026-03-29 03:00"}, // the switch to summer time
                            Case{1792888200, "2026-10-25 02:30"}, // the first 02:30 of October
                            Case{1792891800, "2026-10-25 02:30"}, // and the second one
                            Case{654654600, "1990-09-30 02:30"},  // summer time ended in September
                            Case{655980780, "1990-10-15 09:53"},  // then
                            Case{0, "1970-01-01 01:00"});
    CHECK(label_time(c.unix_seconds) == c.label);
}

} // namespace dockscan::docking
