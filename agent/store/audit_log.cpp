#include "agent/store/audit_log.hpp"

#include "agent/store/sodium_seam.hpp"
#include "agent/store/store_internal.hpp"

#include <string>

namespace dockscan::agent::audit_log {

namespace {

using store_detail::Transaction;

// The triggers that keep honest code from editing the log, as schema version 1 made
// them; verify checks that they are still there.
constexpr std::string_view k_no_update = "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON "
                                         "audit_log\nBEGIN\n    SELECT RAISE(ABORT, 'the audit "
                                         "log is append-only');\nEND";
constexpr std::string_view k_no_delete = "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON "
                                         "audit_log\nBEGIN\n    SELECT RAISE(ABORT, 'the audit "
                                         "log is append-only');\nEND";

std::vector<std::string_view> fields(const Row& row, const std::string& id) {
    return {row.prev_hash, id, row.at, row.actor, row.action, row.object, row.detail};
}

Row read_row(base::sqlite::Statement& select) {
    return Row{select.column_int(0),  select.column_text(1), select.column_text(2),
               select.column_text(3), select.column_text(4), select.column_text(5),
               select.column_text(6)};
}

constexpr std::string_view k_select_all = "SELECT id, at, actor, action, object, detail, "
                                          "prev_hash, hash FROM audit_log ORDER BY id";

Expected<void> insert(base::sqlite::Database& db, const StoreKey& key, Row row) {
    constexpr std::string_view k_context = "cannot append to the audit log";
    // The id is chosen here, not by SQLite, because the MAC covers it.
    DOCKSCAN_STORE_TRY_ASSIGN(auto statement,
                              db.prepare("INSERT INTO audit_log (id, at, actor, action, object, "
                                         "detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, "
                                         "?6, ?7, ?8)"),
                              k_context);
    statement.bind(1, row.id);
    statement.bind_text(2, row.at);
    statement.bind_text(3, row.actor);
    statement.bind_text(4, row.action);
    statement.bind_text(5, row.object);
    statement.bind_text(6, row.detail);
    statement.bind_text(7, row.prev_hash);
    statement.bind_text(8, row_mac(key, row));
    DOCKSCAN_STORE_TRY(statement.step(), k_context);
    return {};
}

// The newest row's id and MAC, inside the caller's transaction.
Expected<AuditAnchor> last_row(base::sqlite::Database& db) {
    constexpr std::string_view k_context = "cannot read the audit log";
    DOCKSCAN_STORE_TRY_ASSIGN(auto last,
                              db.prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"),
                              k_context);
    DOCKSCAN_STORE_TRY_ASSIGN(const bool has_last, last.step(), k_context);
    if (!has_last) {
        return AuditAnchor{0, std::string(k_genesis_hash)};
    }
    return AuditAnchor{last.column_int(0), last.column_text(1)};
}

Expected<std::string> missing_trigger(base::sqlite::Database& db) {
    constexpr std::string_view k_context = "cannot read the store's schema";
    for (const auto& [name, sql] : {std::pair{"audit_log_no_update", k_no_update},
                                    std::pair{"audit_log_no_delete", k_no_delete}}) {
        DOCKSCAN_STORE_TRY_ASSIGN(
            auto select,
            db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1"),
            k_context);
        select.bind_text(1, name);
        DOCKSCAN_STORE_TRY_ASSIGN(const bool found, select.step(), k_context);
        if (!found || select.column_text(0) != sql) {
            return std::string("the trigger ") + name + (found ? " was changed" : " is missing") +
                   ": the log could be edited without dockscan";
        }
    }
    return std::string();
}

} // namespace

std::string row_hash(const Row& row) {
    const std::string id = std::to_string(row.id);
    return crypto::to_hex(crypto::sha256_of_fields(fields(row, id)));
}

std::string row_mac(const StoreKey& key, const Row& row) {
    const std::string id = std::to_string(row.id);
    return crypto::to_hex(crypto::hmac_of_fields(key.bytes(), fields(row, id)));
}

Expected<void> append(base::sqlite::Database& db, const StoreKey& key, const AuditEntry& entry,
                      std::string_view at) {
    // The write lock is held from reading the chain's end to inserting the new row, so
    // two appenders cannot both link to the same predecessor.
    DOCKSCAN_TRY_ASSIGN(auto transaction, Transaction::begin(db));
    DOCKSCAN_TRY_ASSIGN(const AuditAnchor last, last_row(db));
    DOCKSCAN_TRY(insert(db, key,
                        Row{last.id + 1, std::string(at), entry.actor, entry.action, entry.object,
                            entry.detail, last.mac}));
    return transaction.commit();
}

Expected<AuditCheck> verify(base::sqlite::Database& db, const StoreKey& key,
                            const std::optional<AuditAnchor>& anchor) {
    constexpr std::string_view k_context = "cannot read the audit log";
    DOCKSCAN_STORE_TRY_ASSIGN(auto select, db.prepare(k_select_all), k_context);
    AuditCheck check{true, 0, std::nullopt, {}};
    std::string expected_prev(k_genesis_hash);
    bool anchor_seen = false;
    std::int64_t last_id = 0;
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool has_row, select.step(), k_context);
        if (!has_row) {
            break;
        }
        ++check.rows;
        const Row row = read_row(select);
        const std::string stored = select.column_text(7);
        last_id = row.id;
        if (anchor && row.id == anchor->id) {
            anchor_seen = stored == anchor->mac;
        }
        if (!check.intact) {
            continue; // only counting from here on
        }
        // A deleted row shows as a successor whose prev_hash names a MAC that is no
        // longer the one before it.
        if (row.prev_hash != expected_prev || row_mac(key, row) != stored) {
            check.intact = false;
            check.first_broken_row = row.id;
            continue;
        }
        expected_prev = stored;
    }
    if (anchor && anchor->id > 0 && !anchor_seen && check.intact) {
        check.intact = false;
        check.problem = last_id < anchor->id
                            ? "rows were removed: the anchor names row " +
                                  std::to_string(anchor->id) + " and the log ends at row " +
                                  std::to_string(last_id)
                            : "row " + std::to_string(anchor->id) +
                                  " is not the row the anchor names (its MAC differs)";
    }
    DOCKSCAN_TRY_ASSIGN(const std::string trigger, missing_trigger(db));
    if (!trigger.empty() && check.problem.empty()) {
        check.intact = false;
        check.problem = trigger;
    }
    return check;
}

