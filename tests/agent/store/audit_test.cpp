// The audit log is a keyed chain: an edit made without dockscan (a second connection,
// as someone with shell access could open) must be found, a chain recomputed with a
// plain hash too, and rows removed from the end against an anchor kept outside.

#include "agent/store/audit_log.hpp"
#include "agent/store/store.hpp"
#include "base/sqlite.hpp"
#include "tests/agent/store/store_test_support.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace dockscan::agent;
using namespace dockscan::agent::store_test;
namespace sqlite = dockscan::base::sqlite;
using dockscan::testing::TempDir;

namespace {

constexpr int k_rows = 5;

void append_rows(Store& store) {
    for (int i = 1; i <= k_rows; ++i) {
        value_of(store.append_audit({"enhetschef.anna", i % 2 == 0 ? "decide" : "view_finding",
                                     "finding:" + std::to_string(i), "row " + std::to_string(i)}));
    }
}

// A second, raw connection with the same key. Tampering starts with the triggers
// that keep honest code from editing the log.
sqlite::Database tamper(const std::filesystem::path& path, const StoreKey& key) {
    auto db = sqlite::Database::open(path, sqlite::Access::read_write, key.bytes());
    REQUIRE(db);
    REQUIRE(db->exec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete"));
    return std::move(*db);
}

AuditCheck verify(Store& store) {
    return value_of(store.verify_audit());
}

} // namespace

TEST_CASE("an empty or untouched audit log is intact") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    const auto path = dir / "store.db";
    auto store = open_store(path, key);
    auto empty = verify(store);
    CHECK(empty.intact);
    CHECK(empty.rows == 0);
    CHECK_FALSE(empty.first_broken_row);

    append_rows(store);
    auto check = verify(store);
    CHECK(check.intact);
    CHECK(check.rows == k_rows);
    CHECK_FALSE(check.first_broken_row);

    auto reopened = open_store(path, key, OpenMode::existing);
    value_of(reopened.append_audit({"system", "purge", "scan:1", ""}));
    check = verify(reopened);
    CHECK(check.intact);
    CHECK(check.rows == k_rows + 1);
}

TEST_CASE("the chain starts at 64 zeros and links every row to the one before") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    const auto path = dir / "store.db";
    auto store = open_store(path, key);
    append_rows(store);
    auto raw = sqlite::Database::open(path, sqlite::Access::read_write, key.bytes());
    REQUIRE(raw);
    auto rows = raw->prepare("SELECT id, at, actor, action, object, detail, prev_hash, hash "
                             "FROM audit_log ORDER BY id");
    REQUIRE(rows);
    std::string prev(audit_log::k_genesis_hash);
    CHECK(prev == std::string(64, '0'));
    for (std::int64_t id = 1; id <= k_rows; ++id) {
        REQUIRE(rows->step().value());
        CHECK(rows->column_int(0) == id);
        CHECK(rows->column_text(6) == prev);
        const audit_log::Row row{rows->column_int(0),  rows->column_text(1), rows->column_text(2),
                                 rows->column_text(3), rows->column_text(4), rows->column_text(5),
                                 rows->column_text(6)};
        CHECK(rows->column_text(7) == audit_log::row_mac(key.derive("audit-mac"), row));
        CHECK(rows->column_text(7).size() == 64);
        prev = rows->column_text(7);
    }
}

TEST_CASE("an edited row is named by verify_audit") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    const auto path = dir / "store.db";
    auto store = open_store(path, key);
    append_rows(store);

    const std::int64_t row = GENERATE(1, 3, 5);
    const std::string edit =
        GENERATE(std::string("actor = 'someone.else'"), std::string("action = 'login'"),
                 std::string("object = 'finding:99'"), std::string("detail = ''"),
                 std::string("at = '2020-01-01T00:00:00Z'"), std::string("id = 100 + id"));
    INFO("row " << row << ": " << edit);
    auto raw = tamper(path, key);
    REQUIRE(raw.exec("UPDATE audit_log SET " + edit + " WHERE id = " + std::to_string(row)));

    const auto check = verify(store);
    CHECK_FALSE(check.intact);
    CHECK(check.rows == k_rows);
    REQUIRE(check.first_broken_row);
    // Renumbering moves the row to the end: the chain breaks at its old successor.
    const std::int64_t expected =
        edit.rfind("id =", 0) == 0 ? (row == k_rows ? 100 + row : row + 1) : row;
    CHECK(*check.first_broken_row == expected);
}

