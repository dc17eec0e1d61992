#include "agent/scan/scan_pipeline.hpp"
#include "agent/scan/sources.hpp"
#include "tests/detectors/image/fixtures.hpp"
#include "tests/support/temp_dir.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

using namespace dockscan;
using dockscan::testing::TempDir;
using dockscan::testing::write_file;

TEST_CASE("a scan keeps a small blurred thumbnail of flagged photos only", "[scan][thumbnail]") {
    TempDir tmp;
    auto key = agent::StoreKey::create_file(tmp / "store.key");
    REQUIRE(key);
    auto store = agent::Store::open(tmp / "dockscan.db", *key, agent::OpenMode::create);
    REQUIRE(store);
    agent::PhoneIdentity phone;
    phone.label = "Telefon 1";
    auto phone_id = store->upsert_phone(phone);
    REQUIRE(phone_id);

    const auto root = tmp / "phone";
    // Skatteverket's test personnummer on a photographed summons, and a plain photo.
    write_file(
        root / "DCIM" / "Camera" / "IMG_0002.jpg",
        dockscan::test_images::document_photo_jpeg(
            {"KALLELSE", "Personnummer: 19450411-8359", "Tid: 14 maj kl 10.30"}, 2400, 1800, 4));
    write_file(root / "DCIM" / "Camera" / "IMG_0003.jpg",
               dockscan::test_images::scene_photo_jpeg(640, 480, 12));
    auto source = agent::open_source(root.string());
    REQUIRE(source);
    auto summary =
        agent::run_scan(**source, *store, *phone_id, agent::ScanOptions{}, std::stop_token{});
    REQUIRE(summary);
    REQUIRE(summary->findings >= 2); // the document and its number

    auto rows = store->findings();
    REQUIRE(rows);
    for (const agent::FindingRow& row : *rows) {
        auto thumb = store->finding_thumbnail(row.id);
        REQUIRE(thumb);
        REQUIRE(*thumb);
        CHECK((*thumb)->width <= 96);
        CHECK((*thumb)->height <= 96);
        CHECK(std::max((*thumb)->width, (*thumb)->height) == 96);
        // A JPEG, and small: no room for a readable page.
        CHECK((*thumb)->jpeg.substr(0, 3) == "\xff\xd8\xff");
        CHECK((*thumb)->jpeg.size() < 8 * 1024);
    }
    // One thumbnail per flagged item; the plain photo has none.
    auto count = store->database().prepare("SELECT count(*) FROM thumbnails");
    REQUIRE(count);
    REQUIRE(*count->step());
    CHECK(count->column_int(0) == 1);
}
