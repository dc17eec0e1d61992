#include "agent/store/review_queries.hpp"

#include "agent/store/store_internal.hpp"
#include "base/time.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace dockscan::agent::review {

namespace {

namespace sqlite = base::sqlite;

// Where the station and the central side differ beyond what sql::expand's marks say:
// who sees a phone (a supervisor's units are ids on a station, names centrally, where
// the same unit at two stations is one unit), and the thumbnail's join (the station
// keys a thumbnail by its item, the central table by the item's local id).
struct Dialectal {
    std::string_view visible;
    std::string_view thumbnail_join;
};

// ?1 is the user, ?2 is 1 for all units. A phone in no unit is seen only by those who
// see all units.
Dialectal dialectal(sql::Dialect dialect) {
    if (dialect == sql::Dialect::sqlite) {
        return {"(?2 = 1 OR p.unit_id IN (SELECT unit_id FROM user_units WHERE user_id = ?1))",
                "thumbnails t ON t.item_id = f.item_id"};
    }
    return {"(?2 = 1 OR EXISTS (SELECT 1 FROM units vu JOIN user_units uu ON uu.unit_name = "
            "vu.name WHERE uu.user_id = ?1 AND vu.station_id = p.station_id AND vu.local_id = "
            "p.unit_id))",
            "thumbnails t ON t.station_id = f.station_id AND t.local_id = f.item_id"};
}

std::string visible(const sql::Source& source) {
    return visible_clause(source.dialect());
}

// A finding whose newest decision asked for a removal that the next scan found not done
// ("finns kvar"): open again until the supervisor decides anew (follow_up.hpp).
constexpr std::string_view k_still_there_at =
    "(SELECT c.checked_at FROM removal_checks c WHERE {join:c.finding_id=f.id} AND c.result = "
    "'still_there' AND c.review_id = (SELECT {id:r3.id} FROM {table:reviews} r3 WHERE "
    "{join:r3.finding_id=f.id} ORDER BY {newest:r3} LIMIT 1))";

// Open: never decided, or reopened because what was to be removed is still there.
const std::string k_open =
    "(NOT EXISTS (SELECT 1 FROM {table:reviews} r WHERE {join:r.finding_id=f.id}) OR " +
    std::string(k_still_there_at) + " IS NOT NULL)";

const std::string k_finding_columns =
    "SELECT {key:f.id}, {key:f.scan_id}, p.label, i.type, {sealed:i.ref}, {sealed:i.label}, "
    "f.kind, f.category, f.severity, f.confidence, f.masked, f.match_hash, {sealed:f.excerpt}, "
    "f.detector, f.created_at, {key:p.id}, coalesce(u.name, ''), s.started_at, "
    "CASE WHEN EXISTS (SELECT 1 FROM {table:reviews} r WHERE {join:r.finding_id=f.id}) THEN 1 "
    "ELSE 0 END, "
    "coalesce(f.purged_at, ''), f.occurrences, {key:f.item_id}, i.mtime, coalesce(t.width, 0), "
    "coalesce(t.height, 0), coalesce(" +
    std::string(k_still_there_at) + ", ''), {station:f} ";

std::string finding_from(const sql::Source& source) {
    return "FROM findings f JOIN items i ON {join:i.id=f.item_id} JOIN scans s ON "
           "{join:s.id=f.scan_id} JOIN phones p ON {join:p.id=s.phone_id} LEFT JOIN units u ON "
           "{join:u.id=p.unit_id} LEFT JOIN " +
           std::string(dialectal(source.dialect()).thumbnail_join) + " ";
}

std::string finding_select(const sql::Source& source) {
    return k_finding_columns + finding_from(source);
}

// The order of the lists: newest scan first; the findings of one item stand together,
// since they are decided together.
constexpr std::string_view k_item_order = "s.started_at DESC, {id:s.id} DESC, f.item_id";

// History shows people by the name they go by; a login name that is no longer a user's
// is shown as it was stored.
constexpr std::string_view k_decision_select =
    "SELECT {key:r.id}, r.decision, r.actions, {sealed:r.other_action}, r.follow_up, "
    "{sealed:r.note}, r.reviewer, r.created_at, coalesce(nullif(us.display_name, ''), "
    "r.reviewer) FROM {table:reviews} r LEFT JOIN users us ON us.name = r.reviewer ";

std::string number(std::int64_t value) {
    return std::to_string(value);
}

std::string all_units(const Viewer& viewer) {
    return viewer.all_units ? "1" : "0";
}

Decision read_decision(const sql::Row& r) {
    return Decision{r.int64(0),  r.text(1), parse_actions(r.text(2)),
                    r.sealed(3), r.text(4), r.sealed(5),
                    r.text(6),   r.text(7), r.text(8)};
}

// A finding's row; `decided` when it has a decision (its newest read after).
ReviewFinding read_finding(const sql::Row& r, bool& decided) {
    decided = r.int64(18) != 0;
    return ReviewFinding{FindingRow{r.int64(0), r.int64(1), r.text(2), r.text(3), r.sealed(4),
                                    r.sealed(5), r.text(6), r.text(7), r.text(8), r.real(9),
                                    r.text(10), r.text(11), r.sealed(12), r.text(13), r.text(14),
                                    r.int64(20)},
                         r.int64(15),
                         r.text(16),
                         r.text(17),
                         std::nullopt,
                         r.text(19),
                         r.int64(21),
                         r.int64(22),
                         r.int64(23),
                         r.int64(24),
                         r.text(25),
                         r.text(26)};
}

bool is_iso_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return false;
    }
    int parts[3] = {0, 0, 0};
    const std::size_t starts[3] = {0, 5, 8};
    const std::size_t lengths[3] = {4, 2, 2};
    for (int p = 0; p < 3; ++p) {
        for (std::size_t i = 0; i < lengths[p]; ++i) {
            const char c = text[starts[p] + i];
            if (c < '0' || c > '9') {
                return false;
            }
            parts[p] = parts[p] * 10 + (c - '0');
        }
    }
    return base::is_real_date(parts[0], parts[1], parts[2]);
}

