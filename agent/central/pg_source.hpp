#pragma once

// The central PostgreSQL as a source of the shared report and review queries
// (agent/store/sql_source.hpp), on a connection as the review role.

#include "agent/central/pg_seam.hpp"
#include "agent/store/sodium_seam.hpp"
#include "agent/store/sql_source.hpp"

#include <string>
#include <unordered_map>

namespace dockscan::agent::central {

class PgSource final : public sql::Source {
public:
    explicit PgSource(pg::Connection& connection) : m_connection(connection) {}
    PgSource(const PgSource&) = delete;
    PgSource& operator=(const PgSource&) = delete;
    ~PgSource() override;

    // Lets Row::sealed open the stations' evidence with the review server's secret key
    // (held in memory until this source ends). Without it, sealed columns read empty.
    void set_review_key(const crypto::BoxSecretKey& secret_key);
    [[nodiscard]] sql::Dialect dialect() const override { return sql::Dialect::postgresql; }
    using Source::each_row;
    [[nodiscard]] Expected<void> each_row(std::string_view sql,
                                          std::span<const std::string_view> params,
                                          const std::function<void(const sql::Row&)>& row,
                                          std::string_view context) override;

    // A row's key ("station/local id", from {key:}) as one number: the station's number
    // (stations.number, which never changes) times 2^40, plus the local id: the same
    // number in every query and after a restart, and the one {is:} reads. 0 for a
    // station the database does not know.
    [[nodiscard]] std::int64_t key(std::string_view text);
    // The plain bytes of a sealed column's text form (bytea's "\x..."), or empty.
    [[nodiscard]] std::string open(std::string_view bytea) const;

private:
    pg::Connection& m_connection;
    std::unordered_map<std::string, std::int64_t> m_stations;
    bool m_has_key = false;
    crypto::BoxPublicKey m_public_key{};
    crypto::BoxSecretKey m_secret_key{};
};

} // namespace dockscan::agent::central