Expected<AuditAnchor> anchor(base::sqlite::Database& db) {
    return last_row(db);
}

Expected<void> rekey(base::sqlite::Database& db, const StoreKey& key, std::string_view at) {
    constexpr std::string_view k_context = "cannot re-key the audit log";
    // Read the unkeyed chain whole, checking it as it was checked before.
    std::vector<Row> rows;
    std::optional<std::int64_t> broken;
    {
        DOCKSCAN_STORE_TRY_ASSIGN(auto select, db.prepare(k_select_all), k_context);
        std::string expected_prev(k_genesis_hash);
        while (true) {
            DOCKSCAN_STORE_TRY_ASSIGN(const bool has_row, select.step(), k_context);
            if (!has_row) {
                break;
            }
            Row row = read_row(select);
            const std::string stored = select.column_text(7);
            if (!broken && (row.prev_hash != expected_prev || row_hash(row) != stored)) {
                broken = row.id;
            }
            expected_prev = stored;
            rows.push_back(std::move(row));
        }
    }
    // The append-only triggers stand aside inside this transaction only.
    DOCKSCAN_STORE_TRY(db.exec("DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF "
                               "EXISTS audit_log_no_delete; DELETE FROM audit_log;"),
                       k_context);
    std::string prev(k_genesis_hash);
    for (Row& row : rows) {
        row.prev_hash = prev;
        DOCKSCAN_TRY(insert(db, key, row));
        prev = row_mac(key, row);
    }
    DOCKSCAN_STORE_TRY(db.exec(std::string(k_no_update) + ";\n" + std::string(k_no_delete) + ";"),
                       k_context);
    if (rows.empty()) {
        return {};
    }
    const std::int64_t last = rows.back().id;
    std::string detail = std::to_string(rows.size()) + " rows re-keyed; the unkeyed chain was ";
    detail += broken ? "already broken at row " + std::to_string(*broken) : std::string("intact");
    return insert(db, key,
                  Row{last + 1, std::string(at), "system", "audit_chain_keyed", "audit_log",
                      std::move(detail), prev});
}

} // namespace dockscan::agent::audit_log