TEST_CASE("a row whose own hash was recomputed still breaks the chain at the next row") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    const auto path = dir / "store.db";
    auto store = open_store(path, key);
    append_rows(store);
    auto raw = tamper(path, key);

    auto select = raw.prepare("SELECT at, actor, action, object, prev_hash FROM audit_log "
                              "WHERE id = 2");
    REQUIRE(select);
    REQUIRE(select->step().value());
    const audit_log::Row forged{2,
                                select->column_text(0),
                                select->column_text(1),
                                select->column_text(2),
                                select->column_text(3),
                                "nothing to see",
                                select->column_text(4)};
    auto update = raw.prepare("UPDATE audit_log SET detail = ?1, hash = ?2 WHERE id = 2");
    REQUIRE(update);
    update->bind_text(1, forged.detail);
    update->bind_text(2, audit_log::row_mac(key.derive("audit-mac"), forged));
    REQUIRE(update->step());

    const auto check = verify(store);
    CHECK_FALSE(check.intact);
    CHECK(check.first_broken_row == 3);
}

TEST_CASE("moving bytes between fields changes the hash") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    const auto path = dir / "store.db";
    auto store = open_store(path, key);
    value_of(store.append_audit({"anna", "view_finding", "finding:1", "x"}));
    auto raw = tamper(path, key);
    // Concatenated without lengths, "anna" + "view_finding" and "ann" + "aview_finding"
    // would hash the same.
    REQUIRE(raw.exec("UPDATE audit_log SET actor = 'ann', action = 'aview_finding'"));
    const auto check = verify(store);
    CHECK_FALSE(check.intact);
    CHECK(check.first_broken_row == 1);
}

TEST_CASE("a deleted row is found at the row after it") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    const auto path = dir / "store.db";
    auto store = open_store(path, key);
    append_rows(store);
    const auto [deleted, expected] = GENERATE(table<std::int64_t, std::int64_t>({
        {3, 4},
        {1, 2},
        {4, 5},
    }));
    INFO("deleted row " << deleted);
    auto raw = tamper(path, key);
    REQUIRE(raw.exec("DELETE FROM audit_log WHERE id = " + std::to_string(deleted)));
    const auto check = verify(store);
    CHECK_FALSE(check.intact);
    CHECK(check.rows == k_rows - 1);
    CHECK(check.first_broken_row == expected);
}

TEST_CASE("the store refuses to edit or delete audit rows through SQL") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    const auto path = dir / "store.db";
    auto store = open_store(path, key);
    append_rows(store);
    auto raw = sqlite::Database::open(path, sqlite::Access::read_write, key.bytes());
    REQUIRE(raw);
    const std::string sql = GENERATE(std::string("UPDATE audit_log SET detail = ''"),
                                     std::string("DELETE FROM audit_log WHERE id = 2"));
    INFO(sql);
    auto result = raw->exec(sql);
    REQUIRE_FALSE(result);
    CHECK(result.error().code == sqlite::ErrorCode::constraint);
    CHECK(verify(store).intact);
}

namespace {

// Recomputes the whole chain in place with `hash` for every row (the triggers dropped).
template <typename Hash>
void rechain(sqlite::Database& raw, Hash hash) {
    auto select = raw.prepare("SELECT id, at, actor, action, object, detail FROM audit_log "
                              "ORDER BY id");
    REQUIRE(select);
    std::vector<audit_log::Row> rows;
    while (select->step().value()) {
        rows.push_back({select->column_int(0), select->column_text(1), select->column_text(2),
                        select->column_text(3), select->column_text(4), select->column_text(5),
                        ""});
    }
    std::string prev(audit_log::k_genesis_hash);
    for (auto& row : rows) {
        row.prev_hash = prev;
        auto update = raw.prepare("UPDATE audit_log SET prev_hash = ?1, hash = ?2 WHERE id = ?3");
        REQUIRE(update);
        update->bind_text(1, row.prev_hash);
        prev = hash(row);
        update->bind_text(2, prev);
        update->bind(3, row.id);
        REQUIRE(update->step());
    }
}

constexpr const char* k_triggers =
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log\nBEGIN\n    SELECT "
    "RAISE(ABORT, 'the audit log is append-only');\nEND;\nCREATE TRIGGER audit_log_no_delete "
    "BEFORE DELETE ON audit_log\nBEGIN\n    SELECT RAISE(ABORT, 'the audit log is "
    "append-only');\nEND;";

} // namespace

