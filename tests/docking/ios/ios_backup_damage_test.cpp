// Damaged and hostile backups: each damage is a clear recorded reason, and the rest
// of the backup is listed all the same.

#include "docking/ios/ios_backup_source.hpp"
#include "tests/docking/ios/backup_fixture.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

using namespace dockscan::docking;
using namespace dockscan::docking::ios;
using namespace dockscan::testing;

namespace {

const std::string k_password = "Vårdlösen 2026!";

Recorder list_backup(const std::filesystem::path& folder,
                     const std::optional<std::string>& password = std::nullopt) {
    auto source = IosBackupSource::open(folder, password);
    if (!source) {
        FAIL("open failed: " << source.error().message);
    }
    Recorder r;
    const auto listed = (*source)->list(r, {});
    if (!listed) {
        FAIL("list failed: " << listed.error().message);
    }
    return r;
}

std::filesystem::path stored_path(const std::filesystem::path& folder, std::string_view domain,
                                  std::string_view relative_path) {
    const std::string id = IosBackupWriter::file_id(domain, relative_path);
    return folder / id.substr(0, 2) / id;
}

void truncate_file(const std::filesystem::path& path, std::uintmax_t size) {
    std::filesystem::resize_file(path, size);
}

} // namespace

TEST_CASE("a stored file missing from the folder is a problem of that item", "[ios_backup]") {
    const auto password = GENERATE(as<std::optional<std::string>>{}, std::nullopt, k_password);
    TempDir tmp;
    write_standard_backup(tmp / "backup", {.options = {.password = password}});
    std::filesystem::remove(
        stored_path(tmp / "backup", "CameraRollDomain", "Media/DCIM/100APPLE/IMG_0003.JPG"));

    const Recorder r = list_backup(tmp / "backup", password);
    const ItemProblem* missing = r.find_problem("Media/DCIM/100APPLE/IMG_0003.JPG");
    REQUIRE(missing != nullptr);
    CHECK(missing->code == ErrorCode::not_found);
    CHECK_THAT(missing->reason, Catch::Contains("missing from the backup"));
    CHECK(r.count(ItemType::photo) == 2);
    CHECK(r.count(ItemType::message) == 5);
    CHECK(r.count(ItemType::contact) == 2);
}

TEST_CASE("a fileID that is not 40 hex digits is never used as a path", "[ios_backup]") {
    TempDir tmp;
    write_file(tmp / "secret.jpg", "must not be read");
    write_standard_backup(
        tmp / "backup", {.extra = [](IosBackupWriter& w) {
            w.add_row("../secret.jpg", "CameraRollDomain", "Media/DCIM/100APPLE/IMG_0099.JPG",
                      mbfile_blob("Media/DCIM/100APPLE/IMG_0099.JPG", 16, k_nov20_1402, 3));
        }});
    const Recorder r = list_backup(tmp / "backup");
    const ItemProblem* bad = r.find_problem("Media/DCIM/100APPLE/IMG_0099.JPG");
    REQUIRE(bad != nullptr);
    CHECK(bad->code == ErrorCode::malformed);
    CHECK_THAT(bad->reason, Catch::Contains("invalid fileID"));
    CHECK(r.find("Media/DCIM/100APPLE/IMG_0099.JPG") == nullptr);
    CHECK(r.count(ItemType::photo) == 3);
}

TEST_CASE("a broken plist beside an unencrypted Manifest.db is a problem", "[ios_backup]") {
    const auto name = GENERATE("Info.plist", "Manifest.plist", "Status.plist");
    TempDir tmp;
    write_standard_backup(tmp / "backup");
    write_file(tmp / "backup" / name, "bplist00\x01\x02 broken");

    auto source = IosBackupSource::open(tmp / "backup", std::nullopt);
    REQUIRE(source);
    // The other plist still names the phone.
    CHECK((*source)->describe().udid == IosDeviceFixture{}.udid);
    Recorder r;
    REQUIRE((*source)->list(r, {}));
    const ItemProblem* problem = r.find_problem(name);
    REQUIRE(problem != nullptr);
    CHECK(problem->code == ErrorCode::malformed);
    CHECK(r.count(ItemType::message) == 5);
    CHECK(r.count(ItemType::photo) == 3);
}

TEST_CASE("an encrypted backup whose Manifest.plist is broken cannot be opened",
          "[ios_backup][encrypted]") {
    TempDir tmp;
    write_standard_backup(tmp / "backup", {.options = {.password = k_password}});
    write_file(tmp / "backup" / "Manifest.plist", "<?xml version=\"1.0\"?><plist><dict>");
    const auto source = IosBackupSource::open(tmp / "backup", k_password);
    REQUIRE_FALSE(source);
    CHECK(source.error().code == ErrorCode::malformed);
    CHECK_THAT(source.error().message, Catch::Contains("Manifest.plist"));
}

