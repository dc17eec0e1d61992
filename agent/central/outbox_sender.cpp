#include "agent/central/outbox_sender.hpp"

#include "agent/store/outbox.hpp"
#include "agent/store/review_queries.hpp"
#include "agent/store/sodium_seam.hpp"
#include "base/time.hpp"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace dockscan::agent::central {

namespace {

// PostgreSQL takes at most 65535 parameters per statement; a batch's rows of one table
// go in statements of at most this many.
constexpr std::size_t k_max_params = 30000;

std::string column_name(std::string_view name) {
    return "\"" + std::string(name) + "\"";
}

// The central columns of a station column: sealed ones as name_sealed, an item's ref
// also as ref_hash.
std::vector<std::string> central_columns(const outbox::Table& table) {
    std::vector<std::string> columns;
    for (const outbox::Column& column : table.columns) {
        switch (column.carry) {
        case outbox::Carry::clear:
            columns.push_back(column_name(column.name));
            break;
        case outbox::Carry::sealed:
            columns.push_back(column_name(std::string(column.name) + "_sealed"));
            break;
        case outbox::Carry::ref:
            columns.push_back(column_name(std::string(column.name) + "_sealed"));
            columns.push_back(column_name(std::string(column.name) + "_hash"));
            break;
        }
    }
    return columns;
}

std::string upsert_sql(const outbox::Table& table, std::size_t rows) {
    const std::vector<std::string> columns = central_columns(table);
    std::string sql = "INSERT INTO " + std::string(table.name) + " (station_id, local_id";
    for (const std::string& column : columns) {
        sql += ", " + column;
    }
    sql += ") VALUES ";
    int param = 1;
    for (std::size_t r = 0; r < rows; ++r) {
        sql += r == 0 ? "(" : ", (";
        for (std::size_t c = 0; c < columns.size() + 2; ++c) {
            sql += (c == 0 ? "$" : ", $") + std::to_string(param++);
        }
        sql += ")";
    }
    sql += " ON CONFLICT (station_id, local_id) DO UPDATE SET ";
    for (std::size_t c = 0; c < columns.size(); ++c) {
        sql += (c == 0 ? "" : ", ") + columns[c] + " = EXCLUDED." + columns[c];
    }
    return sql;
}

} // namespace

struct OutboxSender::Impl {
    CentralSettings settings;
    CentralKeys keys;
    StoreKey ref_key;
    std::optional<pg::Connection> conn;

    Impl(CentralSettings s, CentralKeys k)
        : settings(std::move(s)), keys(std::move(k)), ref_key(keys.fleet_key.derive("item-ref")) {}

    Expected<pg::Connection*> connection() {
        if (!conn || !conn->alive()) {
            conn.reset();
            DOCKSCAN_TRY_ASSIGN(auto fresh, pg::Connection::connect(connection_string(settings)));
            conn.emplace(std::move(fresh));
        }
        return &*conn;
    }

    std::string ref_hash(std::string_view ref) const {
        return crypto::to_hex(crypto::hmac_of_fields(ref_key.bytes(), {"dockscan item ref", ref}));
    }

