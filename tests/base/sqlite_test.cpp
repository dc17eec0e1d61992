#include "base/sqlite.hpp"
#include "tests/support/temp_dir.hpp"

#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace sqlite = dockscan::base::sqlite;
using dockscan::testing::read_file;
using dockscan::testing::TempDir;
using dockscan::testing::write_file;

namespace {

using Key = std::array<std::uint8_t, 32>;

Key make_key(std::uint8_t seed) {
    Key key{};
    for (std::size_t i = 0; i < key.size(); ++i) {
        key[i] = static_cast<std::uint8_t>(seed + i * 7);
    }
    return key;
}

std::string random_bytes(std::size_t size, unsigned seed) {
    std::mt19937 gen(seed);
    std::uniform_int_distribution<int> dist(0, 255);
    std::string out(size, '\0');
    for (auto& c : out) {
        c = static_cast<char>(dist(gen));
    }
    return out;
}

sqlite::Database open_ok(const std::filesystem::path& path, sqlite::Access access,
                         std::optional<std::span<const std::uint8_t>> key = std::nullopt) {
    auto db = sqlite::Database::open(path, access, key);
    if (!db) {
        FAIL("open failed: " << db.error().message);
    }
    return std::move(*db);
}

void exec_ok(sqlite::Database& db, std::string_view sql) {
    auto result = db.exec(sql);
    if (!result) {
        FAIL("exec failed: " << result.error().message);
    }
}

// Writes a small table of messages the way a phone database would hold them.
void write_messages(sqlite::Database& db) {
    exec_ok(db, "CREATE TABLE message (ROWID INTEGER PRIMARY KEY, text TEXT, "
                "attributedBody BLOB, date INTEGER, score REAL)");
    auto insert = db.prepare("INSERT INTO message (text, attributedBody, date, score) "
                             "VALUES (?1, ?2, ?3, ?4)");
    REQUIRE(insert);
    insert->bind_text(1, "Hej! Åsa är född 850709-9805");
    insert->bind_blob(2, std::string("\x00\x01streamtyped\xff", 15));
    insert->bind(3, std::int64_t{721'000'000});
    insert->bind(4, 0.75);
    REQUIRE(insert->step() == false);
    insert->reset();
    insert->bind_text(1, "");
    insert->bind_null(2);
    insert->bind(3, std::int64_t{-1});
    insert->bind(4, -2.5);
    REQUIRE(insert->step() == false);
}

void check_messages(sqlite::Database& db) {
    auto select =
        db.prepare("SELECT text, attributedBody, date, score FROM message ORDER BY ROWID");
    REQUIRE(select);
    REQUIRE(select->column_count() == 4);
    REQUIRE(select->step() == true);
    CHECK(select->column_text(0) == "Hej! Åsa är född 850709-9805");
    CHECK(select->column_blob(1) == std::string("\x00\x01streamtyped\xff", 15));
    CHECK(select->column_int(2) == 721'000'000);
    CHECK(select->column_double(3) == 0.75);
    REQUIRE(select->step() == true);
    CHECK(select->column_text(0).empty());
    CHECK_FALSE(select->is_null(0)); // an empty string stays an empty string, not NULL
    CHECK(select->is_null(1));
    CHECK(select->column_int(2) == -1);
    CHECK(select->column_double(3) == -2.5);
    REQUIRE(select->step() == false);
}

bool starts_with_sqlite_header(const std::filesystem::path& path) {
    return read_file(path).rfind("SQLite format 3", 0) == 0;
}

} // namespace

TEST_CASE("a plain database keeps text, blobs, integers, reals and NULL") {
    TempDir dir;
    const auto path = dir / "plain.db";
    {
        auto db = open_ok(path, sqlite::Access::create);
        write_messages(db);
        CHECK(db.last_insert_rowid() == 2);
        CHECK(db.changes() == 1);
    }
    auto db = open_ok(path, sqlite::Access::read_write);
    check_messages(db);
    CHECK(starts_with_sqlite_header(path));
}

