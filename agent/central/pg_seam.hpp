#pragma once

// The one seam to PostgreSQL's client library (libpq): pg_seam.cpp is the only file
// that includes it. Everything else sees a connection that runs SQL with text
// parameters and gives rows of text.

#include "agent/error.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::agent::pg {

// A parameter: text in PostgreSQL's input syntax, or SQL NULL.
using Param = std::optional<std::string>;

// The rows of one statement, as text (NULL as nothing).
struct Rows {
    std::vector<std::string> columns;
    std::vector<std::vector<std::optional<std::string>>> rows;
    std::int64_t affected = 0; // rows inserted, updated or deleted
};

class Connection {
public:
    // Connects with a libpq connection string ("host=... dbname=... sslmode=...").
    // ErrorCode::central_unavailable when the server cannot be reached or refuses us.
    [[nodiscard]] static Expected<Connection> connect(const std::string& conninfo);

    Connection(Connection&&) noexcept;
    Connection& operator=(Connection&&) noexcept;
    ~Connection();

    // Runs one or more statements without parameters.
    [[nodiscard]] Expected<void> exec(std::string_view sql);
    // Runs one statement with $1.. parameters.
    [[nodiscard]] Expected<Rows> query(const std::string& sql,
                                       const std::vector<Param>& params = {});
    // False once the connection broke (the server went away).
    [[nodiscard]] bool alive() const;

private:
    struct Impl;
    explicit Connection(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// Runs `change` (returning an Expected) in one transaction on `conn`: committed when it
// succeeds, rolled back when not.
template <typename Change>
auto in_transaction(Connection& conn, Change&& change) -> decltype(change()) {
    if (auto begun = conn.exec("BEGIN"); !begun) {
        return tl::unexpected(begun.error());
    }
    auto done = change();
    if (!done) {
        (void)conn.exec("ROLLBACK");
        return done;
    }
    if (auto committed = conn.exec("COMMIT"); !committed) {
        return tl::unexpected(committed.error());
    }
    return done;
}

// A whole number in a result's text (a count, an id); 0 for NULL or anything else.
[[nodiscard]] std::int64_t int64_of(std::string_view text);
[[nodiscard]] std::int64_t int64_of(const std::optional<std::string>& text);

// Bytes as PostgreSQL's bytea input ("\x" and hex).
[[nodiscard]] std::string bytea(std::string_view bytes);
// PostgreSQL's bytea output ("\x" and hex) as bytes; nothing when malformed.
[[nodiscard]] std::optional<std::string> from_bytea(std::string_view text);

// Quotes an identifier (a role name) for SQL.
[[nodiscard]] std::string quote_identifier(std::string_view name);

} // namespace dockscan::agent::pg
