#include "agent/store/report_queries.hpp"

namespace dockscan::agent::report_queries {

namespace {

constexpr std::string_view k_context = "cannot read the database for the report";

// The scans that count as checks: a partial scan (unplugged, interrupted) still looked
// at the phone, and its findings are as real as those of a complete one.
constexpr std::string_view k_counted_scan =
    "s.status IN ('complete', 'partial') AND s.started_at >= ?1 AND s.started_at < ?2";

// The newest review r of each finding f (reviews are append-only; the highest id
// counts) and when f was first decided. The one place where the two databases are given
// different SQL for the same rows, because their best plans differ (measured,
// tests/bench/README.md): the station's SQLite answers correlated look-ups from the
// reviews_finding index and reads only the reviews of the findings asked for (a grouped
// pass was 50-70 -> 85 ms on 21,000 findings, and grows with the store's history);
// PostgreSQL does two index look-ups per decided finding that way (4.6 s for a quarter
// with 210,000 decided findings) and one grouped pass over reviews in 2.2 s.
struct NewestReview {
    std::string join;     // joins r (and centrally nr) to f, after `kind` (JOIN, LEFT JOIN)
    std::string first_at; // when f was first decided, "" while open
};

NewestReview newest_review(sql::Dialect dialect, std::string_view kind) {
    const std::string join(kind);
    if (dialect == sql::Dialect::sqlite) {
        return {join + " reviews r ON r.id = "
                       "(SELECT max(id) FROM reviews WHERE finding_id = f.id) ",
                "coalesce((SELECT min(created_at) FROM reviews WHERE finding_id = f.id), '')"};
    }
    return {join +
                " (SELECT {group:finding_id}, max({id:id}) AS newest, "
                "min(created_at) AS first_at FROM reviews GROUP BY {group:finding_id}) nr "
                "ON {join:nr.finding_id=f.id} " +
                join + " reviews r ON {join:r.id=nr.newest} ",
            "coalesce(nr.first_at, '')"};
}

std::optional<std::string> optional_text(const sql::Row& row, int column) {
    if (row.is_null(column)) {
        return std::nullopt;
    }
    return row.text(column);
}

std::optional<std::int64_t> optional_int(const sql::Row& row, int column) {
    if (row.is_null(column)) {
        return std::nullopt;
    }
    return row.int64(column);
}

} // namespace

Expected<std::vector<UnitRow>> units(sql::Source& source) {
    std::vector<UnitRow> rows;
    DOCKSCAN_TRY(source.each_row(
        "SELECT {key:id}, name, area FROM units ORDER BY {key:id}", {},
        [&](const sql::Row& r) {
            rows.push_back({r.int64(0), r.text(1), r.text(2)});
        },
        k_context));
    return rows;
}

Expected<std::vector<PhoneRow>> phones(sql::Source& source) {
    std::vector<PhoneRow> rows;
    DOCKSCAN_TRY(source.each_row(
        "SELECT {key:id}, label, {key:unit_id}, coalesce(retired_on, ''), serial FROM phones "
        "ORDER BY {key:id}",
        {},
        [&](const sql::Row& r) {
            rows.push_back(
                PhoneRow{r.int64(0), r.text(1), optional_int(r, 2), r.text(3), r.text(4)});
        },
        k_context));
    return rows;
}

Expected<std::vector<CheckScanRow>> check_scans(sql::Source& source, const Period& period) {
    const std::string sql =
        "SELECT {key:s.id}, {key:s.phone_id}, CASE WHEN s.status = 'complete' THEN 1 ELSE 0 END, "
        "(SELECT result FROM controls c WHERE {join:c.scan_id=s.id} ORDER BY {id:c.id} DESC "
        "LIMIT 1), s.started_at, "
        "coalesce((SELECT min(created_at) FROM controls c WHERE {join:c.scan_id=s.id}), '') "
        "FROM scans s WHERE " +
        std::string(k_counted_scan) + " ORDER BY {key:s.id}";
    std::vector<CheckScanRow> rows;
    DOCKSCAN_TRY(source.each_row(
        sql, {period.from_utc, period.to_utc},
        [&](const sql::Row& r) {
            rows.push_back({r.int64(0), r.int64(1), r.int64(2) != 0, optional_text(r, 3), r.text(4),
                            r.text(5)});
        },
        k_context));
    return rows;
}

Expected<std::vector<FindingFactRow>> finding_facts(sql::Source& source, const Period& period) {
    const NewestReview newest = newest_review(source.dialect(), "LEFT JOIN");
    const std::string sql =
        "SELECT {key:s.id}, {key:s.phone_id}, f.category, r.decision, "
        "coalesce(r.actions, '[]'), " +
        newest.first_at + " FROM findings f JOIN scans s ON {join:s.id=f.scan_id} " + newest.join +
        "WHERE " + std::string(k_counted_scan) + " ORDER BY {key:f.id}";
    std::vector<FindingFactRow> rows;
    DOCKSCAN_TRY(source.each_row(
        sql, {period.from_utc, period.to_utc},
        [&](const sql::Row& r) {
            rows.push_back(
                {r.int64(0), r.int64(1), r.text(2), optional_text(r, 3), r.text(4), r.text(5)});
        },
        k_context));
    return rows;
}

Expected<std::vector<SpellRow>> spells(sql::Source& source) {
    std::vector<SpellRow> rows;
    DOCKSCAN_TRY(source.each_row(
        "SELECT {key:phone_id}, {key:unit_id}, from_date FROM phone_units "
        "ORDER BY {key:phone_id}, from_date, {key:id}",
        {},
        [&](const sql::Row& r) {
            rows.push_back(SpellRow{r.int64(0), optional_int(r, 1), r.text(2)});
        },
        k_context));
    return rows;
}

Expected<std::vector<SelectionRow>> selections(sql::Source& source, const Period& period) {
    std::vector<SelectionRow> rows;
    DOCKSCAN_TRY(source.each_row(
        "SELECT selection, selection_share, count(*) FROM dockings "
        "WHERE docked_at >= ?1 AND docked_at < ?2 AND outcome <> "
        "'unknown_phone' GROUP BY selection, selection_share "
        "ORDER BY count(*) DESC",
        {period.from_utc, period.to_utc},
        [&](const sql::Row& r) {
            SelectionRow row{r.text(0), std::nullopt, r.int64(2)};
            if (!r.is_null(1)) {
                row.share = r.real(1);
            }
            rows.push_back(std::move(row));
        },
        k_context));
    return rows;
}

Expected<std::int64_t> hand_scans(sql::Source& source, const Period& period) {
    const std::string sql =
        "SELECT count(*) FROM scans s WHERE " + std::string(k_counted_scan) +
        " AND NOT EXISTS (SELECT 1 FROM dockings d WHERE {join:d.scan_id=s.id})";
    std::int64_t count = 0;
    DOCKSCAN_TRY(source.each_row(
        sql, {period.from_utc, period.to_utc}, [&](const sql::Row& r) { count = r.int64(0); },
        k_context));
    return count;
}

Expected<std::vector<FollowUpRow>> follow_ups(sql::Source& source, std::string_view from_date,
                                              std::string_view before_utc) {
    // ?1 is the follow-up date bound, ?2 the end of the checks looked at; the scan's
    // status is what makes it a check, whenever it started before ?2.
    const std::string sql = "SELECT {key:s.phone_id}, r.follow_up FROM findings f "
                            "JOIN scans s ON {join:s.id=f.scan_id} " +
                            newest_review(source.dialect(), "JOIN").join +
                            "WHERE s.status IN ('complete', 'partial') AND s.started_at < ?2 "
                            "AND r.follow_up <> '' AND r.follow_up >= ?1 "
                            "ORDER BY r.follow_up, {key:s.phone_id}";
    std::vector<FollowUpRow> rows;
    DOCKSCAN_TRY(source.each_row(
        sql, {from_date, before_utc},
        [&](const sql::Row& r) {
            rows.push_back({r.int64(0), r.text(1)});
        },
        k_context));
    return rows;
}

Expected<std::vector<RemainingFinding>> remaining_findings(sql::Source& source,
                                                           const Period& quarter) {
    // Grouped by every column that is not an aggregate (PostgreSQL asks for it; the
    // finding decides the others, as it was found on one phone).
    const std::string sql =
        "SELECT {key:f.id}, {key:p.id}, {key:p.unit_id}, f.category, f.created_at, "
        "max(s.started_at), (SELECT r.decision FROM reviews r WHERE {join:r.finding_id=f.id} "
        "ORDER BY {id:r.id} DESC LIMIT 1) FROM finding_sightings g "
        "JOIN scans s ON {join:s.id=g.scan_id} JOIN findings f ON {join:f.id=g.finding_id} "
        "JOIN phones p ON {join:p.id=s.phone_id} WHERE s.started_at >= ?1 "
        "AND s.started_at < ?2 AND f.created_at < ?1 "
        "GROUP BY {group:f.id}, {group:p.id}, p.unit_id, f.category, f.created_at "
        "ORDER BY {key:f.id}";
    std::vector<RemainingFinding> rows;
    DOCKSCAN_TRY(source.each_row(
        sql, {quarter.from_utc, quarter.to_utc},
        [&](const sql::Row& r) {
            rows.push_back(RemainingFinding{r.int64(0), r.int64(1), optional_int(r, 2), r.text(3),
                                            r.text(4), r.text(5), optional_text(r, 6)});
        },
        "cannot read the findings still on the phones"));
    return rows;
}

} // namespace dockscan::agent::report_queries