const std::string k_scan_select =
    "SELECT {key:s.id}, {key:p.id}, p.label, coalesce(u.name, ''), s.started_at, s.status, "
    "(SELECT count(*) FROM findings f WHERE {join:f.scan_id=s.id}), "
    "(SELECT count(*) FROM findings f WHERE {join:f.scan_id=s.id} AND " +
    k_open +
    ") "
    "FROM scans s JOIN phones p ON {join:p.id=s.phone_id} LEFT JOIN units u ON "
    "{join:u.id=p.unit_id} ";

ScanEntry read_scan(const sql::Row& r) {
    return ScanEntry{r.int64(0), r.int64(1), r.text(2),  r.text(3),   r.text(4),
                     r.text(5),  r.int64(6), r.int64(7), std::nullopt};
}

// Each scan's newest control, read after the scans.
Expected<void> add_latest_controls(sql::Source& source, std::vector<ScanEntry>& scans) {
    for (ScanEntry& entry : scans) {
        DOCKSCAN_TRY_ASSIGN(auto all, controls(source, entry.scan_id));
        if (!all.empty()) {
            entry.latest_control = std::move(all.front());
        }
    }
    return {};
}

} // namespace

std::string finding_name(const ReviewFinding& finding) {
    if (finding.station.empty()) {
        return std::to_string(finding.row.id);
    }
    const std::int64_t local = finding.row.id & ((std::int64_t{1} << sql::k_station_shift) - 1);
    return finding.station + "-" + std::to_string(local);
}

std::string visible_clause(sql::Dialect dialect) {
    return std::string(dialectal(dialect).visible);
}

bool is_decision(std::string_view code) {
    return std::find(k_decisions.begin(), k_decisions.end(), code) != k_decisions.end();
}

