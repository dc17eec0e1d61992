#include "base/sqlite.hpp"

#include "base/owned.hpp"

#include <array>
#include <cstring>
#include <limits>
#include <string.h> // explicit_bzero
#include <system_error>

// sqlite3_key_v2 is declared only for codec builds; SQLCipher is one.
#define SQLITE_HAS_CODEC 1
#include <sqlite3.h>

namespace dockscan::base::sqlite {

namespace {

// close_v2 defers the close until the last statement is finalized, so the order in which
// a Database and its Statements are destroyed does not matter.
using DatabaseHandle = Owned<sqlite3, sqlite3_close_v2>;
using StatementHandle = Owned<sqlite3_stmt, sqlite3_finalize>;

// Busy waits longer than this are a stuck writer, not contention worth waiting for.
constexpr int k_busy_timeout_ms = 5000;

// The one translation of SQLite result codes into ours.
ErrorCode map_code(int rc) {
    switch (rc & 0xff) {
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return ErrorCode::cannot_open;
    case SQLITE_NOTADB:
        return ErrorCode::not_a_database;
    case SQLITE_CORRUPT:
    case SQLITE_FORMAT:
        return ErrorCode::corrupt;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ErrorCode::busy;
    case SQLITE_CONSTRAINT:
        return ErrorCode::constraint;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_NOLFS:
        return ErrorCode::io;
    case SQLITE_ERROR:
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
        return ErrorCode::misuse;
    default:
        return ErrorCode::other;
    }
}

tl::unexpected<Error> error_from(sqlite3* db, int rc, std::string_view context) {
    std::string message(context);
    message += ": ";
    // The connection's message is more specific ("no such table: x") than the code's.
    message += (db != nullptr && (sqlite3_errcode(db) & 0xff) == (rc & 0xff)) ? sqlite3_errmsg(db)
                                                                              : sqlite3_errstr(rc);
    return fail(map_code(rc), std::move(message));
}

bool is_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == '/';
}

// A `file:` URI for `path`: '?', '#' and '%' in a file name would otherwise be read
// as URI syntax, so everything but unreserved characters is percent-encoded.
std::string file_uri(const std::filesystem::path& path, Access access) {
    std::error_code ec;
    std::filesystem::path absolute = std::filesystem::absolute(path, ec);
    if (ec) {
        absolute = path;
    }
    static constexpr std::string_view k_hex = "0123456789ABCDEF";
    std::string uri = "file:";
    for (const char ch : absolute.string()) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_unreserved(c)) {
            uri += ch;
        } else {
            uri += '%';
            uri += k_hex[c >> 4];
            uri += k_hex[c & 0x0f];
        }
    }
    if (access == Access::read_only_immutable) {
        // immutable=1: SQLite takes no locks and never creates -wal, -shm or -journal
        // files, so a phone's database is read exactly as it was copied.
        uri += "?immutable=1";
    }
    return uri;
}

int open_flags(Access access) {
    const int common = SQLITE_OPEN_URI;
    switch (access) {
    case Access::read_only_immutable:
        return common | SQLITE_OPEN_READONLY;
    case Access::read_write:
        return common | SQLITE_OPEN_READWRITE;
    case Access::create:
        return common | SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    }
    return common | SQLITE_OPEN_READONLY;
}

// Applies a raw 256-bit key. SQLCipher takes a raw key as the text x'<64 hex>', which
// skips its passphrase KDF. sqlite3_key_v2 is what `PRAGMA key` calls; calling it
// directly keeps the key out of SQL text that the parser would copy around.
int apply_key(sqlite3* db, std::span<const std::uint8_t> raw_key) {
    static constexpr std::string_view k_hex = "0123456789abcdef";
    std::array<char, 3 + 64 + 1> text{};
    std::size_t n = 0;
    text[n++] = 'x';
    text[n++] = '\'';
    for (const std::uint8_t byte : raw_key) {
        text[n++] = k_hex[byte >> 4];
        text[n++] = k_hex[byte & 0x0f];
    }
    text[n++] = '\'';
    const int rc = sqlite3_key_v2(db, "main", text.data(), static_cast<int>(n));
    explicit_bzero(text.data(), text.size());
    return rc;
}

} // namespace