    // The parameters of one row: station, local id, then its columns as they travel.
    std::vector<pg::Param> row_params(const outbox::Table& table, std::int64_t local_id,
                                      const outbox::RowValues& values) const {
        std::vector<pg::Param> params{settings.station, std::to_string(local_id)};
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
            const std::optional<std::string>& value = values[i];
            switch (table.columns[i].carry) {
            case outbox::Carry::clear:
                params.push_back(value);
                break;
            case outbox::Carry::sealed:
                params.push_back(value ? pg::Param(pg::bytea(crypto::seal(keys.review_key, *value)))
                                       : std::nullopt);
                break;
            case outbox::Carry::ref:
                params.push_back(value ? pg::Param(pg::bytea(crypto::seal(keys.review_key, *value)))
                                       : std::nullopt);
                params.push_back(value ? ref_hash(*value) : std::string());
                break;
            }
        }
        return params;
    }

    // Writes one table's rows of a batch: upserts for the rows there are, one delete for
    // those gone. Runs inside the batch's transaction.
    Expected<std::int64_t> apply_table(Store& store, pg::Connection& pg, const outbox::Table& table,
                                       const std::vector<std::int64_t>& ids) {
        std::vector<std::vector<pg::Param>> rows;
        std::string gone;
        for (const std::int64_t id : ids) {
            DOCKSCAN_TRY_ASSIGN(auto values, outbox::read_row(store, table, id));
            if (values) {
                rows.push_back(row_params(table, id, *values));
            } else {
                gone += (gone.empty() ? "{" : ",") + std::to_string(id);
            }
        }
        std::int64_t written = 0;
        if (!rows.empty()) {
            const std::size_t per_row = rows.front().size();
            const std::size_t chunk = std::max<std::size_t>(1, k_max_params / per_row);
            for (std::size_t start = 0; start < rows.size(); start += chunk) {
                const std::size_t n = std::min(chunk, rows.size() - start);
                std::vector<pg::Param> params;
                params.reserve(n * per_row);
                for (std::size_t r = start; r < start + n; ++r) {
                    std::move(rows[r].begin(), rows[r].end(), std::back_inserter(params));
                }
                DOCKSCAN_TRY_ASSIGN(const pg::Rows done, pg.query(upsert_sql(table, n), params));
                written += done.affected;
            }
        }
        if (!gone.empty()) {
            gone += "}";
            DOCKSCAN_TRY_ASSIGN(
                const pg::Rows done,
                pg.query("DELETE FROM " + std::string(table.name) +
                             " WHERE station_id = $1 AND local_id = ANY ($2::bigint[])",
                         {settings.station, gone}));
            written += done.affected;
        }
        return written;
    }

    // One batch in one central transaction. Returns the rows written and the new
    // applied id, or nothing when the outbox had nothing after what is applied.
    struct Batch {
        std::int64_t rows = 0;
        std::int64_t applied_id = 0;
        bool empty = true;
    };

    // The central decisions this station has not seen yet, recorded on its own findings.
    Expected<std::pair<std::int64_t, std::int64_t>> fetch_decisions(Store& store,
                                                                    pg::Connection& pg) {
        DOCKSCAN_TRY_ASSIGN(const std::int64_t seen, outbox::decisions_seen(store));
        DOCKSCAN_TRY_ASSIGN(
            const pg::Rows requests,
            pg.query("SELECT decision_id, origin_station, origin_finding_id, decision, actions, "
                     "follow_up, reviewer, serial, item_type, ref_hash, content_hash "
                     "FROM removal_requests WHERE decision_id > $1 ORDER BY decision_id",
                     {std::to_string(seen)}));
        std::int64_t recorded = 0;
        std::int64_t newest = seen;
        for (const auto& row : requests.rows) {
            auto text = [&](std::size_t column) { return row.at(column).value_or(""); };
            newest = std::max<std::int64_t>(newest, std::stoll(text(0)));
            DOCKSCAN_TRY_ASSIGN(const auto local,
                                outbox::findings_with_content(store, text(7), text(8), text(10)));
            review::NewDecision decision;
            decision.decision = text(3);
            const auto actions = nlohmann::json::parse(text(4), nullptr, false);
            if (actions.is_array()) {
                for (const auto& action : actions) {
                    if (action.is_string()) {
                        decision.actions.push_back(action.get<std::string>());
                    }
                }
            }
            decision.follow_up = text(5);
            decision.reviewer = text(6);
            // Shown in the review's history (Swedish, as every text a supervisor reads).
            decision.note = "Beslut i kommunens gemensamma granskning (beslut " + text(0) +
                            ", fynd från station " + text(1) + ")";
            std::vector<std::int64_t> ids;
            for (const outbox::LocalFinding& finding : local) {
                const bool own =
                    text(1) == settings.station && std::to_string(finding.finding_id) == text(2);
                if (own || ref_hash(finding.item_ref) == text(9)) {
                    ids.push_back(finding.finding_id);
                }
            }
            if (!ids.empty()) {
                const auto written = review::add_decisions(store, decision, ids);
                // A decision this dockscan does not know (a newer action code) is left
                // out rather than stopping every later sync; anything else is a failure.
                if (!written && written.error().code != ErrorCode::usage) {
                    return tl::unexpected(written.error());
                }
                recorded += written.value_or(0);
            }
        }
        DOCKSCAN_TRY(outbox::set_decisions_seen(store, newest));
        return std::pair{static_cast<std::int64_t>(requests.rows.size()), recorded};
    }

    Expected<Batch> send_batch(Store& store, pg::Connection& pg, std::size_t batch_rows) {
        DOCKSCAN_TRY(pg.exec("BEGIN"));
        auto batch = [&]() -> Expected<Batch> {
            // The row lock makes two senders of one station (a daemon and an admin's
            // `central sync`) take turns instead of applying the same rows twice.
            DOCKSCAN_TRY_ASSIGN(
                const pg::Rows station,
                pg.query("SELECT applied_outbox_id FROM stations WHERE id = $1 FOR UPDATE",
                         {settings.station}));
            if (station.rows.empty()) {
                return fail(ErrorCode::central_refused,
                            "the central database does not know station '" + settings.station +
                                "' as role '" + settings.role +
                                "' (dockscan central add-station on the central side)");
            }
            Batch result;
            result.applied_id = std::stoll(station.rows[0][0].value_or("0"));
            DOCKSCAN_TRY_ASSIGN(const auto entries,
                                outbox::pending(store, result.applied_id, batch_rows));
            if (entries.empty()) {
                return result;
            }
            result.empty = false;
            // The same row written several times in a batch (a scan's counts after every
            // item batch) is sent once, as it is now.
            std::map<std::string, std::vector<std::int64_t>> by_table;
            std::set<std::pair<std::string, std::int64_t>> seen;
            for (const outbox::Entry& entry : entries) {
                if (seen.emplace(entry.table, entry.local_id).second) {
                    by_table[entry.table].push_back(entry.local_id);
                }
            }
            for (const outbox::Table& table : outbox::tables()) {
                const auto found = by_table.find(std::string(table.name));
                if (found == by_table.end()) {
                    continue;
                }
                DOCKSCAN_TRY_ASSIGN(const std::int64_t written,
                                    apply_table(store, pg, table, found->second));
                result.rows += written;
            }
            result.applied_id = entries.back().id;
            DOCKSCAN_TRY(pg.query("UPDATE stations SET applied_outbox_id = $2, last_sync = now() "
                                  "WHERE id = $1",
                                  {settings.station, std::to_string(result.applied_id)})
                             .map([](const pg::Rows&) {}));
            return result;
        }();
        if (!batch) {
            (void)pg.exec("ROLLBACK");
            return batch;
        }
        DOCKSCAN_TRY(pg.exec("COMMIT"));
        return batch;
    }
};

