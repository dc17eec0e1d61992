// The audit log is a hash chain: an edit made with the key but without dockscan
// (a second connection, as someone with shell access could open) must be found.

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
        CHECK(rows->column_text(7) == audit_log::row_hash(row));
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
    update->bind_text(2, audit_log::row_hash(forged));
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
