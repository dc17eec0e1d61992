#include "tests/ios_sim/manifest_db.hpp"

#include <fstream>
#include <memory>
#include <sqlite3.h>
#include <sstream>

namespace dockscan::testing::ios_sim {
namespace {

struct CloseDb {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct Finalize {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};

} // namespace

std::optional<std::string> make_manifest_db(const std::vector<ManifestEntry>& entries,
                                            const std::filesystem::path& scratch) {
    std::error_code ignored;
    std::filesystem::remove(scratch, ignored);
    {
        sqlite3* raw = nullptr;
        const int opened = sqlite3_open(scratch.c_str(), &raw);
        std::unique_ptr<sqlite3, CloseDb> db(raw);
        if (opened != SQLITE_OK) {
            return std::nullopt;
        }
        // The schema iOS writes (the reader looks at Files only).
        const char* schema =
            "CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, "
            "flags INTEGER, file BLOB);"
            "CREATE INDEX FilesDomainIdx ON Files(domain);"
            "CREATE INDEX FilesRelativePathIdx ON Files(relativePath);"
            "CREATE INDEX FilesFlagsIdx ON Files(flags);"
            "CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB);"
            "BEGIN;";
        if (sqlite3_exec(db.get(), schema, nullptr, nullptr, nullptr) != SQLITE_OK) {
            return std::nullopt;
        }
        sqlite3_stmt* raw_statement = nullptr;
        if (sqlite3_prepare_v2(db.get(),
                               "INSERT INTO Files (fileID, domain, relativePath, flags, file) "
                               "VALUES (?1, ?2, ?3, ?4, NULL)",
                               -1, &raw_statement, nullptr) != SQLITE_OK) {
            return std::nullopt;
        }
        std::unique_ptr<sqlite3_stmt, Finalize> insert(raw_statement);
        for (const ManifestEntry& entry : entries) {
            sqlite3_bind_text(insert.get(), 1, entry.file_id.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(insert.get(), 2, entry.domain.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(insert.get(), 3, entry.relative_path.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_int(insert.get(), 4, entry.flags);
            if (sqlite3_step(insert.get()) != SQLITE_DONE) {
                return std::nullopt;
            }
            sqlite3_reset(insert.get());
        }
        insert.reset();
        if (sqlite3_exec(db.get(), "COMMIT;", nullptr, nullptr, nullptr) != SQLITE_OK) {
            return std::nullopt;
        }
    }
    std::ifstream in(scratch, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    std::filesystem::remove(scratch, ignored);
    return bytes.str();
}

} // namespace dockscan::testing::ios_sim
