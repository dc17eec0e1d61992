#include "agent/store/report_queries.hpp"

#include "agent/store/store_internal.hpp"

#include <initializer_list>

namespace dockscan::agent::report_queries {

namespace {

constexpr std::string_view k_context = "cannot read the store for the report";

// The scans that count as checks: a partial scan (unplugged, interrupted) still looked
// at the phone, and its findings are as real as those of a complete one.
constexpr std::string_view k_counted_scan =
    "s.status IN ('complete', 'partial') AND s.started_at >= ?1 AND s.started_at < ?2";

// The newest review of finding f (reviews are append-only; the highest id counts).
constexpr std::string_view k_newest_review =
    "r.id = (SELECT max(id) FROM reviews WHERE finding_id = f.id)";

std::optional<std::string> optional_text(const base::sqlite::Statement& stmt, int column) {
    if (stmt.is_null(column)) {
        return std::nullopt;
    }
    return stmt.column_text(column);
}

// Runs `sql` with `params` bound to ?1, ?2, ... and hands each row to `row`.
template <typename Row>
Expected<void> each_row(Store& store, std::string_view sql,
                        std::initializer_list<std::string_view> params, Row&& row) {
    DOCKSCAN_STORE_TRY_ASSIGN(auto stmt, store.database().prepare(sql), k_context);
    int index = 1;
    for (const std::string_view param : params) {
        stmt.bind_text(index++, param);
    }
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool more, stmt.step(), k_context);
        if (!more) {
            return {};
        }
        row(stmt);
    }
}

} // namespace

Expected<std::vector<UnitRow>> units(Store& store) {
    std::vector<UnitRow> rows;
    DOCKSCAN_TRY(each_row(store, "SELECT id, name, area FROM units ORDER BY id", {},
                          [&](const base::sqlite::Statement& s) {
                              rows.push_back({s.column_int(0), s.column_text(1), s.column_text(2)});
                          }));
    return rows;
}

Expected<std::vector<PhoneRow>> phones(Store& store) {
    std::vector<PhoneRow> rows;
    DOCKSCAN_TRY(each_row(
        store,
        "SELECT id, label, unit_id, coalesce(retired_on, '') FROM phones "
        "ORDER BY id",
        {}, [&](const base::sqlite::Statement& s) {
            PhoneRow row{s.column_int(0), s.column_text(1), std::nullopt, s.column_text(3)};
            if (!s.is_null(2)) {
                row.unit_id = s.column_int(2);
            }
            rows.push_back(std::move(row));
        }));
    return rows;
}

Expected<std::vector<CheckScanRow>> check_scans(Store& store, const Period& period) {
    const std::string sql =
        "SELECT s.id, s.phone_id, s.status = 'complete', "
        "(SELECT result FROM controls WHERE scan_id = s.id ORDER BY id DESC LIMIT 1), "
        "s.started_at, "
        "coalesce((SELECT min(created_at) FROM controls WHERE scan_id = s.id), '') "
        "FROM scans s WHERE " +
        std::string(k_counted_scan) + " ORDER BY s.id";
    std::vector<CheckScanRow> rows;
    DOCKSCAN_TRY(each_row(
        store, sql, {period.from_utc, period.to_utc}, [&](const base::sqlite::Statement& s) {
            rows.push_back({s.column_int(0), s.column_int(1), s.column_int(2) != 0,
                            optional_text(s, 3), s.column_text(4), s.column_text(5)});
        }));
    return rows;
}

Expected<std::vector<FindingFactRow>> finding_facts(Store& store, const Period& period) {
    const std::string sql =
        "SELECT s.id, s.phone_id, f.category, r.decision, "
        "coalesce(r.actions, '[]'), coalesce((SELECT min(created_at) FROM reviews "
        "WHERE finding_id = f.id), '') FROM findings f "
        "JOIN scans s ON s.id = f.scan_id "
        "LEFT JOIN reviews r ON " +
        std::string(k_newest_review) + " WHERE " + std::string(k_counted_scan) + " ORDER BY f.id";
    std::vector<FindingFactRow> rows;
    DOCKSCAN_TRY(each_row(
        store, sql, {period.from_utc, period.to_utc}, [&](const base::sqlite::Statement& s) {
            rows.push_back({s.column_int(0), s.column_int(1), s.column_text(2), optional_text(s, 3),
                            s.column_text(4), s.column_text(5)});
        }));
    return rows;
}

Expected<std::vector<SpellRow>> spells(Store& store) {
    std::vector<SpellRow> rows;
    DOCKSCAN_TRY(each_row(
        store,
        "SELECT phone_id, unit_id, from_date FROM phone_units ORDER BY phone_id, from_date, id", {},
        [&](const base::sqlite::Statement& s) {
            SpellRow row{s.column_int(0), std::nullopt, s.column_text(2)};
            if (!s.is_null(1)) {
                row.unit_id = s.column_int(1);
            }
            rows.push_back(std::move(row));
        }));
    return rows;
}

Expected<std::vector<SelectionRow>> selections(Store& store, const Period& period) {
    std::vector<SelectionRow> rows;
    DOCKSCAN_TRY(each_row(store,
                          "SELECT selection, selection_share, count(*) FROM dockings "
                          "WHERE docked_at >= ?1 AND docked_at < ?2 AND outcome <> "
                          "'unknown_phone' GROUP BY selection, selection_share "
                          "ORDER BY count(*) DESC",
                          {period.from_utc, period.to_utc}, [&](const base::sqlite::Statement& s) {
                              SelectionRow row{s.column_text(0), std::nullopt, s.column_int(2)};
                              if (!s.is_null(1)) {
                                  row.share = s.column_double(1);
                              }
                              rows.push_back(std::move(row));
                          }));
    return rows;
}

Expected<std::int64_t> hand_scans(Store& store, const Period& period) {
    const std::string sql = "SELECT count(*) FROM scans s WHERE " + std::string(k_counted_scan) +
                            " AND NOT EXISTS (SELECT 1 FROM dockings d WHERE d.scan_id = s.id)";
    std::int64_t count = 0;
    DOCKSCAN_TRY(each_row(store, sql, {period.from_utc, period.to_utc},
                          [&](const base::sqlite::Statement& s) { count = s.column_int(0); }));
    return count;
}

Expected<std::vector<FollowUpRow>> follow_ups(Store& store, std::string_view from_date,
                                              std::string_view before_utc) {
    // ?1 is the follow-up date bound, ?2 the end of the checks looked at; the scan's
    // status is what makes it a check, whenever it started before ?2.
    const std::string sql = "SELECT s.phone_id, r.follow_up FROM findings f "
                            "JOIN scans s ON s.id = f.scan_id "
                            "JOIN reviews r ON " +
                            std::string(k_newest_review) +
                            " WHERE s.status IN ('complete', 'partial') AND s.started_at < ?2 "
                            "AND r.follow_up <> '' AND r.follow_up >= ?1 "
                            "ORDER BY r.follow_up, s.phone_id";
    std::vector<FollowUpRow> rows;
    DOCKSCAN_TRY(
        each_row(store, sql, {from_date, before_utc}, [&](const base::sqlite::Statement& s) {
            rows.push_back({s.column_int(0), s.column_text(1)});
        }));
    return rows;
}

} // namespace dockscan::agent::report_queries
