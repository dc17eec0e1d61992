// `dockscan audit verify` and `export`: the municipality's log control must find an
// edited row, and must be able to read the log out.

#include "agent/store/store_key.hpp"
#include "base/sqlite.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <pwd.h>
#include <unistd.h>

using namespace dockscan::agent;
namespace sqlite = dockscan::base::sqlite;
using dockscan::testing::dockscan_exe;
using dockscan::testing::ProcessResult;
using dockscan::testing::run_process;
using dockscan::testing::TempDir;
using Json = nlohmann::json;

namespace {

struct AuditedStore {
    TempDir tmp;
    std::string store = (tmp / "dockscan.db").string();
    std::string key = (tmp / "store.key").string();

    AuditedStore() {
        REQUIRE(run(store, {"init"}).exit_code == 0);
        // Five audited changes: rows 1 to 5.
        for (const std::string unit : {"Hemtjänst Norr", "Hemtjänst Syd", "IFO Barn"}) {
            REQUIRE(run(store, {"units", "add", unit, "--area",
                                unit.substr(0, 3) == "IFO" ? "IFO" : "Hemtjänst"})
                        .exit_code == 0);
        }
        REQUIRE(run(store, {"phones", "add", "HT-N-1", "--unit", "Hemtjänst Norr"}).exit_code == 0);
        REQUIRE(run(store, {"phones", "move", "HT-N-1", "--unit", "Hemtjänst Syd"}).exit_code == 0);
    }

    ProcessResult run(const std::string& db, std::vector<std::string> args) const {
        args.insert(args.begin(), dockscan_exe());
        args.insert(args.end(), {"--store", db, "--key-file", key});
        return run_process(args);
    }
};

} // namespace

TEST_CASE("audit verify says ok with the number of rows") {
    AuditedStore s;
    const auto r = s.run(s.store, {"audit", "verify"});
    CHECK(r.exit_code == 0);
    CHECK(r.out == "ok: 5 rows\n");
}

TEST_CASE("audit verify names the row that was edited in a copy of the store") {
    AuditedStore s;
    const auto copy = s.tmp / "copy.db";
    std::filesystem::copy_file(s.store, copy);
    REQUIRE_FALSE(std::filesystem::exists(s.store + "-wal"));
    {
        auto key = StoreKey::from_file(s.key);
        REQUIRE(key);
        auto db = sqlite::Database::open(copy, sqlite::Access::read_write, key->bytes());
        REQUIRE(db);
        // The trigger stops honest mistakes; someone with the key and a shell drops it.
        REQUIRE(db->exec("DROP TRIGGER audit_log_no_update"));
        REQUIRE(db->exec("UPDATE audit_log SET actor = 'cli:someone-else' WHERE id = 3"));
    }
    const auto broken = s.run(copy.string(), {"audit", "verify"});
    CHECK(broken.exit_code == 1);
    CHECK(broken.out.find("broken: row 3 ") == 0);
    CHECK(broken.out.find("(5 rows)") != std::string::npos);
    // The original is untouched.
    CHECK(s.run(s.store, {"audit", "verify"}).out == "ok: 5 rows\n");
}

TEST_CASE("audit export writes CSV or JSON lines and records that it did") {
    AuditedStore s;
    const auto csv = s.run(s.store, {"audit", "export"});
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.out.rfind("id,at,actor,action,object,detail,prev_hash,hash\n", 0) == 0);
    CHECK(csv.out.find(",unit_add,unit:Hemtjänst Norr,area=Hemtjänst,0000000000") !=
          std::string::npos);
    CHECK(std::count(csv.out.begin(), csv.out.end(), '\n') == 1 + 6);
    CHECK(csv.out.find(",audit_export,audit_log,format=csv,") != std::string::npos);

    const auto jsonl = s.run(s.store, {"audit", "export", "--format", "jsonl"});
    REQUIRE(jsonl.exit_code == 0);
    std::vector<Json> rows;
    std::size_t pos = 0;
    while (pos < jsonl.out.size()) {
        const auto nl = jsonl.out.find('\n', pos);
        rows.push_back(Json::parse(jsonl.out.substr(pos, nl - pos)));
        pos = nl + 1;
    }
    REQUIRE(rows.size() == 7);
    for (std::size_t i = 1; i < rows.size(); ++i) {
        CHECK(rows[i]["id"] == rows[i - 1]["id"].get<int>() + 1);
        CHECK(rows[i]["prev_hash"] == rows[i - 1]["hash"]);
    }
    CHECK(rows.back()["action"] == "audit_export");
    CHECK(rows.back()["detail"] == "format=jsonl");
    CHECK(s.run(s.store, {"audit", "verify"}).out == "ok: 7 rows\n");

    const auto bad = s.run(s.store, {"audit", "export", "--format", "xml"});
    CHECK(bad.exit_code == 2);
}

TEST_CASE("the audit log names the real user, with SUDO_USER beside it as a claim") {
    AuditedStore s;
    const passwd* pw = getpwuid(getuid());
    REQUIRE(pw != nullptr);
    const std::string real = std::string("cli:") + pw->pw_name;
    const auto listed =
        run_process({dockscan_exe(), "findings", "--store", s.store, "--key-file", s.key}, "",
                    {{"SUDO_USER", "anna.berg"}});
    REQUIRE(listed.exit_code == 0);
    const auto jsonl = s.run(s.store, {"audit", "export", "--format", "jsonl"});
    REQUIRE(jsonl.exit_code == 0);
    CHECK(jsonl.out.find("\"actor\":\"" + real + " (sudo, claimed by anna.berg)\"") !=
          std::string::npos);
    // Nobody became anna.berg by setting a variable.
    CHECK(jsonl.out.find("\"actor\":\"cli:anna.berg\"") == std::string::npos);
}

TEST_CASE("audit export prints the anchor, and verify --anchor finds rows removed after it") {
    AuditedStore s;
    const auto exported = s.run(s.store, {"audit", "export"});
    REQUIRE(exported.exit_code == 0);
    // The export's own row is the newest: row 6.
    REQUIRE(exported.err.rfind("anchor: 6:", 0) == 0);
    const std::string anchor = exported.err.substr(8, exported.err.find('\n') - 8);
    CHECK(anchor.size() == 2 + 64);
    const auto ok = s.run(s.store, {"audit", "verify", "--anchor", anchor});
    CHECK(ok.exit_code == 0);
    CHECK(ok.out == "ok: 6 rows, the anchor's row is there and unchanged\n");

    // Someone with the key removes the newest rows in a copy: the chain left is intact.
    const auto copy = s.tmp / "copy.db";
    std::filesystem::copy_file(s.store, copy);
    {
        auto key = StoreKey::from_file(s.key);
        REQUIRE(key);
        auto db = sqlite::Database::open(copy, sqlite::Access::read_write, key->bytes());
        REQUIRE(db);
        REQUIRE(db->exec("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id > 4; "
                         "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log\nBEGIN\n"
                         "    SELECT RAISE(ABORT, 'the audit log is append-only');\nEND;"));
    }
    CHECK(s.run(copy.string(), {"audit", "verify"}).out == "ok: 4 rows\n");
    const auto truncated = s.run(copy.string(), {"audit", "verify", "--anchor", anchor});
    CHECK(truncated.exit_code == 1);
    CHECK(truncated.out.find("rows were removed") != std::string::npos);

    CHECK(s.run(s.store, {"audit", "verify", "--anchor", "6:abc"}).exit_code == 2);
}
