#include "agent/central/central_review.hpp"

#include "agent/central/central_schema.hpp"
#include "agent/central/central_users.hpp"
#include "base/time.hpp"

#include <utility>

namespace dockscan::agent::central {

namespace {

// A decision on the finding, a control of the scan, whose number ?1 is as the shared
// queries read it ({key:}; sql::expand's {is:} finds its station and local id): only
// for one the database holds.
const std::string k_insert_decision = sql::expand(
    sql::Dialect::postgresql,
    "INSERT INTO decisions (station_id, finding_id, decision, actions, follow_up, note_sealed, "
    "other_action_sealed, reviewer, created_at) SELECT f.station_id, f.local_id, ?2, ?3, ?4, "
    "?5::bytea, ?6::bytea, ?7, ?8 FROM findings f WHERE {is:f.id=?1}");
const std::string k_insert_control = sql::expand(
    sql::Dialect::postgresql,
    "INSERT INTO central_controls (station_id, scan_id, result, note_sealed, reviewer, "
    "created_at) SELECT s.station_id, s.local_id, ?2, ?3::bytea, ?4, ?5 FROM scans s WHERE "
    "{is:s.id=?1} RETURNING id");

} // namespace

Expected<std::unique_ptr<CentralDatabase>> CentralDatabase::open(const ReviewSettings& settings) {
    if (settings.review_secret_key.empty()) {
        return fail(ErrorCode::config,
                    "[central_review] has no review_secret_key: the central review shows the "
                    "stations' evidence, which only the review server's secret key opens");
    }
    DOCKSCAN_TRY_ASSIGN(auto secret, read_review_secret(settings.review_secret_key));
    const std::string conninfo = connection_string(settings);
    auto conn = pg::Connection::connect(conninfo);
    if (!conn) {
        crypto::wipe(secret);
        return tl::unexpected(conn.error());
    }
    if (auto role = require_review_role(*conn); !role) {
        crypto::wipe(secret);
        return tl::unexpected(role.error());
    }
    auto database = std::make_unique<CentralDatabase>(conninfo, std::move(*conn), secret);
    crypto::wipe(secret);
    return database;
}

CentralDatabase::CentralDatabase(std::string conninfo, pg::Connection connection,
                                 const crypto::BoxSecretKey& secret_key)
    : m_conninfo(std::move(conninfo)), m_connection(std::move(connection)), m_source(m_connection),
      m_public_key(crypto::box_public_key(secret_key)) {
    m_source.set_review_key(secret_key);
}

pg::Connection& CentralDatabase::connection() {
    if (!m_connection.alive()) {
        // One try per request: while PostgreSQL is away the request fails and says so.
        if (auto again = pg::Connection::connect(m_conninfo)) {
            m_connection = std::move(*again);
        }
    }
    return m_connection;
}

sql::Source& CentralDatabase::source() {
    (void)connection();
    return m_source;
}

Expected<std::optional<users::Credentials>> CentralDatabase::credentials(std::string_view name) {
    return central::credentials(connection(), name);
}

Expected<void> CentralDatabase::audit(const AuditEntry& entry) {
    return connection()
        .query("INSERT INTO review_audit (at, actor, action, object, detail) "
               "VALUES ($1, $2, $3, $4, $5)",
               {base::iso8601_utc(base::unix_now()), entry.actor, entry.action, entry.object,
                entry.detail})
        .map([](const pg::Rows&) {});
}

pg::Param CentralDatabase::sealed(std::string_view text) const {
    if (text.empty()) {
        return std::nullopt;
    }
    return pg::bytea(crypto::seal(m_public_key, text));
}

Expected<std::int64_t>
CentralDatabase::add_decisions(const review::NewDecision& decision,
                               const std::vector<std::int64_t>& finding_ids) {
    DOCKSCAN_TRY(review::check(decision));
    pg::Connection& conn = connection();
    const std::string created_at = base::iso8601_utc(base::unix_now());
    return pg::in_transaction(conn, [&]() -> Expected<std::int64_t> {
        for (const std::int64_t id : finding_ids) {
            DOCKSCAN_TRY_ASSIGN(
                const pg::Rows written,
                conn.query(k_insert_decision,
                           {std::to_string(id), decision.decision,
                            review::actions_json(decision.actions), decision.follow_up,
                            sealed(decision.note), sealed(decision.other_action), decision.reviewer,
                            created_at}));
            if (written.affected != 1) {
                return fail(ErrorCode::usage,
                            "no finding " + std::to_string(id) + " in the central database");
            }
        }
        return static_cast<std::int64_t>(finding_ids.size());
    });
}

Expected<std::int64_t> CentralDatabase::add_control(const review::NewControl& control) {
    if (!review::is_decision(control.result)) {
        return fail(ErrorCode::usage, "unknown control result");
    }
    DOCKSCAN_TRY_ASSIGN(
        const pg::Rows written,
        connection().query(k_insert_control,
                           {std::to_string(control.scan_id), control.result, sealed(control.note),
                            control.reviewer, base::iso8601_utc(base::unix_now())}));
    if (written.rows.empty()) {
        return fail(ErrorCode::usage,
                    "no scan " + std::to_string(control.scan_id) + " in the central database");
    }
    return std::stoll(written.rows[0][0].value_or("0"));
}

} // namespace dockscan::agent::central
