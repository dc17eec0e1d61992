#pragma once

// The one seam to SQLite (as provided by SQLCipher, which also reads plain SQLite
// files such as a phone's sms.db). Only sqlite.cpp includes the vendor header; the
// store and the phone-database readers see these types.

#include "base/expected.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace dockscan::base::sqlite {

enum class ErrorCode {
    cannot_open,    // missing file, missing folder, permission
    not_a_database, // wrong key, or the file is not SQLite / not SQLCipher
    corrupt,        // damaged or truncated database
    busy,           // locked by another connection
    constraint,     // a constraint failed
    io,             // disk I/O error, disk full
    misuse,         // a bug: bad SQL, wrong column index
    other,
};

[[nodiscard]] std::string_view to_string(ErrorCode code);

using Error = base::Error<ErrorCode>;
template <typename T>
using Expected = base::Expected<T, ErrorCode>;

enum class Access {
    read_only_immutable, // a file from a phone: never written, no -wal/-shm created
    read_write,          // must exist
    create,              // created when missing
};

class Statement;

class Database {
public:
    // Opens `path`. With a `raw_key` (32 bytes) the file is a SQLCipher database and
    // the key is checked at once (ErrorCode::not_a_database when wrong); without one
    // it is a plain SQLite file.
    [[nodiscard]] static Expected<Database>
    open(const std::filesystem::path& path, Access access,
         std::optional<std::span<const std::uint8_t>> raw_key = std::nullopt);

    Database(Database&&) noexcept;
    Database& operator=(Database&&) noexcept;
    ~Database();

    // Runs one or more statements without results.
    [[nodiscard]] Expected<void> exec(std::string_view sql);
    [[nodiscard]] Expected<Statement> prepare(std::string_view sql);

    [[nodiscard]] std::int64_t last_insert_rowid() const;
    [[nodiscard]] int changes() const;

    // True when a table of that name exists (for readers of foreign schemas).
    [[nodiscard]] Expected<bool> has_table(std::string_view table);
    // True when the table has a column of that name.
    [[nodiscard]] Expected<bool> has_column(std::string_view table, std::string_view column);

private:
    struct Impl;
    explicit Database(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
    friend class Statement;
};

class Statement {
public:
    Statement(Statement&&) noexcept;
    Statement& operator=(Statement&&) noexcept;
    ~Statement();

    // Parameters are 1-based, as in SQLite.
    void bind(int index, std::int64_t value);
    void bind(int index, double value);
    void bind_text(int index, std::string_view value);
    void bind_blob(int index, std::string_view bytes);
    void bind_null(int index);

    // Advances to the next row: true when there is one, false when done.
    [[nodiscard]] Expected<bool> step();
    // Resets the statement (and its bindings) for another run.
    void reset();

    // Columns are 0-based. Text and blob columns come back as byte strings.
    [[nodiscard]] int column_count() const;
    [[nodiscard]] bool is_null(int column) const;
    [[nodiscard]] std::int64_t column_int(int column) const;
    [[nodiscard]] double column_double(int column) const;
    [[nodiscard]] std::string column_text(int column) const;
    [[nodiscard]] std::string column_blob(int column) const;

private:
    struct Impl;
    explicit Statement(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
    friend class Database;
};

} // namespace dockscan::base::sqlite
