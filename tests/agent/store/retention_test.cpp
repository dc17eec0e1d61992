#include "agent/store/retention.hpp"
#include "base/time.hpp"
#include "tests/agent/store/store_test_support.hpp"

#include <algorithm>

using namespace dockscan::agent;
using namespace dockscan::agent::store_test;
using dockscan::testing::TempDir;

namespace {

// 2026-11-22T12:00:00Z
constexpr std::int64_t k_now = 1795348800;

// Sets when the findings of `scan_id` were recorded.
void recorded_at(Store& store, std::int64_t scan_id, const std::string& iso) {
    auto update =
        store.database().prepare("UPDATE findings SET created_at = ?1 WHERE scan_id = ?2");
    REQUIRE(update);
    update->bind_text(1, iso);
    update->bind(2, scan_id);
    REQUIRE(update->step());
}

struct Scanned {
    std::int64_t scan_id;
    std::int64_t phone_id;
};

// One scan of a phone with a message (a personnummer) and a photo (a face, with its
// evidence thumbnail), both with findings.
Scanned scan_with_findings(Store& store, const std::string& tag) {
    const std::int64_t phone =
        value_of(store.upsert_phone({"phone-" + tag, "SER" + tag, "", "", ""}));
    const std::int64_t scan = value_of(store.begin_scan(phone, "folder:/phone"));
    ItemResult message{"message",
                       "sms:" + tag,
                       "SMS från +46 70… " + tag,
                       120,
                       1'700'000'000,
                       ItemOutcome::scanned,
                       {personnummer_finding("850709-****", "född 850709-****")},
                       {}};
    message.findings[0].match_hash = store.match_hash("198507099805");
    NewFinding face;
    face.kind = "face";
    face.category = "klientfoto";
    face.severity = "avvikelse";
    face.confidence = 0.6;
    face.detector = "image/face";
    face.thumbnail = Thumbnail{"\xff\xd8 a blurred jpeg \xff\xd9", 96, 72};
    ItemResult photo{"photo",
                     "DCIM/IMG_" + tag + ".JPG",
                     "Bild DCIM/IMG_" + tag + ".JPG",
                     2'000'000,
                     1'700'000'000,
                     ItemOutcome::scanned,
                     {face},
                     {}};
    REQUIRE(store.write_batch(scan, phone, {message, photo}));
    REQUIRE(store.finish_scan(scan, ScanStatus::complete, "", {}));
    return {scan, phone};
}

// A store with two scans, of two phones, whose findings were recorded at `first` and
// `second`.
struct TwoScans {
    TempDir dir;
    Store store = open_store(dir / "store.db", new_key(dir));
    Scanned first = scan_with_findings(store, "1");
    Scanned second = scan_with_findings(store, "2");

    TwoScans(const std::string& first_at, const std::string& second_at) {
        recorded_at(store, first.scan_id, first_at);
        recorded_at(store, second.scan_id, second_at);
    }
};

} // namespace

TEST_CASE("the retention cutoff is the retention period, but never inside the current quarter",
          "[store][retention]") {
    // 365 days before 2026-11-22 is well before the quarter began.
    CHECK(dockscan::base::iso8601_utc(retention::cutoff(365, k_now)) == "2025-11-22T12:00:00Z");
    // 30 days would reach into Q4, which is not reported yet: the quarter's start.
    CHECK(dockscan::base::iso8601_utc(retention::cutoff(30, k_now)) == "2026-10-01T00:00:00Z");
}

TEST_CASE("evidence older than the retention is purged, what the reports count is kept",
          "[store][retention]") {
    TwoScans two("2025-01-10T10:00:00Z", "2026-09-30T23:00:00Z");
    Store& store = two.store;
    const Scanned& old_scan = two.first;
    const Scanned& recent = two.second;
    const auto before = value_of(store.findings());

    // A year: the findings of January 2025 go, those of September 2026 stay.
    const retention::Purged purged = value_of(retention::purge(store, 365, k_now, "system"));
    CHECK(purged.findings == 2);
    CHECK(purged.thumbnails == 1);
    CHECK(purged.before == "2025-11-22T12:00:00Z");

    const auto after = value_of(store.findings());
    REQUIRE(after.size() == before.size());
    for (std::size_t i = 0; i < after.size(); ++i) {
        const FindingRow& was = before[i];
        const FindingRow& now = after[i];
        INFO(now.kind << " of scan " << now.scan_id);
        // What the quarterly report counts is unchanged.
        CHECK(now.kind == was.kind);
        CHECK(now.category == was.category);
        CHECK(now.severity == was.severity);
        CHECK(now.created_at == was.created_at);
        if (now.scan_id == old_scan.scan_id) {
            // Nothing that points at a person is left.
            CHECK(now.masked.empty());
            CHECK(now.match_hash.empty());
            CHECK(now.excerpt.empty());
            CHECK(now.item_label.empty());
            CHECK_FALSE(value_of(store.finding_thumbnail(now.id)).has_value());
        } else {
            CHECK(now.masked == was.masked);
            CHECK(now.match_hash == was.match_hash);
            CHECK(now.excerpt == was.excerpt);
            CHECK(now.item_label == was.item_label);
        }
    }
    const auto thumbnails_left =
        std::count_if(after.begin(), after.end(), [&](const FindingRow& f) {
            return value_of(store.finding_thumbnail(f.id)).has_value();
        });
    CHECK(thumbnails_left == 1);

    // The purged items are scanned again at the next docking: what is still on the
    // phone is found again, in that quarter.
    const auto old_item = value_of(store.item_state(old_scan.phone_id, "message", "sms:1"));
    REQUIRE(old_item);
    CHECK(old_item->size != 120);
    const auto kept_item = value_of(store.item_state(recent.phone_id, "message", "sms:2"));
    REQUIRE(kept_item);
    CHECK(kept_item->size == 120);

    // The audit log says what was purged, and the chain holds.
    auto audit =
        store.database().prepare("SELECT actor, detail FROM audit_log WHERE action = 'purge'");
    REQUIRE(audit);
    const auto has_row = audit->step();
    REQUIRE(has_row);
    REQUIRE(*has_row);
    CHECK(audit->column_text(0) == "system");
    CHECK(audit->column_text(1).find("2 findings, 1 thumbnails") != std::string::npos);
    CHECK(value_of(store.verify_audit()).intact);

    // Purging again purges nothing more and writes nothing.
    const retention::Purged again = value_of(retention::purge(store, 365, k_now, "system"));
    CHECK(again.findings == 0);
    CHECK(again.thumbnails == 0);
}

TEST_CASE("a short retention still keeps the findings of the quarter not yet reported",
          "[store][retention]") {
    // The second is 48 days old, but in Q4.
    TwoScans two("2026-09-30T23:00:00Z", "2026-10-05T08:00:00Z");
    Store& store = two.store;
    const Scanned& q3 = two.first;
    const retention::Purged purged = value_of(retention::purge(store, 30, k_now, "system"));
    CHECK(purged.findings == 2);
    for (const FindingRow& f : value_of(store.findings())) {
        INFO(f.kind << " of scan " << f.scan_id);
        if (f.kind == "personnummer") {
            CHECK(f.masked.empty() == (f.scan_id == q3.scan_id));
        }
        CHECK(f.item_label.empty() == (f.scan_id == q3.scan_id));
    }
}