TEST_CASE("a keyed database round-trips and is encrypted on disk") {
    TempDir dir;
    const auto path = dir / "store.db";
    const Key key = make_key(1);
    {
        auto db = open_ok(path, sqlite::Access::create, key);
        write_messages(db);
    }
    auto db = open_ok(path, sqlite::Access::read_write, key);
    check_messages(db);
    const std::string bytes = read_file(path);
    CHECK_FALSE(starts_with_sqlite_header(path));
    CHECK(bytes.find("850709-9805") == std::string::npos);
    CHECK(bytes.find("streamtyped") == std::string::npos);
}

TEST_CASE("a keyed database refuses a wrong key and a missing key") {
    TempDir dir;
    const auto path = dir / "store.db";
    const Key key = make_key(1);
    {
        auto db = open_ok(path, sqlite::Access::create, key);
        exec_ok(db, "CREATE TABLE t (x)");
    }
    const Key other = make_key(2);
    auto wrong = sqlite::Database::open(path, sqlite::Access::read_write, other);
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == sqlite::ErrorCode::not_a_database);
    // Neither key appears in what the caller may log.
    for (const Key& k : {key, other}) {
        std::string hex;
        for (const auto b : k) {
            hex += "0123456789abcdef"[b >> 4];
            hex += "0123456789abcdef"[b & 0x0f];
        }
        CHECK(wrong.error().message.find(hex) == std::string::npos);
    }

    auto unkeyed = sqlite::Database::open(path, sqlite::Access::read_write);
    REQUIRE_FALSE(unkeyed);
    CHECK(unkeyed.error().code == sqlite::ErrorCode::not_a_database);
}

TEST_CASE("a file that is not SQLite is not_a_database, with or without a key") {
    TempDir dir;
    const auto [name, content] = GENERATE(table<const char*, std::string>({
        {"random 4 KiB", random_bytes(4096, 7)},
        {"random 100 bytes", random_bytes(100, 8)},
        {"a JPEG's start",
         std::string("\xff\xd8\xff\xe0\x00\x10JFIF\x00", 11) + random_bytes(2000, 9)},
        {"text", std::string(2048, 'a')},
    }));
    const bool keyed = GENERATE(false, true);
    INFO(name << (keyed ? " with a key" : " without a key"));
    const auto path = dir / "not.db";
    write_file(path, content);
    const Key key = make_key(3);
    auto db = keyed ? sqlite::Database::open(path, sqlite::Access::read_write, key)
                    : sqlite::Database::open(path, sqlite::Access::read_write);
    REQUIRE_FALSE(db);
    CHECK(db.error().code == sqlite::ErrorCode::not_a_database);
    CHECK(read_file(path) == content); // a failed open leaves the file as it was
}

TEST_CASE("a plain SQLite file opened with a key is not_a_database") {
    TempDir dir;
    const auto path = dir / "plain.db";
    {
        auto db = open_ok(path, sqlite::Access::create);
        write_messages(db);
    }
    const Key key = make_key(4);
    auto db = sqlite::Database::open(path, sqlite::Access::read_write, key);
    REQUIRE_FALSE(db);
    CHECK(db.error().code == sqlite::ErrorCode::not_a_database);
}

namespace {

// A phone database of 1 KiB pages: the schema on page 1, the rows and an index after.
std::string make_message_db(const TempDir& dir) {
    const auto full = dir / "full.db";
    {
        auto db = open_ok(full, sqlite::Access::create);
        exec_ok(db, "PRAGMA page_size = 1024");
        exec_ok(db, "CREATE TABLE message (ROWID INTEGER PRIMARY KEY, text TEXT)");
        exec_ok(db, "CREATE INDEX message_text ON message (text)");
        auto insert = db.prepare("INSERT INTO message (text) VALUES (?1)");
        REQUIRE(insert);
        for (int i = 0; i < 400; ++i) {
            insert->bind_text(1, "meddelande nummer " + std::to_string(i) + std::string(40, 'x'));
            REQUIRE(insert->step() == false);
            insert->reset();
        }
    }
    std::string bytes = read_file(full);
    REQUIRE(bytes.size() > 20 * 1024);
    return bytes;
}

} // namespace