bool is_action(std::string_view code) {
    return std::find(k_actions.begin(), k_actions.end(), code) != k_actions.end();
}

std::string actions_json(const std::vector<std::string>& actions) {
    // The codes are a fixed set of plain lower-case words: nothing needs escaping.
    std::string json = "[";
    for (const std::string& action : actions) {
        json += json.size() > 1 ? ",\"" : "\"";
        json += action;
        json += '"';
    }
    return json + "]";
}

std::vector<std::string> parse_actions(std::string_view json) {
    std::vector<std::string> actions;
    std::size_t pos = 0;
    while ((pos = json.find('"', pos)) != std::string_view::npos) {
        const std::size_t end = json.find('"', pos + 1);
        if (end == std::string_view::npos) {
            break;
        }
        const std::string_view code = json.substr(pos + 1, end - pos - 1);
        if (is_action(code)) {
            actions.emplace_back(code);
        }
        pos = end + 1;
    }
    return actions;
}

namespace {

std::string filtered(const sql::Source& source, Filter filter) {
    std::string sql = "WHERE " + visible(source);
    if (filter == Filter::open) {
        sql += " AND " + k_open;
    } else if (filter == Filter::decided) {
        sql += " AND NOT " + k_open;
    }
    return sql;
}

// The findings of `sql` with `params`, each with its newest decision.
Expected<std::vector<ReviewFinding>> read_findings(sql::Source& source, const std::string& sql,
                                                   const std::vector<std::string>& params) {
    std::vector<ReviewFinding> rows;
    std::vector<bool> decided;
    auto each = [&](const sql::Row& r) {
        bool is_decided = false;
        rows.push_back(read_finding(r, is_decided));
        decided.push_back(is_decided);
    };
    // The shared queries take a fixed list of parameters; a page's list is longer.
    std::vector<std::string_view> views(params.begin(), params.end());
    DOCKSCAN_TRY(source.each_row(sql, std::span<const std::string_view>(views), each,
                                 "cannot read findings"));
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (decided[i]) {
            DOCKSCAN_TRY_ASSIGN(auto history, decisions(source, rows[i].row.id));
            if (!history.empty()) {
                rows[i].latest = std::move(history.front());
            }
        }
    }
    return rows;
}

} // namespace

Expected<std::vector<ReviewFinding>> findings(sql::Source& source, const Viewer& viewer,
                                              Filter filter, std::optional<std::int64_t> scan_id) {
    std::string sql = finding_select(source) + filtered(source, filter);
    std::vector<std::string> params{number(viewer.user_id), all_units(viewer)};
    if (scan_id) {
        sql += " AND {is:f.scan_id=?3}";
        params.push_back(number(*scan_id));
    }
    sql += " ORDER BY " + std::string(k_item_order) + ", {id:f.id}";
    return read_findings(source, sql, params);
}

