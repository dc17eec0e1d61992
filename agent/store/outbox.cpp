#include "agent/store/outbox.hpp"

#include "agent/store/store_internal.hpp"

#include <array>

namespace dockscan::agent::outbox {

namespace {

using store_detail::Transaction;

constexpr auto S = Carry::sealed;

// Each table's columns as the central schema (agent/central/central_schema.cpp) has
// them. What names a person travels sealed: a phone's name ("Annas telefon"), an item's
// label and ref (a contact's name, a file name), excerpts, thumbnails, free text.
constexpr std::array<Column, 2> k_units{{{"name"}, {"area"}}};
constexpr std::array<Column, 9> k_phones{{{"label"},
                                          {"serial"},
                                          {"name", S},
                                          {"model"},
                                          {"os_version"},
                                          {"unit_id"},
                                          {"first_seen"},
                                          {"last_seen"},
                                          {"retired_on"}}};
constexpr std::array<Column, 4> k_phone_units{
    {{"phone_id"}, {"unit_id"}, {"from_date"}, {"created_at"}}};
constexpr std::array<Column, 14> k_scans{{{"phone_id"},
                                          {"source", S},
                                          {"started_at"},
                                          {"finished_at"},
                                          {"status"},
                                          {"reason"},
                                          {"messages"},
                                          {"photos"},
                                          {"contacts"},
                                          {"files"},
                                          {"attachments"},
                                          {"errors"},
                                          {"unchanged"},
                                          {"findings"}}};
constexpr std::array<Column, 8> k_items{{{"phone_id"},
                                         {"type"},
                                         {"ref", Carry::ref},
                                         {"label", S},
                                         {"size"},
                                         {"mtime"},
                                         {"last_scan_id"},
                                         {"outcome"}}};
constexpr std::array<Column, 16> k_findings{{{"scan_id"},
                                             {"item_id"},
                                             {"kind"},
                                             {"category"},
                                             {"severity"},
                                             {"confidence"},
                                             {"masked"},
                                             {"match_hash"},
                                             {"excerpt", S},
                                             {"detector"},
                                             {"start"},
                                             {"end"},
                                             {"created_at"},
                                             {"purged_at"},
                                             {"occurrences"},
                                             {"content_hash"}}};
constexpr std::array<Column, 4> k_thumbnails{{{"jpeg", S}, {"width"}, {"height"}, {"created_at"}}};
constexpr std::array<Column, 8> k_reviews{{{"finding_id"},
                                           {"decision"},
                                           {"actions"},
                                           {"other_action", S},
                                           {"follow_up"},
                                           {"note", S},
                                           {"reviewer"},
                                           {"created_at"}}};
constexpr std::array<Column, 5> k_controls{
    {{"scan_id"}, {"result"}, {"note", S}, {"reviewer"}, {"created_at"}}};
constexpr std::array<Column, 5> k_removal_checks{
    {{"finding_id"}, {"review_id"}, {"scan_id"}, {"result"}, {"checked_at"}}};
constexpr std::array<Column, 12> k_dockings{{{"slot"},
                                             {"slot_label"},
                                             {"backend"},
                                             {"serial"},
                                             {"phone_id"},
                                             {"scan_id"},
                                             {"docked_at"},
                                             {"finished_at"},
                                             {"outcome"},
                                             {"reason"},
                                             {"selection"},
                                             {"selection_share"}}};
constexpr std::array<Column, 2> k_finding_sightings{{{"finding_id"}, {"scan_id"}}};

constexpr std::array<Table, 12> k_tables{{
    {"units", k_units},
    {"phones", k_phones},
    {"phone_units", k_phone_units},
    {"scans", k_scans},
    {"items", k_items},
    {"findings", k_findings},
    {"thumbnails", k_thumbnails},
    {"reviews", k_reviews},
    {"controls", k_controls},
    {"removal_checks", k_removal_checks},
    {"dockings", k_dockings},
    {"finding_sightings", k_finding_sightings},
}};

std::string quoted(std::string_view name) {
    return "\"" + std::string(name) + "\"";
}

// A value of meta, or empty when the key is not there.
Expected<std::string> meta_value(base::sqlite::Database& db, std::string_view key) {
    constexpr std::string_view k_context = "cannot read the outbox's state";
    DOCKSCAN_STORE_TRY_ASSIGN(auto select, db.prepare("SELECT value FROM meta WHERE key = ?1"),
                              k_context);
    select.bind_text(1, key);
    DOCKSCAN_STORE_TRY_ASSIGN(const bool found, select.step(), k_context);
    if (!found) {
        return std::string();
    }
    return select.column_text(0);
}

Expected<void> set_meta(base::sqlite::Database& db, std::string_view key, std::string_view value) {
    constexpr std::string_view k_context = "cannot record the outbox's state";
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto upsert, db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)"),
        k_context);
    upsert.bind_text(1, key);
    upsert.bind_text(2, value);
    DOCKSCAN_STORE_TRY(upsert.step(), k_context);
    return {};
}

} // namespace

