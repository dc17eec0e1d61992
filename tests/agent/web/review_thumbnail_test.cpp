#include "agent/store/retention.hpp"
#include "agent/web/review_app.hpp"
#include "base/time.hpp"
#include "tests/agent/web/review_fixture.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace dockscan::agent;
using namespace dockscan::agent::web;
using namespace dockscan::agent::web::test;

namespace {

// A flagged photo with its evidence thumbnail, on the phone with `serial`.
std::int64_t photo_finding(ReviewFixture& f, const std::string& label, const std::string& serial,
                           const std::string& jpeg) {
    const auto phone = store_test::value_of(f.store.upsert_phone({label, serial, "", "", ""}));
    const auto scan = store_test::value_of(f.store.begin_scan(phone, "test"));
    NewFinding face;
    face.kind = "face";
    face.category = "bild_pa_brukare";
    face.severity = "avvikelse";
    face.confidence = 0.6;
    face.detector = "image/face";
    face.thumbnail = Thumbnail{jpeg, 96, 72};
    store_test::value_of(f.store.write_batch(scan, phone,
                                             {ItemResult{"photo",
                                                         "DCIM/100APPLE/IMG_0007.JPG",
                                                         "Bild IMG_0007.JPG",
                                                         100,
                                                         1,
                                                         ItemOutcome::scanned,
                                                         {face},
                                                         {}}}));
    store_test::value_of(f.store.finish_scan(scan, ScanStatus::complete, "", ItemCounts{}));
    return store_test::value_of(f.store.findings(scan)).front().id;
}

} // namespace

TEST_CASE("a flagged photo's blurred thumbnail shows on its finding, for its unit only",
          "[web][thumbnail]") {
    ReviewFixture f;
    // The review serves whatever the store holds; the bytes stand in for a JPEG.
    const std::string jpeg_a = std::string("\xff\xd8\xff\xe0", 4) + "thumbnail of phone A";
    const std::string jpeg_b = std::string("\xff\xd8\xff\xe0", 4) + "thumbnail of phone B";
    const auto photo_a = photo_finding(f, "HT-Norr-01", "SER-A", jpeg_a);
    const auto photo_b = photo_finding(f, "LSS-Ekan-07", "SER-B", jpeg_b);
    ReviewApp app(f.store, {});
    Client client(app);
    REQUIRE(client.login("anna.berg", k_supervisor_password).status == 303);

    const Response page = client.get("/fynd/" + std::to_string(photo_a));
    REQUIRE(page.status == 200);
    CHECK(contains(page.body, "<img class=\"thumb\" src=\"/fynd/" + std::to_string(photo_a) +
                                  "?bild=1\" width=\"96\" height=\"72\""));
    const Response image = client.get("/fynd/" + std::to_string(photo_a), {{"bild", "1"}});
    CHECK(image.status == 200);
    CHECK(image.content_type == "image/jpeg");
    CHECK(image.body == jpeg_a);

    // A message finding has no picture.
    const Response message = client.get("/fynd/" + std::to_string(f.finding_a));
    CHECK(contains(message.body, "Ingen bild"));
    CHECK(client.get("/fynd/" + std::to_string(f.finding_a), {{"bild", "1"}}).status == 404);

    // Another unit's thumbnail is refused like its finding, and the refusal audited.
    const Response other = client.get("/fynd/" + std::to_string(photo_b), {{"bild", "1"}});
    CHECK(other.status == 404);
    CHECK_FALSE(contains(other.body, "thumbnail of phone B"));
    bool denied = false;
    bool viewed = false;
    for (const std::string& row : f.audit_rows()) {
        denied |= row == "anna.berg access_denied finding:" + std::to_string(photo_b) +
                             " finding of a unit the user does not have";
        viewed |= contains(row, "anna.berg view_thumbnail finding:" + std::to_string(photo_a));
    }
    CHECK(denied);
    CHECK(viewed);
}

TEST_CASE("a finding whose evidence retention purged says so, and shows no picture",
          "[web][thumbnail][retention]") {
    ReviewFixture f;
    const std::string jpeg = std::string("\xff\xd8\xff\xe0", 4) + "thumbnail of phone A";
    const auto photo = photo_finding(f, "HT-Norr-01", "SER-A", jpeg);
    {
        auto aged = f.store.database().prepare(
            "UPDATE findings SET created_at = '2024-11-01T10:00:00Z' WHERE id = ?1");
        REQUIRE(aged);
        aged->bind(1, photo);
        REQUIRE(aged->step());
    }
    REQUIRE(retention::purge(f.store, 365, dockscan::base::unix_now(), "system"));
    ReviewApp app(f.store, {});
    Client client(app);
    REQUIRE(client.login("anna.berg", k_supervisor_password).status == 303);

    const Response page = client.get("/fynd/" + std::to_string(photo));
    REQUIRE(page.status == 200);
    CHECK(contains(page.body, "Gallrade "));
    CHECK(contains(page.body, "Ingen bild"));
    CHECK_FALSE(contains(page.body, "IMG_0007"));
    CHECK(client.get("/fynd/" + std::to_string(photo), {{"bild", "1"}}).status == 404);
    // A finding within the retention keeps its evidence and says nothing of purging.
    const Response kept = client.get("/fynd/" + std::to_string(f.finding_a));
    REQUIRE(kept.status == 200);
    CHECK_FALSE(contains(kept.body, "Gallrade"));
}
