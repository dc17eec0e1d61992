#include "agent/store/store.hpp"
#include "base/sqlite.hpp"
#include "tests/agent/store/store_test_support.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <unistd.h>

using namespace dockscan::agent;
using namespace dockscan::agent::store_test;
namespace sqlite = dockscan::base::sqlite;
using dockscan::testing::TempDir;

namespace {

bool is_iso8601_utc(const std::string& text) {
    // 2026-11-20T14:02:00Z
    return text.size() == 20 && text[4] == '-' && text[7] == '-' && text[10] == 'T' &&
           text[13] == ':' && text[16] == ':' && text[19] == 'Z';
}

} // namespace

TEST_CASE("upsert_phone finds a phone by serial, else by label, and keeps what it knew") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    auto store = open_store(dir / "store.db", key);
    const auto id =
        value_of(store.upsert_phone({"hemtjanst-07", "SER7", "Telefon 7", "iPhone12,8", "17.2"}));
    const auto other = value_of(store.upsert_phone({"hemtjanst-08", "", "", "", ""}));
    CHECK(other != id);

    const auto [label, serial, same] = GENERATE(table<std::string, std::string, bool>({
        {"hemtjanst-07", "SER7", true},
        {"hemtjanst-07", "", true},       // a folder source knows no serial
        {"some-new-label", "SER7", true}, // the same hardware under another name
        {"hemtjanst-09", "SER9", false},  // a new phone
    }));
    INFO(label << " / " << serial);
    const auto found = value_of(store.upsert_phone({label, serial, "", "", "17.3"}));
    CHECK((found == id) == same);
    // Another phone already has this label: refuse rather than merge two phones.
    auto clash = store.upsert_phone({"hemtjanst-07", "SER-OTHER", "", "", ""});
    REQUIRE_FALSE(clash);
    CHECK(clash.error().code == ErrorCode::config);
    CHECK_THAT(clash.error().message, Catch::Contains("SER7"));

    // What this source did not know did not erase what the first one did.
    auto raw = sqlite::Database::open(dir / "store.db", sqlite::Access::read_write, key.bytes());
    REQUIRE(raw);
    auto phone = raw->prepare("SELECT label, serial, name, model, os_version FROM phones "
                              "WHERE id = ?1");
    REQUIRE(phone);
    phone->bind(1, id);
    REQUIRE(phone->step().value());
    CHECK(phone->column_text(0) == "hemtjanst-07");
    CHECK(phone->column_text(1) == "SER7");
    CHECK(phone->column_text(2) == "Telefon 7");
    CHECK(phone->column_text(3) == "iPhone12,8");
    CHECK(phone->column_text(4) == (same ? "17.3" : "17.2"));
}

TEST_CASE("a scan is running from its start and complete with its counts at the end") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    auto store = open_store(dir / "store.db", key);
    const auto phone = value_of(store.upsert_phone({"phone-1", "SER1", "", "", ""}));
    const auto scan_id = value_of(store.begin_scan(phone, "ios-backup"));

    auto running = value_of(store.scan(scan_id));
    REQUIRE(running);
    CHECK(running->status == ScanStatus::running);
    CHECK(running->source == "ios-backup");
    CHECK(running->phone_id == phone);
    CHECK(is_iso8601_utc(running->started_at));
    CHECK(running->finished_at.empty());

    value_of(store.write_batch(scan_id, phone, sample_batch(1)));
    value_of(store.write_batch(scan_id, phone, sample_batch(2)));
    // The running counts show what the batches held before the scan is finished.
    running = value_of(store.scan(scan_id));
    CHECK(running->counts.messages == 2);
    CHECK(running->counts.photos == 2);
    CHECK(running->counts.errors == 2);
    CHECK(running->counts.files == 0);
    CHECK(running->findings == 2);

    ItemCounts counts;
    counts.messages = 2;
    counts.photos = 2;
    counts.errors = 2;
    counts.unchanged = 40;
    value_of(store.finish_scan(scan_id, ScanStatus::complete, "", counts));
    const auto done = value_of(store.scan(scan_id));
    REQUIRE(done);
    CHECK(done->status == ScanStatus::complete);
    CHECK(done->reason.empty());
    CHECK(is_iso8601_utc(done->finished_at));
    CHECK(done->counts.unchanged == 40);
    CHECK(done->counts.errors == 2);
    CHECK(done->findings == 2);

    CHECK_FALSE(value_of(store.scan(scan_id + 1)).has_value());
    CHECK_FALSE(store.finish_scan(scan_id + 1, ScanStatus::failed, "x", counts));
    CHECK_FALSE(store.finish_scan(scan_id, ScanStatus::running, "", counts));
}