std::span<const Table> tables() {
    return k_tables;
}

const Table* find_table(std::string_view name) {
    for (const Table& table : k_tables) {
        if (table.name == name) {
            return &table;
        }
    }
    return nullptr;
}

Expected<void> enable(Store& store) {
    constexpr std::string_view k_context = "cannot turn the outbox on";
    base::sqlite::Database& db = store.database();
    DOCKSCAN_TRY_ASSIGN(auto transaction, Transaction::begin(db));
    const auto on = meta_value(db, "central_outbox");
    if (!on) {
        return tl::unexpected(on.error());
    }
    if (*on == "on") {
        return transaction.commit();
    }
    for (const Table& table : k_tables) {
        DOCKSCAN_STORE_TRY(db.exec("INSERT INTO outbox (tbl, local_id) SELECT '" +
                                   std::string(table.name) + "', rowid FROM " +
                                   std::string(table.name) + " ORDER BY rowid"),
                           k_context);
    }
    DOCKSCAN_TRY(set_meta(db, "central_outbox", "on"));
    return transaction.commit();
}

Expected<std::vector<Entry>> pending(Store& store, std::int64_t after, std::size_t limit) {
    constexpr std::string_view k_context = "cannot read the outbox";
    DOCKSCAN_STORE_TRY_ASSIGN(auto select,
                              store.database().prepare("SELECT id, tbl, local_id FROM outbox "
                                                       "WHERE id > ?1 ORDER BY id LIMIT ?2"),
                              k_context);
    select.bind(1, after);
    select.bind(2, static_cast<std::int64_t>(limit));
    std::vector<Entry> entries;
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool row, select.step(), k_context);
        if (!row) {
            break;
        }
        entries.push_back(Entry{select.column_int(0), select.column_text(1), select.column_int(2)});
    }
    return entries;
}

Expected<std::optional<RowValues>> read_row(Store& store, const Table& table,
                                            std::int64_t local_id) {
    constexpr std::string_view k_context = "cannot read a row for the outbox";
    std::string sql = "SELECT ";
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        sql += (i == 0 ? "" : ", ") + quoted(table.columns[i].name);
    }
    sql += " FROM " + std::string(table.name) + " WHERE rowid = ?1";
    DOCKSCAN_STORE_TRY_ASSIGN(auto select, store.database().prepare(sql), k_context);
    select.bind(1, local_id);
    DOCKSCAN_STORE_TRY_ASSIGN(const bool found, select.step(), k_context);
    if (!found) {
        return std::nullopt;
    }
    RowValues values;
    values.reserve(table.columns.size());
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        const int column = static_cast<int>(i);
        if (select.is_null(column)) {
            values.emplace_back(std::nullopt);
        } else if (table.columns[i].carry == Carry::clear) {
            values.emplace_back(select.column_text(column));
        } else {
            values.emplace_back(select.column_blob(column));
        }
    }
    return values;
}

