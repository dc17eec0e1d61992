#include "agent/store/review_queries.hpp"

#include "agent/store/store_internal.hpp"
#include "base/time.hpp"

#include <algorithm>
#include <utility>

namespace dockscan::agent::review {

namespace {

namespace sqlite = base::sqlite;

// The one place that says who sees what: ?1 is the user, ?2 is 1 for all units.
// A phone in no unit is seen only by those who see all units.
constexpr std::string_view k_visible =
    "(?2 = 1 OR p.unit_id IN (SELECT unit_id FROM user_units WHERE user_id = ?1))";

// A finding whose newest decision asked for a removal that the next scan found not done
// ("finns kvar"): open again until the supervisor decides anew (follow_up.hpp).
constexpr std::string_view k_still_there_at =
    "(SELECT c.checked_at FROM removal_checks c WHERE c.finding_id = f.id AND c.result = "
    "'still_there' AND c.review_id = (SELECT max(r3.id) FROM reviews r3 WHERE r3.finding_id = "
    "f.id))";

// Open: never decided, or reopened because what was to be removed is still there.
const std::string k_open = "(NOT EXISTS (SELECT 1 FROM reviews r WHERE r.finding_id = f.id) OR " +
                           std::string(k_still_there_at) + " IS NOT NULL)";

const std::string k_finding_columns =
    "SELECT f.id, f.scan_id, p.label, i.type, i.ref, i.label, f.kind, f.category, f.severity, "
    "f.confidence, f.masked, f.match_hash, f.excerpt, f.detector, f.created_at, p.id, "
    "coalesce(u.name, ''), s.started_at, "
    "(SELECT r.id FROM reviews r WHERE r.finding_id = f.id ORDER BY r.id DESC LIMIT 1), "
    "coalesce(f.purged_at, ''), f.occurrences, f.item_id, i.mtime, coalesce(t.width, 0), "
    "coalesce(t.height, 0), coalesce(" +
    std::string(k_still_there_at) + ", '') ";
const std::string k_finding_from =
    "FROM findings f JOIN items i ON i.id = f.item_id JOIN scans s ON s.id = f.scan_id "
    "JOIN phones p ON p.id = s.phone_id LEFT JOIN units u ON u.id = p.unit_id "
    "LEFT JOIN thumbnails t ON t.item_id = f.item_id ";
const std::string k_finding_select_text = k_finding_columns + k_finding_from;
const std::string_view k_finding_select = k_finding_select_text;
// The order of the lists: newest scan first; the findings of one item stand together,
// since they are decided together.
constexpr std::string_view k_item_order = "s.started_at DESC, s.id DESC, f.item_id";

// History shows people by the name they go by; a login name that is no longer a user's
// is shown as it was stored.
constexpr std::string_view k_decision_select =
    "SELECT r.id, r.decision, r.actions, r.other_action, r.follow_up, r.note, r.reviewer, "
    "r.created_at, coalesce(nullif(us.display_name, ''), r.reviewer) "
    "FROM reviews r LEFT JOIN users us ON us.name = r.reviewer ";

void bind_viewer(sqlite::Statement& stmt, const Viewer& viewer) {
    stmt.bind(1, viewer.user_id);
    stmt.bind(2, std::int64_t{viewer.all_units ? 1 : 0});
}

Decision read_decision(const sqlite::Statement& s) {
    return Decision{s.column_int(0),  s.column_text(1), parse_actions(s.column_text(2)),
                    s.column_text(3), s.column_text(4), s.column_text(5),
                    s.column_text(6), s.column_text(7), s.column_text(8)};
}

Expected<std::optional<Decision>> decision_by_id(Store& store, std::int64_t id) {
    constexpr std::string_view k_context = "cannot read the decision";
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto select, store.database().prepare(std::string(k_decision_select) + "WHERE r.id = ?1"),
        k_context);
    select.bind(1, id);
    DOCKSCAN_STORE_TRY_ASSIGN(const bool found, select.step(), k_context);
    if (!found) {
        return std::nullopt;
    }
    return read_decision(select);
}

Expected<ReviewFinding> read_finding(Store& store, const sqlite::Statement& s) {
    ReviewFinding f{FindingRow{s.column_int(0), s.column_int(1), s.column_text(2), s.column_text(3),
                               s.column_text(4), s.column_text(5), s.column_text(6),
                               s.column_text(7), s.column_text(8), s.column_double(9),
                               s.column_text(10), s.column_text(11), s.column_text(12),
                               s.column_text(13), s.column_text(14), s.column_int(20)},
                    s.column_int(15),
                    s.column_text(16),
                    s.column_text(17),
                    std::nullopt,
                    s.column_text(19),
                    s.column_int(21),
                    s.column_int(22),
                    s.column_int(23),
                    s.column_int(24),
                    s.column_text(25)};
    if (!s.is_null(18)) {
        DOCKSCAN_TRY_ASSIGN(f.latest, decision_by_id(store, s.column_int(18)));
    }
    return f;
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

Expected<std::optional<Control>> latest_control(Store& store, std::int64_t scan_id) {
    DOCKSCAN_TRY_ASSIGN(auto all, controls(store, scan_id));
    if (all.empty()) {
        return std::nullopt;
    }
    return all.front();
}

const std::string k_scan_select =
    "SELECT s.id, p.id, p.label, coalesce(u.name, ''), s.started_at, s.status, "
    "(SELECT count(*) FROM findings f WHERE f.scan_id = s.id), "
    "(SELECT count(*) FROM findings f WHERE f.scan_id = s.id AND " +
    k_open +
    ") "
    "FROM scans s JOIN phones p ON p.id = s.phone_id LEFT JOIN units u ON u.id = p.unit_id ";

Expected<ScanEntry> read_scan(Store& store, const sqlite::Statement& s) {
    ScanEntry entry{s.column_int(0),  s.column_int(1),  s.column_text(2),
                    s.column_text(3), s.column_text(4), s.column_text(5),
                    s.column_int(6),  s.column_int(7),  std::nullopt};
    DOCKSCAN_TRY_ASSIGN(entry.latest_control, latest_control(store, entry.scan_id));
    return entry;
}

} // namespace

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

std::string filtered(Filter filter) {
    std::string sql = "WHERE " + std::string(k_visible);
    if (filter == Filter::open) {
        sql += " AND " + k_open;
    } else if (filter == Filter::decided) {
        sql += " AND NOT " + k_open;
    }
    return sql;
}

Expected<std::vector<ReviewFinding>> read_findings(Store& store, sqlite::Statement& select) {
    constexpr std::string_view k_context = "cannot read findings";
    std::vector<ReviewFinding> rows;
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool has_row, select.step(), k_context);
        if (!has_row) {
            break;
        }
        DOCKSCAN_TRY_ASSIGN(auto row, read_finding(store, select));
        rows.push_back(std::move(row));
    }
    return rows;
}

} // namespace