TEST_CASE("a truncated database is corrupt when opened, not a crash") {
    TempDir dir;
    const std::string bytes = make_message_db(dir);
    const std::size_t keep = GENERATE(std::size_t{50}, std::size_t{1024 + 100},
                                      std::size_t{3 * 1024}, std::size_t{10 * 1024});
    INFO("kept " << keep << " of " << bytes.size() << " bytes");
    const auto path = dir / "truncated.db";
    write_file(path, bytes.substr(0, keep));
    const auto access = GENERATE(sqlite::Access::read_only_immutable, sqlite::Access::read_write);
    auto db = sqlite::Database::open(path, access);
    REQUIRE_FALSE(db);
    CHECK(db.error().code == sqlite::ErrorCode::corrupt);
}

TEST_CASE("a damaged page is corrupt when it is read, not a crash") {
    TempDir dir;
    std::string bytes = make_message_db(dir);
    // Pages 3 to 8 are the table's and the index's b-tree pages; page 1 stays intact.
    for (std::size_t i = 2 * 1024; i < 8 * 1024; ++i) {
        bytes[i] = static_cast<char>(0xa5 ^ (i & 0x3f));
    }
    const auto path = dir / "damaged.db";
    write_file(path, bytes);
    auto db = sqlite::Database::open(path, sqlite::Access::read_only_immutable);
    REQUIRE(db);
    CHECK(db->has_table("message").value());
    auto select = db->prepare("SELECT count(*), max(length(text)) FROM message");
    REQUIRE(select);
    auto row = select->step();
    REQUIRE_FALSE(row);
    CHECK(row.error().code == sqlite::ErrorCode::corrupt);
}