Expected<void> mark_applied(Store& store, std::int64_t applied_id, std::string_view at) {
    constexpr std::string_view k_context = "cannot mark the outbox as sent";
    base::sqlite::Database& db = store.database();
    DOCKSCAN_TRY_ASSIGN(auto transaction, Transaction::begin(db));
    DOCKSCAN_STORE_TRY_ASSIGN(auto remove, db.prepare("DELETE FROM outbox WHERE id <= ?1"),
                              k_context);
    remove.bind(1, applied_id);
    DOCKSCAN_STORE_TRY(remove.step(), k_context);
    DOCKSCAN_TRY(set_meta(db, "central_applied_id", std::to_string(applied_id)));
    DOCKSCAN_TRY(set_meta(db, "central_last_sync", at));
    DOCKSCAN_TRY(set_meta(db, "central_last_error", ""));
    return transaction.commit();
}

Expected<void> record_error(Store& store, std::string_view error) {
    base::sqlite::Database& db = store.database();
    DOCKSCAN_TRY_ASSIGN(auto transaction, Transaction::begin(db));
    DOCKSCAN_TRY(set_meta(db, "central_last_error", error));
    return transaction.commit();
}

Expected<std::int64_t> decisions_seen(Store& store) {
    const auto seen = meta_value(store.database(), "central_decisions_seen");
    if (!seen) {
        return tl::unexpected(seen.error());
    }
    return seen->empty() ? 0 : std::stoll(*seen);
}

Expected<void> set_decisions_seen(Store& store, std::int64_t decision_id) {
    return set_meta(store.database(), "central_decisions_seen", std::to_string(decision_id));
}

Expected<std::int64_t> register_seen(Store& store) {
    const auto seen = meta_value(store.database(), "central_register_seen");
    if (!seen) {
        return tl::unexpected(seen.error());
    }
    return seen->empty() ? 0 : std::stoll(*seen);
}

Expected<void> set_register_seen(Store& store, std::int64_t version) {
    return set_meta(store.database(), "central_register_seen", std::to_string(version));
}

Expected<std::vector<LocalFinding>> findings_with_content(Store& store, std::string_view serial,
                                                          std::string_view type,
                                                          std::string_view content_hash) {
    constexpr std::string_view k_context = "cannot look up the phone's findings";
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto select,
        store.database().prepare("SELECT f.id, i.ref FROM findings f JOIN items i ON i.id = "
                                 "f.item_id JOIN phones p ON p.id = i.phone_id WHERE p.serial = ?1 "
                                 "AND p.serial <> '' AND i.type = ?2 AND f.content_hash = ?3 "
                                 "AND f.content_hash <> '' ORDER BY f.id"),
        k_context);
    select.bind_text(1, serial);
    select.bind_text(2, type);
    select.bind_text(3, content_hash);
    std::vector<LocalFinding> found;
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool row, select.step(), k_context);
        if (!row) {
            break;
        }
        found.push_back(LocalFinding{select.column_int(0), select.column_text(1)});
    }
    return found;
}

Expected<Status> status(Store& store) {
    constexpr std::string_view k_context = "cannot read the outbox";
    base::sqlite::Database& db = store.database();
    Status result;
    const auto on = meta_value(db, "central_outbox");
    if (!on) {
        return tl::unexpected(on.error());
    }
    result.enabled = *on == "on";
    DOCKSCAN_TRY_ASSIGN(const auto applied, meta_value(db, "central_applied_id"));
    result.applied_id = applied.empty() ? 0 : std::stoll(applied);
    DOCKSCAN_TRY_ASSIGN(result.last_sync, meta_value(db, "central_last_sync"));
    DOCKSCAN_TRY_ASSIGN(result.last_error, meta_value(db, "central_last_error"));
    DOCKSCAN_STORE_TRY_ASSIGN(auto count, db.prepare("SELECT count(*) FROM outbox WHERE id > ?1"),
                              k_context);
    count.bind(1, result.applied_id);
    DOCKSCAN_STORE_TRY(count.step(), k_context);
    result.waiting = count.column_int(0);
    return result;
}

} // namespace dockscan::agent::outbox
