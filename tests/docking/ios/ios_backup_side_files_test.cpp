// Phone databases as real backups hold them: recent changes still in the "-wal" that
// Manifest.db lists beside the database, and sms.db without its optional tables.

#include "docking/ios/ios_backup_source.hpp"
#include "tests/docking/ios/backup_fixture.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <optional>
#include <string>

using namespace dockscan::docking;
using namespace dockscan::docking::ios;
using namespace dockscan::testing;

namespace {

const std::string k_address_book = "Library/AddressBook/AddressBook.sqlitedb";

std::size_t count_of(const Recorder& r, ItemType type) {
    std::size_t n = 0;
    for (const auto& item : r.items) {
        n += item.type == type ? 1 : 0;
    }
    return n;
}

std::vector<AbPersonRow> people() {
    AbPersonRow elsa{1,  "Elsa", "", "Lindqvist", "", "", "", "pnr 19800102-2386",
                     "", 0,      {}, {},          {}};
    AbPersonRow nils{2, "Nils", "", "Berg", "", "", "", "", "", 0, {"070-174 06 05"}, {}, {}};
    return {elsa, nils};
}

} // namespace

TEST_CASE("contacts still in AddressBook.sqlitedb-wal are read from a private copy",
          "[ios_backup]") {
    const auto password =
        GENERATE(as<std::optional<std::string>>{}, std::nullopt, "Vårdlösen 2026!");
    TempDir tmp;
    const auto folder = tmp / "00008110-000A1B2C3D4E801E";
    const WalDatabase book = address_book_wal(people());
    REQUIRE(!book.wal.empty());
    {
        IosBackupOptions options;
        options.password = password;
        IosBackupWriter w(folder, options);
        w.add_file("HomeDomain", k_address_book, book.main);
        w.add_file("HomeDomain", k_address_book + "-wal", book.wal);
        w.add_file("HomeDomain", k_address_book + "-shm", book.shm);
        w.finish();
    }
    const auto stored = [&](const std::string& path) {
        const std::string id = IosBackupWriter::file_id("HomeDomain", path);
        return folder / id.substr(0, 2) / id;
    };
    const auto main_size = std::filesystem::file_size(stored(k_address_book));
    const auto main_time = std::filesystem::last_write_time(stored(k_address_book));

    auto source = IosBackupSource::open(folder, password);
    REQUIRE(source);
    Recorder r;
    REQUIRE((*source)->list(r, {}));
    for (const auto& p : r.problems) {
        UNSCOPED_INFO(p.ref << ": " << p.reason);
    }
    CHECK(r.problems.empty());
    REQUIRE(count_of(r, ItemType::contact) == 2);
    const auto* elsa = r.find("contact:1");
    REQUIRE(elsa != nullptr);
    const auto content = (*source)->read(*elsa);
    REQUIRE(content);
    CHECK(content->data.find("Lindqvist") != std::string::npos);
    REQUIRE(content->name);
    CHECK(content->name->family == "Lindqvist");

    // The backup's own files are untouched, and no side file was made beside them.
    CHECK(std::filesystem::file_size(stored(k_address_book)) == main_size);
    CHECK(std::filesystem::last_write_time(stored(k_address_book)) == main_time);
    CHECK(!std::filesystem::exists(stored(k_address_book).string() + "-wal"));
    CHECK(!std::filesystem::exists(stored(k_address_book).string() + "-shm"));
}

TEST_CASE("an sms.db with only its message table gives its messages", "[ios_backup]") {
    TempDir tmp;
    const auto folder = tmp / "00008110-000A1B2C3D4E801E";
    {
        IosBackupWriter w(folder);
        SmsMessageRow first{1, k_guid_sms, k_text_sms, std::nullopt};
        first.date = 785'299'320'000'000'000; // 2025-11-21 in Apple's nanoseconds
        first.handle = 7;                     // a handle the database no longer has
        SmsMessageRow second{
            2, k_guid_imessage, "Ring mig", std::nullopt, 785'299'380'000'000'000, true};
        w.add_file("HomeDomain", k_sms_path, sms_db_message_only({first, second}));
        w.finish();
    }
    auto source = IosBackupSource::open(folder, std::nullopt);
    REQUIRE(source);
    Recorder r;
    REQUIRE((*source)->list(r, {}));
    for (const auto& p : r.problems) {
        UNSCOPED_INFO(p.ref << ": " << p.reason);
    }
    CHECK(r.problems.empty());
    REQUIRE(count_of(r, ItemType::message) == 2);
    const auto content = (*source)->read(r.items.front());
    REQUIRE(content);
    CHECK(content->data == k_text_sms);
}
