#include "agent/store/audit_log.hpp"

#include "agent/store/sodium_seam.hpp"
#include "agent/store/store_internal.hpp"

#include <string>

namespace dockscan::agent::audit_log {

namespace {

using store_detail::Transaction;

} // namespace

std::string row_hash(const Row& row) {
    const std::string id = std::to_string(row.id);
    return crypto::to_hex(crypto::sha256_of_fields(
        {row.prev_hash, id, row.at, row.actor, row.action, row.object, row.detail}));
}

Expected<void> append(base::sqlite::Database& db, const AuditEntry& entry, std::string_view at) {
    constexpr std::string_view k_context = "cannot append to the audit log";
    // The write lock is held from reading the chain's end to inserting the new row, so
    // two appenders cannot both link to the same predecessor.
    DOCKSCAN_TRY_ASSIGN(auto transaction, Transaction::begin(db));
    DOCKSCAN_STORE_TRY_ASSIGN(auto last,
                              db.prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"),
                              k_context);
    DOCKSCAN_STORE_TRY_ASSIGN(const bool has_last, last.step(), k_context);

    Row row{has_last ? last.column_int(0) + 1 : 1,
            std::string(at),
            entry.actor,
            entry.action,
            entry.object,
            entry.detail,
            has_last ? last.column_text(1) : std::string(k_genesis_hash)};
    // The id is chosen here, not by SQLite, because the hash covers it.
    DOCKSCAN_STORE_TRY_ASSIGN(auto insert,
                              db.prepare("INSERT INTO audit_log (id, at, actor, action, object, "
                                         "detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, "
                                         "?6, ?7, ?8)"),
                              k_context);
    insert.bind(1, row.id);
    insert.bind_text(2, row.at);
    insert.bind_text(3, row.actor);
    insert.bind_text(4, row.action);
    insert.bind_text(5, row.object);
    insert.bind_text(6, row.detail);
    insert.bind_text(7, row.prev_hash);
    insert.bind_text(8, row_hash(row));
    DOCKSCAN_STORE_TRY(insert.step(), k_context);
    return transaction.commit();
}

Expected<AuditCheck> verify(base::sqlite::Database& db) {
    constexpr std::string_view k_context = "cannot read the audit log";
    DOCKSCAN_STORE_TRY_ASSIGN(auto select,
                              db.prepare("SELECT id, at, actor, action, object, detail, "
                                         "prev_hash, hash FROM audit_log ORDER BY id"),
                              k_context);
    AuditCheck check{true, 0, std::nullopt};
    std::string expected_prev(k_genesis_hash);
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool has_row, select.step(), k_context);
        if (!has_row) {
            break;
        }
        ++check.rows;
        if (!check.intact) {
            continue; // only counting from here on
        }
        Row row{select.column_int(0),  select.column_text(1), select.column_text(2),
                select.column_text(3), select.column_text(4), select.column_text(5),
                select.column_text(6)};
        const std::string stored_hash = select.column_text(7);
        // A deleted row shows as a successor whose prev_hash names a hash that is no
        // longer the one before it.
        if (row.prev_hash != expected_prev || row_hash(row) != stored_hash) {
            check.intact = false;
            check.first_broken_row = row.id;
            continue;
        }
        expected_prev = stored_hash;
    }
    return check;
}

} // namespace dockscan::agent::audit_log
