// The review UI shows Swedish time, whatever the server's zone: review servers often run
// in UTC, and a supervisor compares what they read with the phone in their hand.

#include "agent/web/labels.hpp"
#include "tests/agent/web/review_fixture.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <ctime>
#include <string>

using namespace dockscan::agent::web;
using namespace dockscan::agent::web::test;

namespace {

void use_utc() {
    setenv("TZ", "UTC0", 1);
    tzset();
}

} // namespace

TEST_CASE("the review UI shows the store's UTC times as Swedish time") {
    use_utc();
    struct Case {
        const char* stored;
        const char* shown;
    };
    const Case c = GENERATE(Case{"2026-12-01T07:53:00Z", "2026-12-01 08:53"}, // winter
                            Case{"2026-06-15T07:53:00Z", "2026-06-15 09:53"}, // summer
                            Case{"2026-03-29T00:59:00Z", "2026-03-29 01:59"}, // spring switch
                            Case{"2026-03-29T01:00:00Z", "2026-03-29 03:00"},
                            Case{"2026-10-25T00:30:00Z", "2026-10-25 02:30"}, // autumn switch
                            Case{"2026-10-25T01:30:00Z", "2026-10-25 02:30"},
                            Case{"2026-12-31T23:30:00Z", "2027-01-01 00:30"});
    CHECK(display_time(c.stored) == c.shown);
}

TEST_CASE("text that is not a stored timestamp is shown as it is") {
    const std::string text = GENERATE(as<std::string>{}, "", "–", "2026-12-01", "2026-12-01 07:53",
                                      "2026-12-01T07:53:00+01:00");
    CHECK(display_time(text) == text);
}

TEST_CASE("a scan at 07:53 UTC reads 08:53 in winter and 09:53 in summer on every page") {
    use_utc();
    struct Case {
        const char* started_at;
        const char* shown;
    };
    const Case c = GENERATE(Case{"2026-12-01T07:53:00Z", "2026-12-01 08:53"},
                            Case{"2026-06-15T07:53:00Z", "2026-06-15 09:53"});
    ReviewFixture f;
    auto update = f.value_of_sql("UPDATE scans SET started_at = '" + std::string(c.started_at) +
                                 "' WHERE id = " + std::to_string(f.scan_a));
    REQUIRE(update.step().has_value());
    ReviewApp app(f.store, {});
    Client client(app);
    REQUIRE(client.login("anna.berg", k_supervisor_password).status == 303);

    const std::string shown = c.shown;
    const std::string utc = std::string(c.started_at).substr(0, 10) + " 07:53";
    const Response queue = client.get("/granska");
    REQUIRE(queue.status == 200);
    CHECK(contains(queue.body, "Skanning " + shown));
    const Response scans = client.get("/skanningar");
    REQUIRE(scans.status == 200);
    CHECK(contains(scans.body, shown));
    const Response scan = client.get("/skanningar/" + std::to_string(f.scan_a));
    REQUIRE(scan.status == 200);
    CHECK(contains(scan.body, shown));
    const Response finding = client.get("/fynd/" + std::to_string(f.finding_a));
    REQUIRE(finding.status == 200);
    CHECK(contains(finding.body, shown));
    for (const Response* page : {&queue, &scans, &scan, &finding}) {
        CHECK_FALSE(contains(page->body, utc));
    }
}
