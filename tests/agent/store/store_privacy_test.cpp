// The store must not become the leak: nothing written to it may be readable in the
// files on disk without the key.

#include "agent/store/store.hpp"
#include "tests/agent/store/store_test_support.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace dockscan::agent;
using namespace dockscan::agent::store_test;
using dockscan::testing::read_file;
using dockscan::testing::TempDir;

namespace {

// Every file SQLite keeps beside the store, as bytes.
std::vector<std::pair<std::string, std::string>> store_files(const std::filesystem::path& path) {
    std::vector<std::pair<std::string, std::string>> files;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        const std::filesystem::path file = path.string() + suffix;
        if (std::filesystem::exists(file)) {
            files.emplace_back(file.filename().string(), read_file(file));
        }
    }
    return files;
}

} // namespace

TEST_CASE("the store's files hold no finding, phone or audit text in the clear") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    const auto path = dir / "store.db";
    auto store = open_store(path, key);
    const std::string phone_label = "ifo-mottagning-telefon-12";
    const auto phone = value_of(
        store.upsert_phone({phone_label, "F2LXK1ABCDEF", "Annas telefon", "iPhone12,8", "17.2"}));
    const auto scan = value_of(store.begin_scan(phone, "ios-backup"));
    const std::string hash = store.match_hash("198507099805");
    std::vector<ItemResult> batch(1);
    batch[0] = ItemResult{"message",
                          "sms:4711",
                          "SMS från Gode man Karlsson",
                          200,
                          1'700'000'000,
                          ItemOutcome::scanned,
                          {},
                          {}};
    for (const auto& [masked, excerpt] : std::vector<std::pair<std::string, std::string>>{
             {"850709-****", "Hej, Kalle Karlsson är född 850709-**** och bor på"},
             {"121212-****", "samordningsnummer 121272-**** enligt kallelsen"},
         }) {
        NewFinding finding = personnummer_finding(masked, excerpt);
        finding.match_hash = hash;
        batch[0].findings.push_back(finding);
    }
    value_of(store.write_batch(scan, phone, batch));
    value_of(store.append_audit(
        {"enhetschef.anna", "view_finding", "finding:1", "opened from the review list"}));
    value_of(store.finish_scan(scan, ScanStatus::complete, "", ItemCounts{}));

    const std::vector<std::string> secrets = {phone_label,
                                              "F2LXK1ABCDEF",
                                              "Annas telefon",
                                              "850709-****",
                                              "121212-****",
                                              "Kalle Karlsson",
                                              "121272-****",
                                              "Gode man Karlsson",
                                              "sms:4711",
                                              hash,
                                              "personnummer_i_meddelande",
                                              "enhetschef.anna",
                                              "opened from the review list",
                                              "dockscan-store",
                                              "CREATE TABLE",
                                              "SQLite format 3"};

    auto check_files = [&](const char* when) {
        const auto files = store_files(path);
        REQUIRE_FALSE(files.empty());
        for (const auto& [name, bytes] : files) {
            for (const auto& secret : secrets) {
                INFO(when << ": " << name << " (" << bytes.size() << " bytes) must not contain '"
                          << secret << "'");
                CHECK(bytes.find(secret) == std::string::npos);
            }
        }
    };
    // While the store is open the newest pages are in the -wal file.
    REQUIRE(std::filesystem::exists(path.string() + "-wal"));
    check_files("open");
    store = open_store(dir / "unrelated.db", key); // closes the first store
    check_files("closed");
}