std::string_view to_string(ErrorCode code) {
    switch (code) {
    case ErrorCode::cannot_open:
        return "cannot_open";
    case ErrorCode::not_a_database:
        return "not_a_database";
    case ErrorCode::corrupt:
        return "corrupt";
    case ErrorCode::busy:
        return "busy";
    case ErrorCode::constraint:
        return "constraint";
    case ErrorCode::io:
        return "io";
    case ErrorCode::misuse:
        return "misuse";
    case ErrorCode::other:
        return "other";
    }
    return "unknown";
}

struct Database::Impl {
    DatabaseHandle db;
};

struct Statement::Impl {
    StatementHandle stmt;
    sqlite3* db; // for error messages; close_v2 keeps it valid while this statement lives
    int bind_error = SQLITE_OK;
    int bind_error_index = 0;

    void check_bind(int rc, int index) {
        if (rc != SQLITE_OK && bind_error == SQLITE_OK) {
            bind_error = rc;
            bind_error_index = index;
        }
    }
};

Expected<Database> Database::open(const std::filesystem::path& path, Access access,
                                  std::optional<std::span<const std::uint8_t>> raw_key) {
    const std::string context = "cannot open " + path.string();
    if (raw_key && raw_key->size() != 32) {
        return fail(ErrorCode::misuse, context + ": a raw key must be 32 bytes");
    }
    sqlite3* raw = nullptr;
    const int rc =
        sqlite3_open_v2(file_uri(path, access).c_str(), &raw, open_flags(access), nullptr);
    // SQLite allocates a handle even when opening fails; it must be closed either way.
    DatabaseHandle db(raw);
    if (rc != SQLITE_OK) {
        return error_from(db.get(), rc, context);
    }
    sqlite3_extended_result_codes(db.get(), 1);
    sqlite3_busy_timeout(db.get(), k_busy_timeout_ms);
    if (raw_key) {
        if (const int key_rc = apply_key(db.get(), *raw_key); key_rc != SQLITE_OK) {
            return error_from(db.get(), key_rc, context);
        }
    }
    // Opening is lazy: reading the schema is what shows a wrong key, a file that is not
    // SQLite at all, or a damaged first page.
    const int check_rc =
        sqlite3_exec(db.get(), "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    if (check_rc != SQLITE_OK) {
        return error_from(db.get(), check_rc, context);
    }
    return Database(std::make_unique<Impl>(Impl{std::move(db)}));
}