Expected<std::vector<ReviewFinding>> findings(Store& store, const Viewer& viewer, Filter filter,
                                              std::optional<std::int64_t> scan_id) {
    std::string sql = std::string(k_finding_select) + filtered(filter);
    if (scan_id) {
        sql += " AND f.scan_id = ?3";
    }
    sql += " ORDER BY " + std::string(k_item_order) + ", f.id";
    DOCKSCAN_STORE_TRY_ASSIGN(auto select, store.database().prepare(sql), "cannot read findings");
    bind_viewer(select, viewer);
    if (scan_id) {
        select.bind(3, *scan_id);
    }
    return read_findings(store, select);
}

Expected<FindingsPage> findings_page(Store& store, const Viewer& viewer, Filter filter,
                                     std::int64_t page, std::int64_t items_per_page) {
    constexpr std::string_view k_context = "cannot read findings";
    // First the page's items in the list's order (and one more, to tell whether a next
    // page exists), then their findings: only the page's rows are read into memory,
    // however long the queue. (The store's SQLite has no window functions.)
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto select_items,
        store.database().prepare("SELECT f.scan_id, f.item_id " + k_finding_from +
                                 filtered(filter) + " GROUP BY f.scan_id, f.item_id ORDER BY " +
                                 std::string(k_item_order) + " LIMIT ?4 OFFSET ?3"),
        k_context);
    bind_viewer(select_items, viewer);
    select_items.bind(3, std::max<std::int64_t>(0, page - 1) * items_per_page);
    select_items.bind(4, items_per_page + 1);
    std::vector<std::pair<std::int64_t, std::int64_t>> items; // (scan, item)
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool has_row, select_items.step(), k_context);
        if (!has_row) {
            break;
        }
        items.emplace_back(select_items.column_int(0), select_items.column_int(1));
    }
    FindingsPage out;
    if (static_cast<std::int64_t>(items.size()) > items_per_page) {
        out.more = true;
        items.pop_back();
    }
    if (items.empty()) {
        return out;
    }
    std::string sql = std::string(k_finding_select) + filtered(filter) + " AND (";
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string at = std::to_string(3 + 2 * i);
        const std::string next = std::to_string(4 + 2 * i);
        sql += std::string(i == 0 ? "" : " OR ") + "(f.scan_id = ?" + at + " AND f.item_id = ?" +
               next + ")";
    }
    sql += ") ORDER BY " + std::string(k_item_order) + ", f.id";
    DOCKSCAN_STORE_TRY_ASSIGN(auto select, store.database().prepare(sql), k_context);
    bind_viewer(select, viewer);
    for (std::size_t i = 0; i < items.size(); ++i) {
        select.bind(static_cast<int>(3 + 2 * i), items[i].first);
        select.bind(static_cast<int>(4 + 2 * i), items[i].second);
    }
    DOCKSCAN_TRY_ASSIGN(out.rows, read_findings(store, select));
    return out;
}