Expected<FindingsPage> findings_page(sql::Source& source, const Viewer& viewer, Filter filter,
                                     std::int64_t page, std::int64_t items_per_page) {
    // First the page's items in the list's order (and one more, to tell whether a next
    // page exists), then their findings: only the page's rows are read into memory,
    // however long the queue. The items come from the findings in the list's order,
    // newest scan first, with a limit and without DISTINCT or GROUP BY, so that both
    // databases read the newest scans first and stop at the limit (PostgreSQL: the
    // scans' started_at index and an incremental sort; 945 -> 13 ms for the first page
    // of a municipality's 105,000 open findings); an item with several findings counts
    // once, and the limit grows until the page is full or the list ends. (The store's
    // SQLite has no window functions.)
    const std::int64_t wanted =
        std::max<std::int64_t>(0, page - 1) * items_per_page + items_per_page + 1;
    const std::string items_sql =
        "SELECT {key:s.id}, {key:f.item_id} FROM scans s JOIN phones p ON "
        "{join:p.id=s.phone_id} JOIN findings f ON {join:f.scan_id=s.id} " +
        filtered(source, filter) + " ORDER BY " + std::string(k_item_order) + " LIMIT ?3";
    std::vector<std::pair<std::int64_t, std::int64_t>> listed; // (scan, item), in order
    for (std::int64_t limit = wanted * 2;; limit *= 4) {
        listed.clear();
        std::set<std::pair<std::int64_t, std::int64_t>> seen;
        std::int64_t rows = 0;
        DOCKSCAN_TRY(source.each_row(
            items_sql, {number(viewer.user_id), all_units(viewer), number(limit)},
            [&](const sql::Row& r) {
                ++rows;
                const std::pair item{r.int64(0), r.int64(1)};
                if (seen.insert(item).second) {
                    listed.push_back(item);
                }
            },
            "cannot read findings"));
        if (static_cast<std::int64_t>(listed.size()) >= wanted || rows < limit) {
            break;
        }
    }
    const std::size_t first =
        std::min(listed.size(),
                 static_cast<std::size_t>(std::max<std::int64_t>(0, page - 1) * items_per_page));
    std::vector<std::pair<std::int64_t, std::int64_t>> items(
        listed.begin() + static_cast<std::ptrdiff_t>(first), listed.end());
    if (static_cast<std::int64_t>(items.size()) > items_per_page + 1) {
        items.resize(static_cast<std::size_t>(items_per_page + 1));
    }
    FindingsPage out;
    if (static_cast<std::int64_t>(items.size()) > items_per_page) {
        out.more = true;
        items.pop_back();
    }
    if (items.empty()) {
        return out;
    }
    std::string sql = finding_select(source) + filtered(source, filter) + " AND (";
    std::vector<std::string> params{number(viewer.user_id), all_units(viewer)};
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string at = std::to_string(3 + 2 * i);
        const std::string next = std::to_string(4 + 2 * i);
        sql += std::string(i == 0 ? "" : " OR ") + "({is:f.scan_id=?" + at +
               "} AND {is:f.item_id=?" + next + "})";
        params.push_back(number(items[i].first));
        params.push_back(number(items[i].second));
    }
    sql += ") ORDER BY " + std::string(k_item_order) + ", {id:f.id}";
    DOCKSCAN_TRY_ASSIGN(out.rows, read_findings(source, sql, params));
    return out;
}

Expected<FindingLookup> finding(sql::Source& source, const Viewer& viewer, std::int64_t id) {
    DOCKSCAN_TRY_ASSIGN(
        auto found,
        read_findings(source, finding_select(source) + "WHERE {is:f.id=?3} AND " + visible(source),
                      {number(viewer.user_id), all_units(viewer), number(id)}));
    if (!found.empty()) {
        return FindingLookup{Access::visible, std::move(found.front())};
    }
    bool exists = false;
    DOCKSCAN_TRY(source.each_row(
        "SELECT 1 FROM findings f WHERE {is:f.id=?1}", {number(id)},
        [&](const sql::Row&) { exists = true; }, "cannot read the finding"));
    return FindingLookup{exists ? Access::denied : Access::missing, std::nullopt};
}

Expected<std::vector<Decision>> decisions(sql::Source& source, std::int64_t finding_id) {
    std::vector<Decision> rows;
    DOCKSCAN_TRY(source.each_row(
        std::string(k_decision_select) + "WHERE {is:r.finding_id=?1} ORDER BY {newest:r}",
        {number(finding_id)}, [&](const sql::Row& r) { rows.push_back(read_decision(r)); },
        "cannot read the decisions"));
    return rows;
}

Expected<void> check(const NewDecision& decision) {
    if (!is_decision(decision.decision)) {
        return fail(ErrorCode::usage, "unknown decision");
    }
    for (const std::string& action : decision.actions) {
        if (!is_action(action)) {
            return fail(ErrorCode::usage, "unknown action");
        }
    }
    if (!decision.follow_up.empty() && !is_iso_date(decision.follow_up)) {
        return fail(ErrorCode::usage, "the follow-up date is not a date (YYYY-MM-DD)");
    }
    return {};
}