OutboxSender::OutboxSender(CentralSettings settings, CentralKeys keys)
    : m_impl(std::make_unique<Impl>(std::move(settings), std::move(keys))) {}
OutboxSender::OutboxSender(OutboxSender&&) noexcept = default;
OutboxSender& OutboxSender::operator=(OutboxSender&&) noexcept = default;
OutboxSender::~OutboxSender() = default;

Expected<SyncReport> OutboxSender::sync(Store& store, const SyncLimits& limits) {
    if (!crypto::ready()) {
        return fail(ErrorCode::internal, "libsodium cannot run here");
    }
    store.use_fleet_key(m_impl->keys.fleet_key);
    auto report = [&]() -> Expected<SyncReport> {
        DOCKSCAN_TRY(outbox::enable(store));
        DOCKSCAN_TRY_ASSIGN(pg::Connection * pg, m_impl->connection());
        SyncReport result;
        while (!limits.max_batches || result.batches < *limits.max_batches) {
            DOCKSCAN_TRY_ASSIGN(const Impl::Batch batch,
                                m_impl->send_batch(store, *pg, limits.batch_rows));
            result.applied_id = batch.applied_id;
            // What the central side has applied leaves the queue (also what an earlier
            // run applied but could not record here: its COMMIT's answer was lost).
            DOCKSCAN_TRY(
                outbox::mark_applied(store, batch.applied_id, base::iso8601_utc(base::unix_now())));
            if (batch.empty) {
                result.caught_up = true;
                break;
            }
            ++result.batches;
            result.rows += batch.rows;
        }
        if (result.caught_up) {
            DOCKSCAN_TRY_ASSIGN(const auto fetched, m_impl->fetch_decisions(store, *pg));
            result.decisions_fetched = fetched.first;
            result.decisions_recorded = fetched.second;
            DOCKSCAN_TRY_ASSIGN(result.register_applied, apply_register(store, *pg));
            if (fetched.second > 0 || result.register_applied.changed()) {
                // The decisions and register rows just recorded here are rows of this
                // station's own: send them now rather than at the next round.
                DOCKSCAN_TRY_ASSIGN(const Impl::Batch more,
                                    m_impl->send_batch(store, *pg, limits.batch_rows));
                DOCKSCAN_TRY(outbox::mark_applied(store, more.applied_id,
                                                  base::iso8601_utc(base::unix_now())));
                result.applied_id = more.applied_id;
                result.rows += more.rows;
            }
        }
        return result;
    }();
    if (!report) {
        (void)outbox::record_error(store, report.error().message);
        if (m_impl->conn && !m_impl->conn->alive()) {
            m_impl->conn.reset();
        }
    }
    return report;
}

void OutboxSender::run(std::stop_token stop, const std::function<Expected<Store>()>& open_store,
                       const Pace& pace, const std::function<void(const std::string&)>& log,
                       const std::function<void(Store&)>& after) {
    std::mutex mutex;
    std::condition_variable_any wake;
    auto pause = [&](std::chrono::milliseconds delay) {
        std::unique_lock lock(mutex);
        (void)wake.wait_for(lock, stop, delay, [] { return false; });
    };
    std::chrono::milliseconds delay = pace.first;
    bool failing = false;
    auto failed = [&](const Error& error) {
        if (!failing && log) {
            log("central sync: " + error.message + "; trying again with backoff");
        }
        failing = true;
        pause(delay);
        delay = std::min(delay * 2, pace.max);
    };
    std::optional<Store> store;
    while (!stop.stop_requested()) {
        if (!store) {
            auto opened = open_store();
            if (!opened) {
                failed(opened.error());
                continue;
            }
            store.emplace(std::move(*opened));
        }
        const auto report = sync(*store, SyncLimits{pace.batch_rows, 20});
        if (after) {
            after(*store);
        }
        if (!report) {
            failed(report.error());
            continue;
        }
        if (failing && log) {
            log("central sync: the central database answers again; applied up to outbox row " +
                std::to_string(report->applied_id));
        }
        failing = false;
        delay = pace.first;
        if (log && report->register_applied.fetched > 0) {
            log("central sync: " + describe(report->register_applied));
        }
        if (report->caught_up) {
            pause(pace.idle);
        }
    }
}

} // namespace dockscan::agent::central