TEST_CASE("an immutable open never writes: no -wal, -shm or -journal, writes refused") {
    TempDir dir;
    // A file name with URI syntax in it must still name the file.
    const auto name =
        GENERATE(std::string("sms.db"), std::string("sms ?#%&=.db"), std::string("Åsa's sms.db"));
    const auto path = dir / name;
    {
        auto db = open_ok(path, sqlite::Access::create);
        // Phones keep sms.db in WAL mode; without immutable=1 a read-only open of a
        // WAL database would create -shm beside it.
        exec_ok(db, "PRAGMA journal_mode = WAL");
        write_messages(db);
    }
    std::filesystem::remove(path.string() + "-wal");
    std::filesystem::remove(path.string() + "-shm");
    const std::string before = read_file(path);
    {
        auto db = open_ok(path, sqlite::Access::read_only_immutable);
        check_messages(db);
        CHECK(db.has_table("message").value());
        auto write = db.exec("INSERT INTO message (text) VALUES ('x')");
        REQUIRE_FALSE(write);
        CHECK(write.error().code == sqlite::ErrorCode::io);
        CHECK_FALSE(db.exec("CREATE TABLE t (x)"));
    }
    for (const char* suffix : {"-wal", "-shm", "-journal"}) {
        INFO(suffix);
        CHECK_FALSE(std::filesystem::exists(path.string() + suffix));
    }
    CHECK(read_file(path) == before);
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path()),
                        std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("a missing file or folder is cannot_open") {
    TempDir dir;
    const auto [access, path] = GENERATE_REF(table<sqlite::Access, std::filesystem::path>({
        {sqlite::Access::create, dir / "no-such-folder" / "store.db"},
        {sqlite::Access::read_write, dir / "no-such-folder" / "store.db"},
        {sqlite::Access::read_only_immutable, dir / "no-such-folder" / "sms.db"},
        {sqlite::Access::read_write, dir / "missing.db"},
        {sqlite::Access::read_only_immutable, dir / "missing.db"},
    }));
    INFO(path.string());
    auto db = sqlite::Database::open(path, access);
    REQUIRE_FALSE(db);
    CHECK(db.error().code == sqlite::ErrorCode::cannot_open);
    CHECK(db.error().message.find(path.string()) != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE("has_table and has_column read a foreign schema") {
    TempDir dir;
    auto db = open_ok(dir / "sms.db", sqlite::Access::create);
    exec_ok(db, "CREATE TABLE message (ROWID INTEGER PRIMARY KEY, text TEXT, "
                "attributedBody BLOB)");
    exec_ok(db, "CREATE TABLE \"odd\"\"name\" (\"col\"\"umn\" TEXT)");
    exec_ok(db, "CREATE VIEW recent AS SELECT text FROM message");
    const auto [table_name, column, table_exists, column_exists] =
        GENERATE(table<std::string, std::string, bool, bool>({
            {"message", "text", true, true},
            {"message", "attributedBody", true, true},
            {"message", "date", true, false},
            {"recent", "text", true, true},
            {"odd\"name", "col\"umn", true, true},
            {"handle", "id", false, false},
            {"message\") ; DROP TABLE message; --", "text", false, false},
        }));
    INFO(table_name << "." << column);
    CHECK(db.has_table(table_name).value() == table_exists);
    CHECK(db.has_column(table_name, column).value() == column_exists);
    CHECK(db.has_table("message").value()); // nothing was dropped
}

TEST_CASE("errors are translated to our codes") {
    TempDir dir;
    auto db = open_ok(dir / "t.db", sqlite::Access::create);
    exec_ok(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");

    SECTION("bad SQL is misuse") {
        auto stmt = db.prepare("SELEKT 1");
        REQUIRE_FALSE(stmt);
        CHECK(stmt.error().code == sqlite::ErrorCode::misuse);
        CHECK(stmt.error().message.find("syntax error") != std::string::npos);
    }
    SECTION("two statements in one prepare are misuse") {
        auto stmt = db.prepare("SELECT 1; SELECT 2");
        REQUIRE_FALSE(stmt);
        CHECK(stmt.error().code == sqlite::ErrorCode::misuse);
        CHECK(db.prepare("SELECT 1;  \n").has_value());
    }
    SECTION("a bind to a parameter that does not exist fails the step") {
        auto stmt = db.prepare("INSERT INTO t (name) VALUES (?1)");
        REQUIRE(stmt);
        stmt->bind_text(1, "a");
        stmt->bind_text(2, "b");
        auto step = stmt->step();
        REQUIRE_FALSE(step);
        CHECK(step.error().code == sqlite::ErrorCode::misuse);
        stmt->reset();
        stmt->bind_text(1, "a");
        CHECK(stmt->step().has_value());
    }
    SECTION("a UNIQUE violation is constraint") {
        exec_ok(db, "INSERT INTO t (name) VALUES ('a')");
        auto again = db.exec("INSERT INTO t (name) VALUES ('a')");
        REQUIRE_FALSE(again);
        CHECK(again.error().code == sqlite::ErrorCode::constraint);
    }
}

TEST_CASE("every error code has its own name") {
    const auto code =
        GENERATE(sqlite::ErrorCode::cannot_open, sqlite::ErrorCode::not_a_database,
                 sqlite::ErrorCode::corrupt, sqlite::ErrorCode::busy, sqlite::ErrorCode::constraint,
                 sqlite::ErrorCode::io, sqlite::ErrorCode::misuse, sqlite::ErrorCode::other);
    const std::vector<std::string_view> names = {
        "cannot_open", "not_a_database", "corrupt", "busy", "constraint", "io", "misuse", "other"};
    CHECK(names.at(static_cast<std::size_t>(code)) == sqlite::to_string(code));
}
