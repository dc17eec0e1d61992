#include "agent/store/store.hpp"
#include "base/sqlite.hpp"
#include "tests/agent/store/store_test_support.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <functional>
#include <random>
#include <string>

using namespace dockscan::agent;
using namespace dockscan::agent::store_test;
namespace sqlite = dockscan::base::sqlite;
using dockscan::testing::read_file;
using dockscan::testing::TempDir;
using dockscan::testing::write_file;

namespace {

constexpr std::string_view k_wrong_key = "cannot open store: wrong key or not a dockscan store";

std::string random_bytes(std::size_t size) {
    std::mt19937 gen(42);
    std::string out(size, '\0');
    for (auto& c : out) {
        c = static_cast<char>(gen() & 0xff);
    }
    return out;
}

void make_plain_sqlite(const std::filesystem::path& path) {
    auto db = sqlite::Database::open(path, sqlite::Access::create);
    REQUIRE(db);
    REQUIRE(db->exec("CREATE TABLE message (text TEXT); INSERT INTO message VALUES ('hej')"));
}

void make_foreign_sqlcipher(const std::filesystem::path& path, const StoreKey& key) {
    auto db = sqlite::Database::open(path, sqlite::Access::create, key.bytes());
    REQUIRE(db);
    REQUIRE(db->exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('hej')"));
}

void make_other_store(const std::filesystem::path& path, const TempDir& dir) {
    const StoreKey other = new_key(dir, "other.key");
    auto store = open_store(path, other);
    value_of(store.upsert_phone({"phone-1", "", "", "", ""}));
}

} // namespace

TEST_CASE("a new store is created, and opens again as an existing one") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    const auto path = dir / "store.db";
    std::int64_t phone = 0;
    {
        auto store = open_store(path, key, OpenMode::create);
        CHECK(store.schema_version() == 11);
        phone = value_of(store.upsert_phone({"phone-1", "SER1", "", "", ""}));
    }
    auto store = open_store(path, key, OpenMode::existing);
    CHECK(store.schema_version() == 11);
    CHECK(value_of(store.upsert_phone({"phone-1", "SER1", "", "", ""})) == phone);
    // Version 6 lets a scan that read nothing be recorded as empty.
    const auto empty_scan = value_of(store.begin_scan(phone, "/tmp/empty"));
    CHECK(store.finish_scan(empty_scan, ScanStatus::empty, "nothing", ItemCounts{}));
    CHECK(value_of(store.scan(empty_scan))->status == ScanStatus::empty);
    // OpenMode::create opens an existing store as it is.
    auto again = open_store(path, key, OpenMode::create);
    CHECK(value_of(again.upsert_phone({"phone-1", "SER1", "", "", ""})) == phone);
}

TEST_CASE("a missing store is store_missing and is not created") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    SECTION("the file is missing") {
        const auto path = dir / "store.db";
        auto store = Store::open(path, key, OpenMode::existing);
        REQUIRE_FALSE(store);
        CHECK(store.error().code == ErrorCode::store_missing);
        CHECK(store.error().message == "cannot open store: " + path.string() + " does not exist");
        CHECK_FALSE(std::filesystem::exists(path));
    }
    SECTION("the folder is missing") {
        const auto path = dir / "var" / "lib" / "dockscan" / "store.db";
        const auto mode = GENERATE(OpenMode::existing, OpenMode::create);
        auto store = Store::open(path, key, mode);
        REQUIRE_FALSE(store);
        CHECK(store.error().code == ErrorCode::store_missing);
        CHECK_THAT(store.error().message,
                   Catch::Contains(path.string()) && Catch::Contains("does not exist"));
        CHECK_FALSE(std::filesystem::exists(dir / "var"));
    }
}