TEST_CASE("a chain recomputed with a plain hash after an edit is found (the chain is keyed)") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    const auto path = dir / "store.db";
    auto store = open_store(path, key);
    append_rows(store);
    auto raw = tamper(path, key);
    REQUIRE(raw.exec("UPDATE audit_log SET actor = 'someone.else' WHERE id = 2"));
    rechain(raw, [](const audit_log::Row& row) { return audit_log::row_hash(row); });
    REQUIRE(raw.exec(k_triggers));
    const auto check = verify(store);
    CHECK_FALSE(check.intact);
    CHECK(check.first_broken_row == 1);
}

TEST_CASE("rows removed from the end are found against the anchor kept outside the store") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    const auto path = dir / "store.db";
    auto store = open_store(path, key);
    append_rows(store);
    const AuditAnchor anchor = value_of(store.audit_anchor());
    CHECK(anchor.id == k_rows);
    CHECK(anchor.mac.size() == 64);
    // Later rows do not disturb the anchor.
    value_of(store.append_audit({"system", "purge", "scan:1", ""}));
    CHECK(value_of(store.verify_audit(anchor)).intact);

    // The newest rows removed: the rest is a chain intact in itself.
    const int removed = GENERATE(2, k_rows + 1);
    INFO("rows removed from the end: " << removed);
    auto raw = tamper(path, key);
    REQUIRE(raw.exec("DELETE FROM audit_log WHERE id > " + std::to_string(k_rows + 1 - removed)));
    REQUIRE(raw.exec(k_triggers));
    CHECK(verify(store).intact);
    const auto check = value_of(store.verify_audit(anchor));
    CHECK_FALSE(check.intact);
    CHECK(check.problem.find("rows were removed") != std::string::npos);
}

TEST_CASE("verify reports a dropped or changed append-only trigger") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    const auto path = dir / "store.db";
    auto store = open_store(path, key);
    append_rows(store);
    auto raw = sqlite::Database::open(path, sqlite::Access::read_write, key.bytes());
    REQUIRE(raw);
    const std::string sql =
        GENERATE(std::string("DROP TRIGGER audit_log_no_delete"),
                 std::string("DROP TRIGGER audit_log_no_update; CREATE TRIGGER audit_log_no_update "
                             "BEFORE UPDATE ON audit_log WHEN 0 BEGIN SELECT 1; END"));
    INFO(sql);
    REQUIRE(raw->exec(sql));
    const auto check = verify(store);
    CHECK_FALSE(check.intact);
    CHECK(check.problem.find("trigger") != std::string::npos);
}

TEST_CASE("an older store's unkeyed chain is re-keyed once, and an earlier break stays told") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    const auto path = dir / "store.db";
    const bool broken_before = GENERATE(false, true);
    INFO((broken_before ? "unkeyed chain broken at row 3" : "unkeyed chain intact"));
    {
        auto store = open_store(path, key);
        append_rows(store);
    }
    {
        // The store as version 9 left it: SHA-256 without a key.
        auto raw = tamper(path, key);
        rechain(raw, [](const audit_log::Row& row) { return audit_log::row_hash(row); });
        if (broken_before) {
            REQUIRE(raw.exec("UPDATE audit_log SET detail = 'edited' WHERE id = 3"));
        }
        REQUIRE(raw.exec(k_triggers));
        REQUIRE(raw.exec(store_test::drop_outbox_sql()));
        REQUIRE(raw.exec("PRAGMA user_version = 9"));
    }
    auto store = open_store(path, key, OpenMode::existing);
    CHECK(store.schema_version() == 11);
    const auto check = verify(store);
    CHECK(check.intact);
    CHECK(check.rows == k_rows + 1);
    auto raw = sqlite::Database::open(path, sqlite::Access::read_write, key.bytes());
    REQUIRE(raw);
    auto last = raw->prepare("SELECT action, detail FROM audit_log ORDER BY id DESC LIMIT 1");
    REQUIRE(last);
    REQUIRE(last->step().value());
    CHECK(last->column_text(0) == "audit_chain_keyed");
    CHECK(last->column_text(1) == (broken_before
                                       ? "5 rows re-keyed; the unkeyed chain was already broken "
                                         "at row 3"
                                       : "5 rows re-keyed; the unkeyed chain was intact"));
}