Expected<std::int64_t> add_decisions(Store& store, const NewDecision& decision,
                                     const std::vector<std::int64_t>& finding_ids) {
    DOCKSCAN_TRY_ASSIGN(auto transaction, store_detail::Transaction::begin(store.database()));
    for (const std::int64_t id : finding_ids) {
        NewDecision one = decision;
        one.finding_id = id;
        DOCKSCAN_TRY(add_decision(store, one));
    }
    DOCKSCAN_TRY(transaction.commit());
    return static_cast<std::int64_t>(finding_ids.size());
}

Expected<std::int64_t> add_decision(Store& store, const NewDecision& decision) {
    constexpr std::string_view k_context = "cannot record the decision";
    DOCKSCAN_TRY(check(decision));
    auto& db = store.database();
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto insert,
        db.prepare("INSERT INTO reviews (finding_id, decision, actions, other_action, follow_up, "
                   "note, reviewer, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
        k_context);
    insert.bind(1, decision.finding_id);
    insert.bind_text(2, decision.decision);
    insert.bind_text(3, actions_json(decision.actions));
    insert.bind_text(4, decision.other_action);
    insert.bind_text(5, decision.follow_up);
    insert.bind_text(6, decision.note);
    insert.bind_text(7, decision.reviewer);
    insert.bind_text(8, base::iso8601_utc(base::unix_now()));
    DOCKSCAN_STORE_TRY(insert.step(), k_context);
    return db.last_insert_rowid();
}

Expected<std::int64_t> other_phones_with_number(sql::Source& source, std::string_view match_hash,
                                                std::int64_t phone_id) {
    if (match_hash.empty()) {
        return 0;
    }
    std::int64_t count = 0;
    DOCKSCAN_TRY(source.each_row(
        "SELECT count(DISTINCT {key:s.phone_id}) FROM findings f JOIN "
        "scans s ON {join:s.id=f.scan_id} WHERE f.match_hash = ?1 AND "
        "{isnot:s.phone_id=?2}",
        {match_hash, number(phone_id)}, [&](const sql::Row& r) { count = r.int64(0); },
        "cannot match the number across phones"));
    return count;
}

Expected<std::vector<ScanEntry>> scans(sql::Source& source, const Viewer& viewer,
                                       std::int64_t limit) {
    std::vector<ScanEntry> rows;
    DOCKSCAN_TRY(source.each_row(
        std::string(k_scan_select) + "WHERE " + visible(source) +
            " ORDER BY s.started_at DESC, {id:s.id} DESC LIMIT ?3",
        {number(viewer.user_id), all_units(viewer), number(limit)},
        [&](const sql::Row& r) { rows.push_back(read_scan(r)); }, "cannot read the scans"));
    DOCKSCAN_TRY(add_latest_controls(source, rows));
    return rows;
}

Expected<ScanLookup> scan(sql::Source& source, const Viewer& viewer, std::int64_t scan_id) {
    std::vector<ScanEntry> rows;
    DOCKSCAN_TRY(source.each_row(
        std::string(k_scan_select) + "WHERE {is:s.id=?3} AND " + visible(source),
        {number(viewer.user_id), all_units(viewer), number(scan_id)},
        [&](const sql::Row& r) { rows.push_back(read_scan(r)); }, "cannot read the scan"));
    if (!rows.empty()) {
        DOCKSCAN_TRY(add_latest_controls(source, rows));
        return ScanLookup{Access::visible, std::move(rows.front())};
    }
    bool exists = false;
    DOCKSCAN_TRY(source.each_row(
        "SELECT 1 FROM scans s WHERE {is:s.id=?1}", {number(scan_id)},
        [&](const sql::Row&) { exists = true; }, "cannot read the scan"));
    return ScanLookup{exists ? Access::denied : Access::missing, std::nullopt};
}

