#include "agent/central/pg_seam.hpp"

#include "base/owned.hpp"
#include "base/text.hpp"

#include <charconv>
#include <libpq-fe.h>

namespace dockscan::agent::pg {

namespace {

using Conn = base::Owned<PGconn, PQfinish>;
using Result = base::Owned<PGresult, PQclear>;

// libpq's messages end with a newline and may run over several lines; one line reads
// better in a log and on stderr.
std::string one_line(const char* message) {
    std::string text = message == nullptr ? "" : message;
    for (char& c : text) {
        if (c == '\n' || c == '\r') {
            c = ' ';
        }
    }
    while (!text.empty() && text.back() == ' ') {
        text.pop_back();
    }
    return text;
}

// A statement that failed on a connection that is still up is the SQL's fault (or the
// database refused it: a row-level security policy, a constraint); on a broken
// connection it is the server's absence, which the sender waits out.
Error result_error(PGconn* conn, PGresult* result) {
    const bool broken = PQstatus(conn) != CONNECTION_OK;
    std::string message =
        one_line(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn));
    if (message.empty()) {
        message = one_line(PQerrorMessage(conn));
    }
    return Error{broken ? ErrorCode::central_unavailable : ErrorCode::central_refused,
                 "central database: " + message};
}

} // namespace

struct Connection::Impl {
    Conn conn;
};

Connection::Connection(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&&) noexcept = default;
Connection::~Connection() = default;

Expected<Connection> Connection::connect(const std::string& conninfo) {
    Conn conn(PQconnectdb(conninfo.c_str()));
    if (!conn) {
        return fail(ErrorCode::central_unavailable, "central database: out of memory");
    }
    if (PQstatus(conn.get()) != CONNECTION_OK) {
        return fail(ErrorCode::central_unavailable, "cannot connect to the central database: " +
                                                        one_line(PQerrorMessage(conn.get())));
    }
    // Our messages name rows by their ids, not by their contents, but a notice could
    // carry a row's values: none reach stderr.
    PQsetNoticeProcessor(
        conn.get(), [](void*, const char*) {}, nullptr);
    auto impl = std::make_unique<Impl>();
    impl->conn = std::move(conn);
    return Connection(std::move(impl));
}

Expected<void> Connection::exec(std::string_view sql) {
    const std::string text(sql);
    Result result(PQexec(m_impl->conn.get(), text.c_str()));
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        return tl::unexpected(result_error(m_impl->conn.get(), result.get()));
    }
    return {};
}

Expected<Rows> Connection::query(const std::string& sql, const std::vector<Param>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const Param& param : params) {
        values.push_back(param ? param->c_str() : nullptr);
    }
    Result result(PQexecParams(m_impl->conn.get(), sql.c_str(), static_cast<int>(values.size()),
                               nullptr, values.data(), nullptr, nullptr, 0));
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        return tl::unexpected(result_error(m_impl->conn.get(), result.get()));
    }
    Rows rows;
    const int fields = PQnfields(result.get());
    for (int c = 0; c < fields; ++c) {
        rows.columns.emplace_back(PQfname(result.get(), c));
    }
    const int tuples = PQntuples(result.get());
    rows.rows.reserve(static_cast<std::size_t>(tuples));
    for (int r = 0; r < tuples; ++r) {
        std::vector<std::optional<std::string>> row;
        row.reserve(static_cast<std::size_t>(fields));
        for (int c = 0; c < fields; ++c) {
            if (PQgetisnull(result.get(), r, c) != 0) {
                row.emplace_back(std::nullopt);
            } else {
                row.emplace_back(
                    std::string(PQgetvalue(result.get(), r, c),
                                static_cast<std::size_t>(PQgetlength(result.get(), r, c))));
            }
        }
        rows.rows.push_back(std::move(row));
    }
    const char* affected = PQcmdTuples(result.get());
    if (affected != nullptr && *affected != '\0') {
        rows.affected = std::stoll(affected);
    }
    return rows;
}

bool Connection::alive() const {
    return PQstatus(m_impl->conn.get()) == CONNECTION_OK;
}

std::string bytea(std::string_view bytes) {
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string text = "\\x";
    text.reserve(2 + bytes.size() * 2);
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        text.push_back(k_hex[b >> 4]);
        text.push_back(k_hex[b & 0xf]);
    }
    return text;
}

std::optional<std::string> from_bytea(std::string_view text) {
    if (text.size() < 2 || text.substr(0, 2) != "\\x" || text.size() % 2 != 0) {
        return std::nullopt;
    }
    std::string bytes;
    bytes.reserve((text.size() - 2) / 2);
    for (std::size_t i = 2; i < text.size(); i += 2) {
        const int hi = base::hex_digit_value(text[i]);
        const int lo = base::hex_digit_value(text[i + 1]);
        if (hi < 0 || lo < 0) {
            return std::nullopt;
        }
        bytes.push_back(static_cast<char>(hi * 16 + lo));
    }
    return bytes;
}

std::string quote_identifier(std::string_view name) {
    std::string quoted = "\"";
    for (const char c : name) {
        if (c == '"') {
            quoted.push_back('"');
        }
        quoted.push_back(c);
    }
    quoted.push_back('"');
    return quoted;
}

std::int64_t int64_of(std::string_view text) {
    std::int64_t number = 0;
    (void)std::from_chars(text.data(), text.data() + text.size(), number);
    return number;
}

std::int64_t int64_of(const std::optional<std::string>& text) {
    return text ? int64_of(std::string_view(*text)) : 0;
}

} // namespace dockscan::agent::pg
