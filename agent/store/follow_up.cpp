#include "agent/store/follow_up.hpp"

#include "agent/store/store_internal.hpp"
#include "base/time.hpp"

#include <algorithm>

namespace dockscan::agent::follow_up {

namespace {

using store_detail::Transaction;

// The newest decision of a finding: reviews are append-only, the highest id counts.
constexpr std::string_view k_latest_review =
    "r.id = (SELECT max(r2.id) FROM reviews r2 WHERE r2.finding_id = f.id)";

// The stored actions are a JSON array of fixed codes: the quoted code is unambiguous.
constexpr std::string_view k_asks_removal = "instr(r.actions, '\"raderat_fran_telefonen\"') > 0";

int rank(State state) {
    switch (state) {
    case State::still_there:
        return 0;
    case State::overdue:
        return 1;
    case State::awaiting_check:
        return 2;
    case State::due:
        return 3;
    case State::verified:
        return 4;
    }
    return 5;
}

} // namespace

std::string_view to_string(CheckResult result) {
    switch (result) {
    case CheckResult::verified:
        return "verified";
    case CheckResult::still_there:
        return "still_there";
    }
    return "verified";
}

std::string_view to_string(State state) {
    switch (state) {
    case State::awaiting_check:
        return "awaiting_check";
    case State::due:
        return "due";
    case State::overdue:
        return "overdue";
    case State::verified:
        return "verified";
    case State::still_there:
        return "still_there";
    }
    return "due";
}

Expected<std::vector<PendingRemoval>> pending_removals(Store& store, std::int64_t phone_id) {
    constexpr std::string_view k_context = "cannot read the removals to check";
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto select,
        store.database().prepare(
            "SELECT f.id, r.id, i.id, i.type, i.ref, f.content_hash, i.size, i.mtime, s.source "
            "FROM findings f JOIN items i ON i.id = f.item_id JOIN scans s ON s.id = f.scan_id "
            "JOIN reviews r ON " +
            std::string(k_latest_review) + " WHERE i.phone_id = ?1 AND " +
            std::string(k_asks_removal) +
            " AND NOT EXISTS (SELECT 1 FROM removal_checks c WHERE c.review_id = r.id) "
            "ORDER BY i.id, f.id"),
        k_context);
    select.bind(1, phone_id);
    std::vector<PendingRemoval> rows;
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool has_row, select.step(), k_context);
        if (!has_row) {
            break;
        }
        const std::int64_t size = select.column_int(6);
        rows.push_back(PendingRemoval{select.column_int(0), select.column_int(1),
                                      select.column_int(2), select.column_text(3),
                                      select.column_text(4), select.column_text(5),
                                      static_cast<std::uint64_t>(size < 0 ? 0 : size),
                                      select.column_int(7), select.column_text(8)});
    }
    return rows;
}

Expected<void> record_check(Store& store, const PendingRemoval& pending, std::int64_t scan_id,
                            CheckResult result) {
    constexpr std::string_view k_context = "cannot record the removal check";
    auto& db = store.database();
    DOCKSCAN_TRY_ASSIGN(auto transaction, Transaction::begin(db));
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto insert,
        db.prepare("INSERT OR IGNORE INTO removal_checks (finding_id, review_id, scan_id, result, "
                   "checked_at) VALUES (?1, ?2, ?3, ?4, ?5)"),
        k_context);
    insert.bind(1, pending.finding_id);
    insert.bind(2, pending.review_id);
    insert.bind(3, scan_id);
    insert.bind_text(4, to_string(result));
    insert.bind_text(5, base::iso8601_utc(base::unix_now()));
    DOCKSCAN_STORE_TRY(insert.step(), k_context);
    if (result == CheckResult::still_there) {
        DOCKSCAN_STORE_TRY_ASSIGN(auto sighting,
                                  db.prepare("INSERT OR IGNORE INTO finding_sightings "
                                             "(finding_id, scan_id) VALUES (?1, ?2)"),
                                  k_context);
        sighting.bind(1, pending.finding_id);
        sighting.bind(2, scan_id);
        DOCKSCAN_STORE_TRY(sighting.step(), k_context);
    }
    return transaction.commit();
}

Expected<std::vector<CurrentFinding>> current_findings(Store& store, std::int64_t phone_id) {
    constexpr std::string_view k_context = "cannot read the phone's findings";
    // The findings of an item's content as last analysed are those of the scan that
    // analysed it last: an unchanged item keeps its last_scan_id.
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto select,
        store.database().prepare("SELECT f.id, i.type, i.ref FROM items i JOIN findings f ON "
                                 "f.item_id = i.id AND f.scan_id = i.last_scan_id WHERE "
                                 "i.phone_id = ?1 ORDER BY i.id, f.id"),
        k_context);
    select.bind(1, phone_id);
    std::vector<CurrentFinding> rows;
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool has_row, select.step(), k_context);
        if (!has_row) {
            break;
        }
        rows.push_back(
            CurrentFinding{select.column_int(0), select.column_text(1), select.column_text(2)});
    }
    return rows;
}

