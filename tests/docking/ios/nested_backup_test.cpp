// A folder that people point at instead of the iOS backup inside it: the folder source
// must name the backup, never look like a complete scan of an empty phone.

#include "docking/folder_source.hpp"
#include "docking/ios/ios_backup_source.hpp"
#include "tests/docking/ios/backup_fixture.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

using namespace dockscan::docking;
using namespace dockscan::testing;

TEST_CASE("the folder above an iOS backup's UDID folder names the backup", "[nested_source]") {
    TempDir tmp;
    // As Finder and idevicebackup2 leave it: Backup/<UDID>/ with Manifest.db, Info.plist.
    const std::string udid = "00008030-001A2B3C4D5E802E";
    StandardBackup spec;
    spec.options.device.udid = udid;
    write_standard_backup(tmp / "Backup" / udid, spec);

    auto source = FolderSource::open(tmp / "Backup");
    REQUIRE(source);
    Recorder r;
    REQUIRE((*source)->list(r, {}));
    CHECK(r.items.empty());
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].ref == udid);
    CHECK(r.problems[0].code == ErrorCode::nested_source);
    CHECK(r.problems[0].reason ==
          "this folder holds an iOS backup in " + udid + "/: scan that folder");

    REQUIRE((*source)->nested_sources().size() == 1);
    const NestedSource& nested = (*source)->nested_sources()[0];
    CHECK(nested.kind == NestedKind::ios_backup);
    CHECK(nested.path == tmp / "Backup" / udid);
    // What it names really is a backup that the iOS source opens.
    CHECK(ios::IosBackupSource::open(nested.path, std::nullopt));
}

TEST_CASE("a folder with a Manifest.db but no plist beside it is no backup", "[nested_source]") {
    TempDir tmp;
    write_file(tmp / "app/Manifest.db", "SQLite format 3");
    auto source = FolderSource::open(tmp.path());
    REQUIRE(source);
    Recorder r;
    REQUIRE((*source)->list(r, {}));
    CHECK(r.problems.empty());
    CHECK((*source)->nested_sources().empty());
}