TEST_CASE("an unfinished backup is listed with a problem saying so", "[ios_backup]") {
    TempDir tmp;
    write_standard_backup(tmp / "backup", {.options = {.snapshot_state = "uploading"}});
    const Recorder r = list_backup(tmp / "backup");
    const ItemProblem* status = r.find_problem("Status.plist");
    REQUIRE(status != nullptr);
    CHECK(status->code == ErrorCode::interrupted);
    CHECK_THAT(status->reason, Catch::Contains("did not finish"));
}

TEST_CASE("a truncated sms.db loses its messages, not the rest", "[ios_backup]") {
    TempDir tmp;
    write_standard_backup(tmp / "backup", {.sms_bytes = 6000});
    const Recorder r = list_backup(tmp / "backup");
    const ItemProblem* sms = r.find_problem("Library/SMS/sms.db");
    REQUIRE(sms != nullptr);
    CHECK(sms->code == ErrorCode::malformed);
    CHECK_THAT(sms->reason, Catch::StartsWith("sms.db: "));
    CHECK(sms->reason.find(tmp.path().string()) == std::string::npos);
    CHECK(r.count(ItemType::photo) == 3);
    CHECK(r.count(ItemType::contact) == 2);
}

TEST_CASE("a truncated Manifest.db is a clear reason, not a crash", "[ios_backup]") {
    const auto password = GENERATE(as<std::optional<std::string>>{}, std::nullopt, k_password);
    // Not even a SQLite header; the schema but not the rows; half of it. SQLite refuses
    // a file shorter than its header says, so nothing can be listed without Manifest.db.
    const auto keep = GENERATE(
        as<std::function<std::uintmax_t(std::uintmax_t)>>{},
        [](std::uintmax_t) { return std::uintmax_t{40}; },
        [](std::uintmax_t) { return std::uintmax_t{8192}; },
        [](std::uintmax_t size) { return size / 2 / 16 * 16; });
    TempDir tmp;
    write_standard_backup(tmp / "backup", {.options = {.password = password}});
    const auto path = tmp / "backup" / "Manifest.db";
    truncate_file(path, keep(std::filesystem::file_size(path)));

    const auto source = IosBackupSource::open(tmp / "backup", password);
    REQUIRE_FALSE(source);
    CHECK(source.error().code == ErrorCode::malformed);
    CHECK_THAT(source.error().message, Catch::StartsWith("Manifest.db: "));
    CHECK(source.error().message.find("Manifest.db: Manifest.db") == std::string::npos);
    // Messages are stored beside refs: no host path in them.
    CHECK(source.error().message.find(tmp.path().string()) == std::string::npos);
}

TEST_CASE("a stored file cut short in an encrypted backup is a problem",
          "[ios_backup][encrypted]") {
    TempDir tmp;
    write_standard_backup(tmp / "backup", {.options = {.password = k_password}});
    const auto path =
        stored_path(tmp / "backup", "CameraRollDomain", "Media/DCIM/100APPLE/IMG_0001.HEIC");
    truncate_file(path, std::filesystem::file_size(path) - 16);

    auto source = IosBackupSource::open(tmp / "backup", k_password);
    REQUIRE(source);
    Recorder r;
    REQUIRE((*source)->list(r, {}));
    const ItemInfo* photo = r.find("Media/DCIM/100APPLE/IMG_0001.HEIC");
    REQUIRE(photo != nullptr);
    const auto content = (*source)->read(*photo);
    REQUIRE_FALSE(content);
    CHECK(content.error().code == ErrorCode::malformed);
}

TEST_CASE("what is not an iOS 10+ backup folder is refused with a reason", "[ios_backup]") {
    TempDir tmp;
    std::filesystem::create_directories(tmp / "empty");
    write_file(tmp / "old" / "Manifest.mbdb", "mbdb\x05\x00");
    write_file(tmp / "file", "x");
    struct Case {
        const char* name;
        ErrorCode code;
    };
    const auto c =
        GENERATE(Case{"empty", ErrorCode::not_a_source}, Case{"old", ErrorCode::unsupported},
                 Case{"file", ErrorCode::not_a_source}, Case{"missing", ErrorCode::not_found});
    const auto source = IosBackupSource::open(tmp / c.name, std::nullopt);
    REQUIRE_FALSE(source);
    CHECK(source.error().code == c.code);
}

TEST_CASE("a listing ends when stopped or past the item limit", "[ios_backup]") {
    TempDir tmp;
    write_standard_backup(tmp / "backup");
    SECTION("stopped") {
        auto source = IosBackupSource::open(tmp / "backup", std::nullopt);
        REQUIRE(source);
        std::stop_source stop;
        stop.request_stop();
        Recorder r;
        const auto listed = (*source)->list(r, stop.get_token());
        REQUIRE_FALSE(listed);
        CHECK(listed.error().code == ErrorCode::interrupted);
    }
    SECTION("too many items") {
        IosBackupLimits limits;
        limits.max_items = 4;
        auto source = IosBackupSource::open(tmp / "backup", std::nullopt, limits);
        REQUIRE(source);
        Recorder r;
        const auto listed = (*source)->list(r, {});
        REQUIRE_FALSE(listed);
        CHECK(listed.error().code == ErrorCode::too_large);
        CHECK(r.items.size() == 4);
    }
}