Expected<void> record_sightings(Store& store, std::int64_t scan_id,
                                const std::vector<std::int64_t>& finding_ids) {
    constexpr std::string_view k_context = "cannot record what is still on the phone";
    if (finding_ids.empty()) {
        return {};
    }
    auto& db = store.database();
    DOCKSCAN_TRY_ASSIGN(auto transaction, Transaction::begin(db));
    DOCKSCAN_STORE_TRY_ASSIGN(auto insert,
                              db.prepare("INSERT OR IGNORE INTO finding_sightings (finding_id, "
                                         "scan_id) VALUES (?1, ?2)"),
                              k_context);
    for (const std::int64_t id : finding_ids) {
        insert.bind(1, id);
        insert.bind(2, scan_id);
        DOCKSCAN_STORE_TRY(insert.step(), k_context);
        insert.reset();
    }
    return transaction.commit();
}

Expected<std::vector<Entry>> entries(sql::Source& source, const review::Viewer& viewer,
                                     std::string_view today) {
    // The shared review queries' marks (agent/store/sql_source.hpp): on the station's
    // store and, for the central review, on the municipality's PostgreSQL.
    const std::string sql =
        "SELECT {key:f.id}, p.label, coalesce(u.name, ''), i.type, f.category, r.decision, "
        "r.actions, r.follow_up, r.created_at, c.result, coalesce(c.checked_at, ''), "
        "{key:c.scan_id}, (SELECT {key:d.id} FROM dockings d WHERE {join:d.scan_id=c.scan_id} "
        "ORDER BY {id:d.id} DESC LIMIT 1) "
        "FROM findings f JOIN items i ON {join:i.id=f.item_id} JOIN scans s ON "
        "{join:s.id=f.scan_id} JOIN phones p ON {join:p.id=s.phone_id} LEFT JOIN units u ON "
        "{join:u.id=p.unit_id} JOIN {table:reviews} r ON {join:r.finding_id=f.id} AND "
        "{id:r.id} = (SELECT {id:r2.id} FROM {table:reviews} r2 WHERE "
        "{join:r2.finding_id=f.id} ORDER BY {newest:r2} LIMIT 1) "
        "LEFT JOIN removal_checks c ON {join:c.review_id=r.id} WHERE " +
        review::visible_clause(source.dialect()) + " AND (r.actions LIKE '%\"" +
        std::string(k_removal_action) + "\"%' OR r.follow_up <> '') ORDER BY {newest:r}";
    std::vector<Entry> rows;
    DOCKSCAN_TRY(source.each_row(
        sql, {std::to_string(viewer.user_id), viewer.all_units ? "1" : "0"},
        [&](const sql::Row& row) {
            Entry e;
            e.finding_id = row.int64(0);
            e.phone = row.text(1);
            e.unit = row.text(2);
            e.item_type = row.text(3);
            e.category = row.text(4);
            e.decision = row.text(5);
            e.actions = review::parse_actions(row.text(6));
            e.follow_up = row.text(7);
            e.decided_at = row.text(8);
            const std::string result = row.is_null(9) ? "" : row.text(9);
            e.checked_at = row.text(10);
            if (!row.is_null(11)) {
                e.check_scan_id = row.int64(11);
            }
            if (!row.is_null(12)) {
                e.check_docking_id = row.int64(12);
            }
            const bool removal =
                std::find(e.actions.begin(), e.actions.end(), k_removal_action) != e.actions.end();
            if (result == "still_there") {
                e.state = State::still_there;
            } else if (result == "verified") {
                e.state = State::verified;
            } else if (!e.follow_up.empty() && e.follow_up < today) {
                e.state = State::overdue;
            } else if (removal) {
                e.state = State::awaiting_check;
            } else {
                e.state = State::due;
            }
            rows.push_back(std::move(e));
        },
        "cannot read the follow-ups"));
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Entry& a, const Entry& b) { return rank(a.state) < rank(b.state); });
    return rows;
}

Expected<std::vector<Entry>> entries(Store& store, const review::Viewer& viewer,
                                     std::string_view today) {
    sql::StoreSource source(store);
    return entries(source, viewer, today);
}

Expected<std::vector<RemainingFinding>> remaining_findings(Store& store,
                                                           const report_queries::Period& quarter) {
    sql::StoreSource source(store);
    return report_queries::remaining_findings(source, quarter);
}

} // namespace dockscan::agent::follow_up