Expected<FindingLookup> finding(Store& store, const Viewer& viewer, std::int64_t id) {
    constexpr std::string_view k_context = "cannot read the finding";
    DOCKSCAN_STORE_TRY_ASSIGN(auto select,
                              store.database().prepare(std::string(k_finding_select) +
                                                       "WHERE f.id = ?3 AND " +
                                                       std::string(k_visible)),
                              k_context);
    bind_viewer(select, viewer);
    select.bind(3, id);
    DOCKSCAN_STORE_TRY_ASSIGN(const bool found, select.step(), k_context);
    if (found) {
        DOCKSCAN_TRY_ASSIGN(auto row, read_finding(store, select));
        return FindingLookup{Access::visible, std::move(row)};
    }
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto exists, store.database().prepare("SELECT 1 FROM findings WHERE id = ?1"), k_context);
    exists.bind(1, id);
    DOCKSCAN_STORE_TRY_ASSIGN(const bool exists_elsewhere, exists.step(), k_context);
    return FindingLookup{exists_elsewhere ? Access::denied : Access::missing, std::nullopt};
}

Expected<std::vector<Decision>> decisions(Store& store, std::int64_t finding_id) {
    constexpr std::string_view k_context = "cannot read the decisions";
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto select,
        store.database().prepare(std::string(k_decision_select) +
                                 "WHERE r.finding_id = ?1 ORDER BY r.id DESC"),
        k_context);
    select.bind(1, finding_id);
    std::vector<Decision> rows;
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool has_row, select.step(), k_context);
        if (!has_row) {
            break;
        }
        rows.push_back(read_decision(select));
    }
    return rows;
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

Expected<std::int64_t> other_phones_with_number(Store& store, std::string_view match_hash,
                                                std::int64_t phone_id) {
    constexpr std::string_view k_context = "cannot match the number across phones";
    if (match_hash.empty()) {
        return 0;
    }
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto select,
        store.database().prepare("SELECT count(DISTINCT s.phone_id) FROM findings f JOIN scans s "
                                 "ON s.id = f.scan_id WHERE f.match_hash = ?1 AND s.phone_id <> "
                                 "?2"),
        k_context);
    select.bind_text(1, match_hash);
    select.bind(2, phone_id);
    DOCKSCAN_STORE_TRY(select.step(), k_context);
    return select.column_int(0);
}

Expected<std::vector<ScanEntry>> scans(Store& store, const Viewer& viewer, std::int64_t limit) {
    constexpr std::string_view k_context = "cannot read the scans";
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto select,
        store.database().prepare(std::string(k_scan_select) + "WHERE " + std::string(k_visible) +
                                 " ORDER BY s.started_at DESC, s.id DESC LIMIT ?3"),
        k_context);
    bind_viewer(select, viewer);
    select.bind(3, limit);
    std::vector<ScanEntry> rows;
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool has_row, select.step(), k_context);
        if (!has_row) {
            break;
        }
        DOCKSCAN_TRY_ASSIGN(auto row, read_scan(store, select));
        rows.push_back(std::move(row));
    }
    return rows;
}

Expected<ScanLookup> scan(Store& store, const Viewer& viewer, std::int64_t scan_id) {
    constexpr std::string_view k_context = "cannot read the scan";
    DOCKSCAN_STORE_TRY_ASSIGN(auto select,
                              store.database().prepare(std::string(k_scan_select) +
                                                       "WHERE s.id = ?3 AND " +
                                                       std::string(k_visible)),
                              k_context);
    bind_viewer(select, viewer);
    select.bind(3, scan_id);
    DOCKSCAN_STORE_TRY_ASSIGN(const bool found, select.step(), k_context);
    if (found) {
        DOCKSCAN_TRY_ASSIGN(auto entry, read_scan(store, select));
        return ScanLookup{Access::visible, std::move(entry)};
    }
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto exists, store.database().prepare("SELECT 1 FROM scans WHERE id = ?1"), k_context);
    exists.bind(1, scan_id);
    DOCKSCAN_STORE_TRY_ASSIGN(const bool exists_elsewhere, exists.step(), k_context);
    return ScanLookup{exists_elsewhere ? Access::denied : Access::missing, std::nullopt};
}

Expected<std::vector<Control>> controls(Store& store, std::int64_t scan_id) {
    constexpr std::string_view k_context = "cannot read the controls";
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto select,
        store.database().prepare(
            "SELECT c.id, c.result, c.note, c.reviewer, c.created_at, "
            "coalesce(nullif(us.display_name, ''), c.reviewer) FROM controls c "
            "LEFT JOIN users us ON us.name = c.reviewer WHERE c.scan_id = ?1 ORDER BY c.id DESC"),
        k_context);
    select.bind(1, scan_id);
    std::vector<Control> rows;
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool has_row, select.step(), k_context);
        if (!has_row) {
            break;
        }
        rows.push_back(Control{select.column_int(0), select.column_text(1), select.column_text(2),
                               select.column_text(3), select.column_text(4),
                               select.column_text(5)});
    }
    return rows;
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

} // namespace dockscan::agent::review
