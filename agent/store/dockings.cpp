#include "agent/store/dockings.hpp"

#include "agent/store/store_internal.hpp"
#include "base/time.hpp"

namespace dockscan::agent::dockings {
namespace {

using store_detail::Transaction;

std::optional<Outcome> parse_outcome(std::string_view text) {
    for (Outcome o : {Outcome::running, Outcome::unknown_phone, Outcome::not_sampled,
                      Outcome::complete, Outcome::partial, Outcome::failed}) {
        if (to_string(o) == text) {
            return o;
        }
    }
    return std::nullopt;
}

std::string now_iso() {
    return base::iso8601_utc(base::unix_now());
}

} // namespace

std::string_view to_string(Outcome outcome) {
    switch (outcome) {
    case Outcome::running:
        return "running";
    case Outcome::unknown_phone:
        return "unknown_phone";
    case Outcome::not_sampled:
        return "not_sampled";
    case Outcome::complete:
        return "complete";
    case Outcome::partial:
        return "partial";
    case Outcome::failed:
        return "failed";
    }
    return "failed";
}

Expected<std::optional<KnownPhone>> find_phone(Store& store, std::string_view serial) {
    constexpr std::string_view k_context = "cannot look the phone up";
    if (serial.empty()) {
        return std::nullopt;
    }
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto select,
        store.database().prepare("SELECT id, label, unit_id, coalesce(retired_on, '') FROM phones "
                                 "WHERE serial = ?1 ORDER BY unit_id IS NULL, id LIMIT 1"),
        k_context);
    select.bind_text(1, serial);
    DOCKSCAN_STORE_TRY_ASSIGN(const bool has_row, select.step(), k_context);
    if (!has_row) {
        return std::nullopt;
    }
    KnownPhone phone{select.column_int(0), select.column_text(1), std::nullopt,
                     select.column_text(3)};
    if (!select.is_null(2)) {
        phone.unit_id = select.column_int(2);
    }
    return phone;
}

Expected<std::int64_t> begin(Store& store, const Start& start) {
    constexpr std::string_view k_context = "cannot record the docking";
    auto& db = store.database();
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto insert,
        db.prepare("INSERT INTO dockings (slot, slot_label, backend, serial, phone_id, "
                   "docked_at, outcome, selection, selection_share) VALUES (?1, ?2, ?3, ?4, "
                   "?5, ?6, 'running', ?7, ?8)"),
        k_context);
    insert.bind(1, static_cast<std::int64_t>(start.slot));
    insert.bind_text(2, start.slot_label);
    insert.bind_text(3, start.backend);
    insert.bind_text(4, start.serial);
    if (start.phone_id) {
        insert.bind(5, *start.phone_id);
    } else {
        insert.bind_null(5);
    }
    insert.bind_text(6, now_iso());
    insert.bind_text(7, start.selection);
    if (start.selection_share) {
        insert.bind(8, *start.selection_share);
    } else {
        insert.bind_null(8);
    }
    DOCKSCAN_STORE_TRY(insert.step(), k_context);
    return db.last_insert_rowid();
}

Expected<void> finish(Store& store, std::int64_t docking_id, Outcome outcome,
                      std::string_view reason, std::optional<std::int64_t> scan_id) {
    constexpr std::string_view k_context = "cannot record how the docking ended";
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto update,
        store.database().prepare("UPDATE dockings SET outcome = ?2, reason = ?3, "
                                 "scan_id = coalesce(?4, scan_id), finished_at = ?5 "
                                 "WHERE id = ?1"),
        k_context);
    update.bind(1, docking_id);
    update.bind_text(2, to_string(outcome));
    update.bind_text(3, reason);
    if (scan_id) {
        update.bind(4, *scan_id);
    } else {
        update.bind_null(4);
    }
    update.bind_text(5, now_iso());
    DOCKSCAN_STORE_TRY(update.step(), k_context);
    return {};
}

Expected<std::int64_t> record(Store& store, const Start& start, Outcome outcome,
                              std::string_view reason) {
    DOCKSCAN_TRY_ASSIGN(auto transaction, Transaction::begin(store.database()));
    DOCKSCAN_TRY_ASSIGN(const std::int64_t id, begin(store, start));
    DOCKSCAN_TRY(finish(store, id, outcome, reason));
    DOCKSCAN_TRY(transaction.commit());
    return id;
}

Expected<std::int64_t> close_interrupted(Store& store) {
    constexpr std::string_view k_context = "cannot close interrupted dockings";
    auto& db = store.database();
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto update,
        db.prepare("UPDATE dockings SET outcome = 'partial', reason = 'interrupted: the "
                   "station stopped during the docking', finished_at = ?1 "
                   "WHERE outcome = 'running'"),
        k_context);
    update.bind_text(1, now_iso());
    DOCKSCAN_STORE_TRY(update.step(), k_context);
    return static_cast<std::int64_t>(db.changes());
}

Expected<UnitQuarter> unit_quarter(Store& store, std::int64_t unit_id, std::int64_t phone_id,
                                   std::string_view since) {
    constexpr std::string_view k_context = "cannot read the unit's controls this quarter";
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto select,
        store.database().prepare(
            // A phone retired before the quarter began is no phone of the unit's quarter.
            "SELECT (SELECT count(*) FROM phones WHERE unit_id = ?1 AND (retired_on IS NULL OR "
            "retired_on > substr(?3, 1, 10))), "
            "(SELECT count(DISTINCT s.phone_id) FROM scans s JOIN phones p ON p.id = "
            "s.phone_id WHERE p.unit_id = ?1 AND s.status = 'complete' AND s.started_at >= ?3), "
            "EXISTS (SELECT 1 FROM scans WHERE phone_id = ?2 AND status = 'complete' AND "
            "started_at >= ?3)"),
        k_context);
    select.bind(1, unit_id);
    select.bind(2, phone_id);
    select.bind_text(3, since);
    DOCKSCAN_STORE_TRY(select.step(), k_context);
    return UnitQuarter{select.column_int(0), select.column_int(1), select.column_int(2) != 0};
}

Expected<std::vector<Row>> list(Store& store) {
    constexpr std::string_view k_context = "cannot read the dockings";
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto select,
        store.database().prepare("SELECT id, slot, slot_label, backend, serial, phone_id, "
                                 "scan_id, docked_at, coalesce(finished_at, ''), outcome, reason, "
                                 "selection, selection_share FROM dockings ORDER BY id"),
        k_context);
    std::vector<Row> rows;
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool has_row, select.step(), k_context);
        if (!has_row) {
            break;
        }
        Row row;
        row.id = select.column_int(0);
        row.slot = static_cast<int>(select.column_int(1));
        row.slot_label = select.column_text(2);
        row.backend = select.column_text(3);
        row.serial = select.column_text(4);
        if (!select.is_null(5)) {
            row.phone_id = select.column_int(5);
        }
        if (!select.is_null(6)) {
            row.scan_id = select.column_int(6);
        }
        row.docked_at = select.column_text(7);
        row.finished_at = select.column_text(8);
        row.outcome = parse_outcome(select.column_text(9)).value_or(Outcome::failed);
        row.reason = select.column_text(10);
        row.selection = select.column_text(11);
        if (!select.is_null(12)) {
            row.selection_share = select.column_double(12);
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

} // namespace dockscan::agent::dockings