TEST_CASE("a scan that stops early keeps its status and reason") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    auto store = open_store(dir / "store.db", key);
    const auto phone = value_of(store.upsert_phone({"phone-1", "", "", "", ""}));
    const auto [status, reason] = GENERATE(table<ScanStatus, std::string>({
        {ScanStatus::partial, "unplugged"},
        {ScanStatus::failed, "not trusted: tap Trust on the phone"},
    }));
    const auto scan_id = value_of(store.begin_scan(phone, "usb"));
    value_of(store.finish_scan(scan_id, status, reason, ItemCounts{}));
    const auto row = value_of(store.scan(scan_id));
    REQUIRE(row);
    CHECK(row->status == status);
    CHECK(row->reason == reason);
    CHECK(parse_scan_status(to_string(status)) == status);
}

TEST_CASE("item state makes the next scan incremental, and the item keeps its identity") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    auto store = open_store(dir / "store.db", key);
    const auto phone = value_of(store.upsert_phone({"phone-1", "", "", "", ""}));
    const auto other_phone = value_of(store.upsert_phone({"phone-2", "", "", "", ""}));
    CHECK_FALSE(value_of(store.item_state(phone, "message", "sms:1")).has_value());

    const auto first = value_of(store.begin_scan(phone, "folder"));
    value_of(store.write_batch(first, phone, sample_batch(1)));
    auto state = value_of(store.item_state(phone, "message", "sms:1"));
    REQUIRE(state);
    CHECK(state->size == 120);
    CHECK(state->mtime == 1'700'000'001);
    CHECK(state->outcome == ItemOutcome::scanned);
    CHECK(value_of(store.item_state(phone, "file", "Documents/1.pdf"))->outcome ==
          ItemOutcome::failed);
    CHECK_FALSE(value_of(store.item_state(other_phone, "message", "sms:1")).has_value());
    CHECK_FALSE(value_of(store.item_state(phone, "photo", "sms:1")).has_value());

    // The next scan sees the message changed: the same item, updated, with a new finding.
    auto batch = sample_batch(1);
    batch.resize(1);
    batch[0].size = 150;
    batch[0].mtime = 1'800'000'000;
    const auto second = value_of(store.begin_scan(phone, "folder"));
    value_of(store.write_batch(second, phone, batch));
    state = value_of(store.item_state(phone, "message", "sms:1"));
    CHECK(state->size == 150);
    CHECK(state->mtime == 1'800'000'000);

    const auto findings = value_of(store.findings());
    REQUIRE(findings.size() == 2);
    CHECK(findings[0].scan_id == second);
    CHECK(findings[1].scan_id == first);
    CHECK(findings[0].item_ref == findings[1].item_ref);
}

TEST_CASE("findings come with their phone and item, newest first") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    auto store = open_store(dir / "store.db", key);
    const auto phone = value_of(store.upsert_phone({"lss-boende-3", "", "", "", ""}));
    const auto first = value_of(store.begin_scan(phone, "folder"));
    value_of(store.write_batch(first, phone, sample_batch(1)));
    const auto second = value_of(store.begin_scan(phone, "folder"));
    value_of(store.write_batch(second, phone, sample_batch(2)));
    value_of(store.write_batch(second, phone, sample_batch(3)));

    const auto all = value_of(store.findings());
    REQUIRE(all.size() == 3);
    CHECK(all[0].id > all[1].id);
    CHECK(all[1].id > all[2].id);
    CHECK(all[0].item_ref == "sms:3");
    CHECK(all[2].item_ref == "sms:1");

    const FindingRow& row = all[2];
    CHECK(row.scan_id == first);
    CHECK(row.phone == "lss-boende-3");
    CHECK(row.item_type == "message");
    CHECK(row.item_label == "SMS från +46 70… 1");
    CHECK(row.kind == "personnummer");
    CHECK(row.category == "personnummer_i_meddelande");
    CHECK(row.severity == "avvikelse");
    CHECK(row.confidence == Approx(0.9));
    CHECK(row.masked == "850709-****");
    CHECK(row.excerpt == "född 850709-**** (1)");
    CHECK(row.detector == "text/identity-number");
    CHECK(is_iso8601_utc(row.created_at));

    const auto of_second = value_of(store.findings(second));
    REQUIRE(of_second.size() == 2);
    CHECK(of_second[0].item_ref == "sms:3");
    CHECK(of_second[1].item_ref == "sms:2");
    CHECK(value_of(store.findings(second + 5)).empty());
}