Database::Database(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database() = default;

Expected<void> Database::exec(std::string_view sql) {
    const std::string text(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(m_impl->db.get(), text.c_str(), nullptr, nullptr, &message);
    const std::unique_ptr<char, decltype(&sqlite3_free)> owned(message, &sqlite3_free);
    if (rc != SQLITE_OK) {
        return fail(map_code(rc),
                    std::string("exec: ") + (message != nullptr ? message : sqlite3_errstr(rc)));
    }
    return {};
}

Expected<Statement> Database::prepare(std::string_view sql) {
    if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
        return fail(ErrorCode::misuse, "prepare: statement too long");
    }
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int rc =
        sqlite3_prepare_v2(m_impl->db.get(), sql.data(), static_cast<int>(sql.size()), &raw, &tail);
    StatementHandle stmt(raw);
    if (rc != SQLITE_OK) {
        return error_from(m_impl->db.get(), rc, "prepare");
    }
    if (!stmt) {
        return fail(ErrorCode::misuse, "prepare: no statement in the SQL text");
    }
    // A second statement in the text would be silently ignored: a bug in the caller.
    for (const char* p = tail; p != nullptr && p < sql.data() + sql.size(); ++p) {
        if (std::strchr(" \t\r\n;", *p) == nullptr) {
            return fail(ErrorCode::misuse, "prepare: more than one statement in the SQL text");
        }
    }
    auto impl = std::make_unique<Statement::Impl>();
    impl->stmt = std::move(stmt);
    impl->db = m_impl->db.get();
    return Statement(std::move(impl));
}

std::int64_t Database::last_insert_rowid() const {
    return sqlite3_last_insert_rowid(m_impl->db.get());
}

int Database::changes() const {
    return sqlite3_changes(m_impl->db.get());
}

Expected<bool> Database::has_table(std::string_view table) {
    DOCKSCAN_TRY_ASSIGN(auto stmt, prepare("SELECT 1 FROM sqlite_master WHERE type IN "
                                           "('table', 'view') AND name = ?1"));
    stmt.bind_text(1, table);
    return stmt.step();
}

Expected<bool> Database::has_column(std::string_view table, std::string_view column) {
    // PRAGMA takes no parameters (and SQLite 3.15 has no pragma_table_info() function),
    // so the name is quoted as an identifier: doubled quotes cannot break out.
    std::string sql = "PRAGMA table_info(\"";
    for (const char c : table) {
        sql += c;
        if (c == '"') {
            sql += '"';
        }
    }
    sql += "\")";
    DOCKSCAN_TRY_ASSIGN(auto stmt, prepare(sql));
    while (true) {
        DOCKSCAN_TRY_ASSIGN(const bool row, stmt.step());
        if (!row) {
            return false;
        }
        // table_info columns: cid, name, type, notnull, dflt_value, pk.
        if (stmt.column_text(1) == column) {
            return true;
        }
    }
}

Statement::Statement(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Statement::Statement(Statement&&) noexcept = default;
Statement& Statement::operator=(Statement&&) noexcept = default;
Statement::~Statement() = default;

void Statement::bind(int index, std::int64_t value) {
    m_impl->check_bind(sqlite3_bind_int64(m_impl->stmt.get(), index, value), index);
}

void Statement::bind(int index, double value) {
    m_impl->check_bind(sqlite3_bind_double(m_impl->stmt.get(), index, value), index);
}

void Statement::bind_text(int index, std::string_view value) {
    // A null data pointer would bind NULL; an empty string must stay an empty string.
    const char* data = value.data() != nullptr ? value.data() : "";
    m_impl->check_bind(sqlite3_bind_text64(m_impl->stmt.get(), index, data, value.size(),
                                           SQLITE_TRANSIENT, SQLITE_UTF8),
                       index);
}

void Statement::bind_blob(int index, std::string_view bytes) {
    const char* data = bytes.data() != nullptr ? bytes.data() : "";
    m_impl->check_bind(
        sqlite3_bind_blob64(m_impl->stmt.get(), index, data, bytes.size(), SQLITE_TRANSIENT),
        index);
}

void Statement::bind_null(int index) {
    m_impl->check_bind(sqlite3_bind_null(m_impl->stmt.get(), index), index);
}

Expected<bool> Statement::step() {
    if (m_impl->bind_error != SQLITE_OK) {
        return fail(map_code(m_impl->bind_error), "bind parameter " +
                                                      std::to_string(m_impl->bind_error_index) +
                                                      ": " + sqlite3_errstr(m_impl->bind_error));
    }
    const int rc = sqlite3_step(m_impl->stmt.get());
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    return error_from(m_impl->db, rc, "step");
}

void Statement::reset() {
    sqlite3_reset(m_impl->stmt.get());
    sqlite3_clear_bindings(m_impl->stmt.get());
    m_impl->bind_error = SQLITE_OK;
    m_impl->bind_error_index = 0;
}

int Statement::column_count() const {
    return sqlite3_column_count(m_impl->stmt.get());
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(m_impl->stmt.get(), column) == SQLITE_NULL;
}

std::int64_t Statement::column_int(int column) const {
    return sqlite3_column_int64(m_impl->stmt.get(), column);
}

double Statement::column_double(int column) const {
    return sqlite3_column_double(m_impl->stmt.get(), column);
}

std::string Statement::column_text(int column) const {
    // The pointer first, then the size: the size refers to the pointer's conversion.
    const unsigned char* data = sqlite3_column_text(m_impl->stmt.get(), column);
    const int size = sqlite3_column_bytes(m_impl->stmt.get(), column);
    if (data == nullptr || size <= 0) {
        return {};
    }
    return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

std::string Statement::column_blob(int column) const {
    const void* data = sqlite3_column_blob(m_impl->stmt.get(), column);
    const int size = sqlite3_column_bytes(m_impl->stmt.get(), column);
    if (data == nullptr || size <= 0) {
        return {};
    }
    return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

} // namespace dockscan::base::sqlite
