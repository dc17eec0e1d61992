#pragma once

// The review server on the municipality's PostgreSQL (`dockscan serve --central`): the
// shared review queries through PgSource, the review server's users, its audit trail,
// and its decisions and controls, written to its own tables (decisions go down to the
// station where the phone docks next: outbox_sender.cpp). Notes are sealed to the review
// key like the stations' evidence; the secret key stays in this process's memory.

#include "agent/central/central_settings.hpp"
#include "agent/central/pg_seam.hpp"
#include "agent/central/pg_source.hpp"
#include "agent/store/review_queries.hpp"

#include <string>

namespace dockscan::agent::central {

class CentralDatabase final : public review::Database {
public:
    // Connects as the review role of `settings` (ErrorCode::config for another role) and
    // reads its secret key (ErrorCode::config when it has none: the review shows
    // evidence).
    [[nodiscard]] static Expected<std::unique_ptr<CentralDatabase>>
    open(const ReviewSettings& settings);

    [[nodiscard]] sql::Source& source() override;
    [[nodiscard]] Expected<std::optional<users::Credentials>>
    credentials(std::string_view name) override;
    [[nodiscard]] Expected<void> audit(const AuditEntry& entry) override;
    [[nodiscard]] Expected<std::int64_t>
    add_decisions(const review::NewDecision& decision,
                  const std::vector<std::int64_t>& finding_ids) override;
    [[nodiscard]] Expected<std::int64_t> add_control(const review::NewControl& control) override;
    [[nodiscard]] Store* station() override { return nullptr; }

    CentralDatabase(std::string conninfo, pg::Connection connection,
                    const crypto::BoxSecretKey& secret_key);

private:
    // The connection, connected again when PostgreSQL went away since the last request
    // (a restart, a failover to the standby).
    pg::Connection& connection();
    // Sealed to the review key, as PostgreSQL's bytea input; NULL for empty text.
    [[nodiscard]] pg::Param sealed(std::string_view text) const;

    std::string m_conninfo;
    pg::Connection m_connection;
    PgSource m_source;
    crypto::BoxPublicKey m_public_key{};
};

} // namespace dockscan::agent::central