TEST_CASE("a batch for the wrong phone is refused and leaves nothing behind") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    auto store = open_store(dir / "store.db", key);
    const auto phone = value_of(store.upsert_phone({"phone-1", "", "", "", ""}));
    const auto other = value_of(store.upsert_phone({"phone-2", "", "", "", ""}));
    const auto scan_id = value_of(store.begin_scan(phone, "folder"));
    auto wrong = store.write_batch(scan_id, other, sample_batch(1));
    REQUIRE_FALSE(wrong);
    CHECK(value_of(store.findings()).empty());
    CHECK_FALSE(value_of(store.item_state(other, "message", "sms:1")).has_value());
    // The store is usable after the rollback.
    value_of(store.write_batch(scan_id, phone, sample_batch(1)));
    CHECK(value_of(store.findings()).size() == 1);
}

TEST_CASE("match_hash is the keyed HMAC of the number, stable across opens") {
    TempDir dir;
    const StoreKey key = counting_key(dir);
    const auto path = dir / "store.db";
    std::string first;
    {
        auto store = open_store(path, key);
        first = store.match_hash("198507099805");
        // Computed with Python: HMAC-SHA256 keyed with derive("identity-hmac").
        CHECK(first == "86737baacb6cad1511f7942c4910eb6940e5f706d5232fe2dc3dbf3a172b9b6b");
        CHECK(store.match_hash("198507099806") != first);
    }
    auto reopened = open_store(path, key, OpenMode::existing);
    CHECK(reopened.match_hash("198507099805") == first);

    // Another station's key gives another hash: hashes cannot be matched across stores.
    const StoreKey other = new_key(dir, "other.key");
    auto other_store = open_store(dir / "other.db", other);
    CHECK(other_store.match_hash("198507099805") != first);
}

TEST_CASE("a scan whose process is still alive stays running when the store is reopened") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    const auto path = dir / "store.db";
    auto store = open_store(path, key);
    const auto phone = value_of(store.upsert_phone({"phone-1", "", "", "", ""}));
    const auto scan_id = value_of(store.begin_scan(phone, "folder"));

    // A second connection, as the review server would open, in this live process.
    auto second = open_store(path, key, OpenMode::existing);
    const auto row = value_of(second.scan(scan_id));
    REQUIRE(row);
    CHECK(row->status == ScanStatus::running);
    CHECK(row->reason.empty());

    auto raw = sqlite::Database::open(path, sqlite::Access::read_write, key.bytes());
    REQUIRE(raw);
    auto pid = raw->prepare("SELECT pid FROM scans WHERE id = ?1");
    REQUIRE(pid);
    pid->bind(1, scan_id);
    REQUIRE(pid->step().value());
    CHECK(pid->column_int(0) == ::getpid());
}
