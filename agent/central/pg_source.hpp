#pragma once

// The central PostgreSQL as a source of the shared report and review queries
// (agent/store/sql_source.hpp), on a connection as the review role.

#include "agent/central/pg_seam.hpp"
#include "agent/store/sql_source.hpp"

#include <string>
#include <unordered_map>

namespace dockscan::agent::central {

class PgSource final : public sql::Source {
public:
    explicit PgSource(pg::Connection& connection) : m_connection(connection) {}
    [[nodiscard]] sql::Dialect dialect() const override { return sql::Dialect::postgresql; }
    [[nodiscard]] Expected<void> each_row(std::string_view sql,
                                          std::initializer_list<std::string_view> params,
                                          const std::function<void(const sql::Row&)>& row,
                                          std::string_view context) override;

    // A row's key ("station/local id", from {key:}) as one number: the station's number
    // (in the order this source first saw it) times 2^40, plus the local id. The same
    // row has the same number in every query of this source.
    [[nodiscard]] std::int64_t key(std::string_view text);

private:
    pg::Connection& m_connection;
    std::unordered_map<std::string, std::int64_t> m_stations;
};

} // namespace dockscan::agent::central