TEST_CASE("a wrong key or a file that is not a dockscan store is store_wrong_key") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    const auto path = dir / "store.db";
    using Maker = std::function<void(const std::filesystem::path&)>;
    const auto [what, make] = GENERATE_REF(table<std::string, Maker>({
        {"a store made with another key",
         [&](const std::filesystem::path& p) { make_other_store(p, dir); }},
        {"a plain SQLite file", [](const std::filesystem::path& p) { make_plain_sqlite(p); }},
        {"random bytes", [](const std::filesystem::path& p) { write_file(p, random_bytes(8192)); }},
        {"a SQLCipher database with the same key but without the marker",
         [&](const std::filesystem::path& p) { make_foreign_sqlcipher(p, key); }},
        {"a text file", [](const std::filesystem::path& p) { write_file(p, "key = value\n"); }},
    }));
    const auto mode = GENERATE(OpenMode::existing, OpenMode::create);
    INFO(what << (mode == OpenMode::create ? ", OpenMode::create" : ", OpenMode::existing"));
    make(path);
    const std::string before = read_file(path);

    auto store = Store::open(path, key, mode);
    REQUIRE_FALSE(store);
    CHECK(store.error().code == ErrorCode::store_wrong_key);
    CHECK(store.error().message == k_wrong_key);
    // Nothing was written to a file that is not ours.
    CHECK(read_file(path) == before);
}

TEST_CASE("an empty file is a new store only when creating") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    const auto path = dir / "store.db";
    write_file(path, "");
    auto existing = Store::open(path, key, OpenMode::existing);
    REQUIRE_FALSE(existing);
    CHECK(existing.error().message == k_wrong_key);
    auto created = Store::open(path, key, OpenMode::create);
    REQUIRE(created);
    CHECK(created->schema_version() == 11);
}

TEST_CASE("a store of schema version 1 is migrated in place and keeps its data") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    const auto path = dir / "store.db";
    std::int64_t phone = 0;
    {
        auto store = open_store(path, key);
        phone = value_of(store.upsert_phone({"phone-1", "SER1", "", "", ""}));
    }
    {
        // What a store written by the first release looks like: no later tables.
        auto raw = sqlite::Database::open(path, sqlite::Access::read_write, key.bytes());
        REQUIRE(raw);
        // (This SQLCipher's SQLite has no DROP COLUMN: findings is rebuilt without
        // the column that version 4 added.)
        const auto dropped = raw->exec(
            drop_outbox_sql() +
            "DROP TABLE removal_checks; DROP TABLE finding_sightings; "
            "DROP INDEX findings_created; "
            "CREATE TABLE findings_v1 AS SELECT id, scan_id, item_id, kind, category, severity, "
            "confidence, masked, match_hash, excerpt, detector, start, \"end\", created_at "
            "FROM findings; DROP TABLE findings; ALTER TABLE findings_v1 RENAME TO findings; "
            "CREATE TABLE phones_v1 (id INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE, serial "
            "TEXT NOT NULL DEFAULT '', name TEXT NOT NULL DEFAULT '', model TEXT NOT NULL "
            "DEFAULT '', os_version TEXT NOT NULL DEFAULT '', unit_id INTEGER NULL REFERENCES "
            "units (id) ON DELETE SET NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL); "
            "INSERT INTO phones_v1 SELECT id, label, serial, name, model, os_version, unit_id, "
            "first_seen, last_seen FROM phones; DROP TABLE phones; ALTER TABLE phones_v1 RENAME "
            "TO phones; CREATE INDEX phones_serial ON phones (serial); "
            "DROP TABLE dockings; DROP TABLE thumbnails; DROP TABLE phone_units; "
            "DROP TABLE report_comments; "
            // users as version 1 made it, without the generation that version 9 added.
            "DROP TABLE users; CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL "
            "UNIQUE, display_name TEXT NOT NULL DEFAULT '', role TEXT NOT NULL CHECK (role IN "
            "('supervisor', 'quality_lead', 'admin')), password_hash TEXT NOT NULL, disabled "
            "INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL); PRAGMA user_version = 1");
        INFO((dropped ? std::string() : dropped.error().message));
        REQUIRE(dropped);
    }
    auto store = open_store(path, key, OpenMode::existing);
    CHECK(store.schema_version() == 11);
    CHECK(value_of(store.upsert_phone({"phone-1", "SER1", "", "", ""})) == phone);
    // Version 6 lets a scan that read nothing be recorded as empty.
    const auto empty_scan = value_of(store.begin_scan(phone, "/tmp/empty"));
    CHECK(store.finish_scan(empty_scan, ScanStatus::empty, "nothing", ItemCounts{}));
    CHECK(value_of(store.scan(empty_scan))->status == ScanStatus::empty);
    auto raw = sqlite::Database::open(path, sqlite::Access::read_write, key.bytes());
    REQUIRE(raw);
    for (const char* table : {"dockings", "thumbnails"}) {
        const auto has = raw->has_table(table);
        REQUIRE(has);
        CHECK(*has);
    }
    CHECK(raw->exec("SELECT purged_at FROM findings"));
    // A finding of the old store counts once.
    CHECK(raw->exec("SELECT occurrences FROM findings WHERE occurrences = 1"));
    // Version 7: a finding of the old store has no content hash (its removal is checked
    // by size and mtime), and the loop's tables exist.
    CHECK(raw->exec("SELECT content_hash FROM findings WHERE content_hash = ''"));
    for (const char* table : {"removal_checks", "finding_sightings"}) {
        const auto has = raw->has_table(table);
        REQUIRE(has);
        CHECK(*has);
    }
    // Version 9: a user's credentials generation, which ends their sessions when it moves.
    CHECK(raw->exec("SELECT generation FROM users"));
}