Expected<std::vector<Control>> controls(sql::Source& source, std::int64_t scan_id) {
    std::vector<Control> rows;
    DOCKSCAN_TRY(source.each_row(
        "SELECT {key:c.id}, c.result, {sealed:c.note}, c.reviewer, c.created_at, "
        "coalesce(nullif(us.display_name, ''), c.reviewer) FROM {table:controls} c "
        "LEFT JOIN users us ON us.name = c.reviewer WHERE {is:c.scan_id=?1} ORDER BY {newest:c}",
        {number(scan_id)},
        [&](const sql::Row& r) {
            rows.push_back(
                Control{r.int64(0), r.text(1), r.sealed(2), r.text(3), r.text(4), r.text(5)});
        },
        "cannot read the controls"));
    return rows;
}

Expected<std::vector<FailedItem>> failed_items(sql::Source& source, std::int64_t scan_id) {
    std::vector<FailedItem> items;
    DOCKSCAN_TRY(source.each_row(
        "SELECT type, {sealed:ref}, {sealed:label}, outcome FROM items WHERE "
        "{is:last_scan_id=?1} AND outcome != 'scanned' ORDER BY type, {sealed:ref}",
        {number(scan_id)},
        [&](const sql::Row& r) {
            std::string reason = r.text(3);
            constexpr std::string_view k_prefix = "error: ";
            if (reason.rfind(k_prefix, 0) == 0) {
                reason.erase(0, k_prefix.size());
            }
            items.push_back(FailedItem{r.text(0), r.sealed(1), r.sealed(2), std::move(reason)});
        },
        "cannot read the items that failed"));
    return items;
}

Expected<std::optional<Thumbnail>> thumbnail(sql::Source& source, std::int64_t finding_id) {
    std::optional<Thumbnail> found;
    DOCKSCAN_TRY(source.each_row(
        "SELECT {sealed:t.jpeg}, t.width, t.height FROM findings f JOIN " +
            std::string(dialectal(source.dialect()).thumbnail_join) + " WHERE {is:f.id=?1}",
        {number(finding_id)},
        [&](const sql::Row& r) {
            found =
                Thumbnail{r.sealed(0), static_cast<int>(r.int64(1)), static_cast<int>(r.int64(2))};
        },
        "cannot read a thumbnail"));
    // Centrally a thumbnail the key does not open reads empty: none to show.
    if (found && found->jpeg.empty()) {
        return std::nullopt;
    }
    return found;
}

Expected<std::int64_t> add_control(Store& store, const NewControl& control) {
    constexpr std::string_view k_context = "cannot record the control";
    if (!is_decision(control.result)) {
        return fail(ErrorCode::usage, "unknown control result");
    }
    auto& db = store.database();
    DOCKSCAN_STORE_TRY_ASSIGN(auto insert,
                              db.prepare("INSERT INTO controls (scan_id, result, note, reviewer, "
                                         "created_at) VALUES (?1, ?2, ?3, ?4, ?5)"),
                              k_context);
    insert.bind(1, control.scan_id);
    insert.bind_text(2, control.result);
    insert.bind_text(3, control.note);
    insert.bind_text(4, control.reviewer);
    insert.bind_text(5, base::iso8601_utc(base::unix_now()));
    DOCKSCAN_STORE_TRY(insert.step(), k_context);
    return db.last_insert_rowid();
}

Expected<std::optional<users::Credentials>> StationDatabase::credentials(std::string_view name) {
    return users::credentials(m_store, name);
}

Expected<void> StationDatabase::audit(const AuditEntry& entry) {
    return m_store.append_audit(entry);
}

Expected<std::int64_t>
StationDatabase::add_decisions(const NewDecision& decision,
                               const std::vector<std::int64_t>& finding_ids) {
    return review::add_decisions(m_store, decision, finding_ids);
}

Expected<std::int64_t> StationDatabase::add_control(const NewControl& control) {
    return review::add_control(m_store, control);
}

} // namespace dockscan::agent::review
