#pragma once

// The central PostgreSQL as a source of the shared report and review queries
// (agent/store/sql_source.hpp), on a connection as the review role.

#include "agent/central/pg_seam.hpp"
#include "agent/store/sql_source.hpp"

namespace dockscan::agent::central {

class PgSource final : public sql::Source {
public:
    explicit PgSource(pg::Connection& connection) : m_connection(connection) {}
    [[nodiscard]] sql::Dialect dialect() const override { return sql::Dialect::postgresql; }
    [[nodiscard]] Expected<void> each_row(std::string_view sql,
                                          std::initializer_list<std::string_view> params,
                                          const std::function<void(const sql::Row&)>& row,
                                          std::string_view context) override;

private:
    pg::Connection& m_connection;
};

} // namespace dockscan::agent::central