TEST_CASE("a store from a newer dockscan is store_schema") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    const auto path = dir / "store.db";
    (void)open_store(path, key);
    {
        auto raw = sqlite::Database::open(path, sqlite::Access::read_write, key.bytes());
        REQUIRE(raw);
        REQUIRE(raw->exec("PRAGMA user_version = 12"));
    }
    auto store = Store::open(path, key, OpenMode::existing);
    REQUIRE_FALSE(store);
    CHECK(store.error().code == ErrorCode::store_schema);
    CHECK_THAT(store.error().message, Catch::Contains("12") && Catch::Contains("update dockscan"));
}

TEST_CASE("the store file is SQLCipher, in WAL mode, with foreign keys enforced") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    const auto path = dir / "store.db";
    auto store = open_store(path, key);
    const auto phone = value_of(store.upsert_phone({"phone-1", "", "", "", ""}));
    (void)value_of(store.begin_scan(phone, "folder"));
    CHECK(std::filesystem::exists(path.string() + "-wal"));
    // A scan for a phone that does not exist violates the foreign key.
    auto orphan = store.begin_scan(phone + 100, "folder");
    REQUIRE_FALSE(orphan);
    CHECK(orphan.error().code == ErrorCode::store_io);

    auto raw = sqlite::Database::open(path, sqlite::Access::read_write, key.bytes());
    REQUIRE(raw);
    auto mode = raw->prepare("PRAGMA journal_mode");
    REQUIRE(mode);
    REQUIRE(mode->step().value());
    CHECK(mode->column_text(0) == "wal");
    for (const auto& table :
         {"meta", "units", "phones", "scans", "items", "findings", "reviews", "audit_log"}) {
        INFO(table);
        CHECK(raw->has_table(table).value());
    }
    CHECK(raw->has_column("findings", "end").value());
    CHECK(raw->has_column("scans", "pid").value());
}

TEST_CASE("reviews are append-only versions") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    const auto path = dir / "store.db";
    auto store = open_store(path, key);
    const auto phone = value_of(store.upsert_phone({"phone-1", "", "", "", ""}));
    const auto scan = value_of(store.begin_scan(phone, "folder"));
    value_of(store.write_batch(scan, phone, sample_batch(1)));
    const auto finding = value_of(store.findings()).at(0).id;

    auto raw = sqlite::Database::open(path, sqlite::Access::read_write, key.bytes());
    REQUIRE(raw);
    const std::string insert = "INSERT INTO reviews (finding_id, decision, reviewer, created_at) "
                               "VALUES (" +
                               std::to_string(finding) + ", '%', 'chef', 'now')";
    for (const char* decision : {"avvikelse", "ingen_avvikelse"}) {
        std::string sql = insert;
        sql.replace(sql.find('%'), 1, decision);
        REQUIRE(raw->exec(sql));
    }
    auto edit = raw->exec("UPDATE reviews SET decision = 'ingen_avvikelse'");
    REQUIRE_FALSE(edit);
    CHECK(edit.error().code == sqlite::ErrorCode::constraint);
}
