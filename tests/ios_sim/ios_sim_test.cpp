// The simulated iPhone is only useful if libimobiledevice takes it for a real one:
// Debian's own tools (idevice_id, idevicepair, ideviceinfo) and libimobiledevice's AFC
// client run against it here, through USBMUXD_SOCKET_ADDRESS, as dockscan's iOS
// backend will.

#include "base/sqlite.hpp"
#include "tests/ios_sim/sim_process.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace {

using Catch::Matchers::Contains;
using dockscan::testing::IosSimProcess;
using dockscan::testing::ProcessResult;
using dockscan::testing::run_process;
using dockscan::testing::TempDir;
using dockscan::testing::write_file;
namespace fs = std::filesystem;

// A phone's media folder: two photos and the Photos library database.
struct Phone {
    TempDir dir;
    fs::path media = dir / "media";
    fs::path state = dir / "state";
    std::string photo;

    Phone() {
        photo.assign(200'000, '\0');
        for (std::size_t i = 0; i < photo.size(); ++i) {
            photo[i] = static_cast<char>((i * 7919u) >> 3u);
        }
        photo.replace(0, 4, "\xff\xd8\xff\xe1");
        write_file(media / "DCIM/100APPLE/IMG_0001.JPG", photo);
        write_file(media / "DCIM/100APPLE/IMG_0002.PNG", "\x89PNG\r\n\x1a\nnot much of a png");
        write_file(media / "PhotoData/Photos.sqlite", "SQLite format 3");
        write_file(dir / "outside.txt", "not the phone's");
    }

    [[nodiscard]] std::vector<std::string> args(std::vector<std::string> extra = {}) const {
        std::vector<std::string> out = {"--state", state.string(), "--media", media.string()};
        out.insert(out.end(), extra.begin(), extra.end());
        return out;
    }
};

// Runs a libimobiledevice tool against the simulator (bounded in time, so that a
// protocol mistake fails the test instead of hanging it).
ProcessResult tool(const IosSimProcess& sim, std::vector<std::string> argv,
                   std::map<std::string, std::string> env = {}) {
    argv.insert(argv.begin(), {"/usr/bin/timeout", "60"});
    env["USBMUXD_SOCKET_ADDRESS"] = sim.socket_address();
    return run_process(argv, {}, env);
}

ProcessResult probe(const IosSimProcess& sim, std::vector<std::string> args) {
    args.insert(args.begin(), IOS_SIM_AFC_PROBE);
    return tool(sim, args);
}

} // namespace

TEST_CASE("the simulator is the other side: it does not link libimobiledevice", "[ios_sim]") {
    const ProcessResult libraries = run_process({"/usr/bin/ldd", IOS_SIM_EXE});
    REQUIRE(libraries.exit_code == 0);
    CHECK(libraries.out.find("libimobiledevice") == std::string::npos);
    CHECK(libraries.out.find("libusbmuxd") == std::string::npos);
}

TEST_CASE("idevice_id lists the simulated phone by its UDID", "[ios_sim]") {
    Phone phone;
    IosSimProcess sim(phone.args({"--udid", "00008110-000A1B2C3D4E5F60"}));
    const ProcessResult listed = tool(sim, {"/usr/bin/idevice_id", "-l"});
    CHECK(listed.exit_code == 0);
    CHECK(listed.out == "00008110-000A1B2C3D4E5F60\n");
}

TEST_CASE("idevicepair pairs with the simulated phone and validates the pairing", "[ios_sim]") {
    Phone phone;
    IosSimProcess sim(phone.args());

    const ProcessResult paired = tool(sim, {"/usr/bin/idevicepair", "pair"});
    REQUIRE(paired.exit_code == 0);
    CHECK_THAT(paired.out, Contains("SUCCESS: Paired with device 00008120-001A2B3C4D5E6F7A"));
    CHECK(fs::exists(phone.state / "usbmuxd/00008120-001A2B3C4D5E6F7A.plist"));

    const ProcessResult validated = tool(sim, {"/usr/bin/idevicepair", "validate"});
    CHECK(validated.exit_code == 0);
    CHECK_THAT(validated.out, Contains("SUCCESS: Validated pairing with device"));

    // The host id the host keeps is one the phone trusts.
    const ProcessResult host_id = tool(sim, {"/usr/bin/idevicepair", "hostid"});
    REQUIRE(host_id.exit_code == 0);
    const std::string id = host_id.out.substr(0, host_id.out.find('\n'));
    CHECK(fs::exists(phone.state / "lockdown" / (id + ".plist")));
}

TEST_CASE("a forgotten pairing no longer validates", "[ios_sim]") {
    Phone phone;
    IosSimProcess sim(phone.args());
    REQUIRE(tool(sim, {"/usr/bin/idevicepair", "pair"}).exit_code == 0);
    const ProcessResult unpaired = tool(sim, {"/usr/bin/idevicepair", "unpair"});
    CHECK(unpaired.exit_code == 0);
    CHECK_THAT(unpaired.out, Contains("SUCCESS: Unpaired"));
    CHECK_FALSE(fs::exists(phone.state / "usbmuxd/00008120-001A2B3C4D5E6F7A.plist"));
}

TEST_CASE("ideviceinfo prints the simulated phone's identity", "[ios_sim]") {
    Phone phone;
    IosSimProcess sim(phone.args({"--udid", "00008030-001C2D3E4F5A6B7C", "--name", "Karins iPhone",
                                  "--serial", "F17ZX9ABCD12", "--product-version", "16.7"}));
    const ProcessResult info = tool(sim, {"/usr/bin/ideviceinfo"});
    REQUIRE(info.exit_code == 0);
    CHECK_THAT(info.out, Contains("DeviceName: Karins iPhone\n"));
    CHECK_THAT(info.out, Contains("ProductVersion: 16.7\n"));
    CHECK_THAT(info.out, Contains("UniqueDeviceID: 00008030-001C2D3E4F5A6B7C\n"));
    CHECK_THAT(info.out, Contains("SerialNumber: F17ZX9ABCD12\n"));
    CHECK_THAT(info.out, Contains("DeviceClass: iPhone\n"));

    const ProcessResult one = tool(sim, {"/usr/bin/ideviceinfo", "-k", "ProductType"});
    CHECK(one.out == "iPhone15,4\n");
}

TEST_CASE("without a session the phone keeps its serial number to itself", "[ios_sim]") {
    Phone phone;
    IosSimProcess sim(phone.args());
    // -s: no pairing, no session.
    const ProcessResult info = tool(sim, {"/usr/bin/ideviceinfo", "-s"});
    REQUIRE(info.exit_code == 0);
    CHECK_THAT(info.out, Contains("DeviceName: Simulerad iPhone\n"));
    CHECK_THAT(info.out, Contains("DevicePublicKey: "));
    CHECK_FALSE(fs::exists(phone.state / "usbmuxd/00008120-001A2B3C4D5E6F7A.plist"));
    CHECK(info.out.find("SerialNumber") == std::string::npos);
}

TEST_CASE("a refused Trust dialog is reported by idevicepair", "[ios_sim]") {
    Phone phone;
    IosSimProcess sim(phone.args({"--trust", "refuse"}));
    const ProcessResult paired = tool(sim, {"/usr/bin/idevicepair", "pair"});
    CHECK(paired.exit_code != 0);
    CHECK_THAT(paired.out, Contains("said that the user denied the trust dialog"));
    CHECK_FALSE(fs::exists(phone.state / "usbmuxd/00008120-001A2B3C4D5E6F7A.plist"));
    const ProcessResult info = tool(sim, {"/usr/bin/ideviceinfo"});
    CHECK(info.out.find("SerialNumber") == std::string::npos);
}

TEST_CASE("a pending Trust dialog answers pending until the user accepts", "[ios_sim]") {
    Phone phone;
    IosSimProcess sim(phone.args({"--trust", "pending-then-accept", "--pending-answers", "2"}));
    for (int i = 0; i < 2; ++i) {
        const ProcessResult pending = tool(sim, {"/usr/bin/idevicepair", "pair"});
        CHECK(pending.exit_code != 0);
        CHECK_THAT(pending.out, Contains("Please accept the trust dialog"));
    }
    const ProcessResult paired = tool(sim, {"/usr/bin/idevicepair", "pair"});
    CHECK(paired.exit_code == 0);
    CHECK(tool(sim, {"/usr/bin/idevicepair", "validate"}).exit_code == 0);
}

TEST_CASE("libimobiledevice's AFC client lists and reads the camera roll", "[ios_sim]") {
    Phone phone;
    IosSimProcess sim(phone.args());
    REQUIRE(tool(sim, {"/usr/bin/idevicepair", "pair"}).exit_code == 0);

    const ProcessResult listed = probe(sim, {"ls", "/DCIM/100APPLE"});
    REQUIRE(listed.exit_code == 0);
    CHECK(listed.out == ".\n..\nIMG_0001.JPG\nIMG_0002.PNG\n");

    const ProcessResult root = probe(sim, {"ls", "/"});
    CHECK(root.out == ".\n..\nDCIM\nPhotoData\n");

    const ProcessResult info = probe(sim, {"stat", "/DCIM/100APPLE/IMG_0001.JPG"});
    CHECK_THAT(info.out, Contains("st_size=200000\n"));
    CHECK_THAT(info.out, Contains("st_ifmt=S_IFREG\n"));
    CHECK_THAT(probe(sim, {"stat", "/DCIM"}).out, Contains("st_ifmt=S_IFDIR\n"));

    const fs::path pulled = phone.dir / "pulled.jpg";
    const ProcessResult pull = probe(sim, {"pull", "/DCIM/100APPLE/IMG_0001.JPG", pulled.string()});
    REQUIRE(pull.exit_code == 0);
    CHECK(pull.out == "200000\n");
    CHECK(dockscan::testing::read_file(pulled) == phone.photo);

    const fs::path library = phone.dir / "Photos.sqlite";
    CHECK(probe(sim, {"pull", "/PhotoData/Photos.sqlite", library.string()}).exit_code == 0);
    CHECK(dockscan::testing::read_file(library) == "SQLite format 3");

    CHECK_THAT(probe(sim, {"devinfo"}).out, Contains("Model=iPhone15,4\n"));
}

TEST_CASE("AFC stays inside the media folder", "[ios_sim]") {
    Phone phone;
    IosSimProcess sim(phone.args());
    REQUIRE(tool(sim, {"/usr/bin/idevicepair", "pair"}).exit_code == 0);
    // AFC_E_OBJECT_NOT_FOUND (8) for a missing path and for one that climbs out.
    CHECK(probe(sim, {"ls", "/DCIM/999APPLE"}).out == "ERROR: afc 8\n");
    const ProcessResult escaped =
        probe(sim, {"pull", "/../outside.txt", (phone.dir / "x").string()});
    CHECK(escaped.exit_code != 0);
    CHECK_THAT(escaped.out, Contains("ERROR: afc 8"));
    // Nor through a symlinked folder.
    fs::create_directory_symlink(phone.dir.path(), phone.media / "DCIM/linked");
    CHECK_THAT(probe(sim, {"ls", "/DCIM/linked"}).out, Contains("ERROR: afc 8"));
    CHECK_THAT(probe(sim, {"stat", "/DCIM/linked/outside.txt"}).out, Contains("ERROR: afc 8"));
    CHECK_THAT(probe(sim, {"pull", "/DCIM/linked/outside.txt", (phone.dir / "y").string()}).out,
               Contains("ERROR: afc 8"));
}

TEST_CASE("a phone unplugged mid-transfer cuts the read and detaches", "[ios_sim]") {
    Phone phone;
    IosSimProcess sim(phone.args({"--drop-after-bytes", "100000"}));
    REQUIRE(tool(sim, {"/usr/bin/idevicepair", "pair"}).exit_code == 0);
    const fs::path pulled = phone.dir / "pulled.jpg";
    const ProcessResult pull = probe(sim, {"pull", "/DCIM/100APPLE/IMG_0001.JPG", pulled.string()});
    CHECK(pull.exit_code != 0);
    CHECK_THAT(pull.out, Contains("ERROR: afc read"));
    CHECK_THAT(pull.out, Contains("event: removed"));
    CHECK(dockscan::testing::read_file(pulled).size() < phone.photo.size());
    // Unplugged: usbmuxd no longer lists it.
    CHECK(tool(sim, {"/usr/bin/idevice_id", "-l"}).out.empty());
}

namespace {

// The phone's messages and contacts for backups, by domain as iOS keeps them.
struct PhoneData {
    fs::path root;
    std::string sms = std::string("SQLite format 3\0", 16) + std::string(90'000, 's');
    std::string contacts = std::string("SQLite format 3\0", 16) + std::string(40'000, 'c');

    explicit PhoneData(const fs::path& where) : root(where) {
        write_file(root / "HomeDomain/Library/SMS/sms.db", sms);
        write_file(root / "HomeDomain/Library/AddressBook/AddressBook.sqlitedb", contacts);
    }
};

constexpr const char* k_udid = "00008120-001A2B3C4D5E6F7A";
// SHA-1 of "HomeDomain-Library/SMS/sms.db" and of the AddressBook's domain path: the
// names every iOS backup gives these two files.
constexpr const char* k_sms_id = "3d0d7e5fb2ce288813306e4d4636395e047a3d28";
constexpr const char* k_contacts_id = "31bb7ba8914766d4ba40d6dfb6113c8b614be442";

} // namespace

TEST_CASE("an unplugged phone can come back and be read again", "[ios_sim]") {
    Phone phone;
    IosSimProcess sim(phone.args({"--drop-after-bytes", "100000", "--reattach-after-ms", "300"}));
    REQUIRE(tool(sim, {"/usr/bin/idevicepair", "pair"}).exit_code == 0);
    const fs::path pulled = phone.dir / "pulled.jpg";
    const ProcessResult cut =
        tool(sim, {IOS_SIM_AFC_PROBE, "pull", "/DCIM/100APPLE/IMG_0001.JPG", pulled.string()},
             {{"IOS_SIM_PROBE_SETTLE_MS", "3000"}});
    CHECK_THAT(cut.out, Contains("event: removed"));
    CHECK_THAT(cut.out, Contains("event: added again"));
    // Plugged in again, the phone is still paired and the drop does not repeat.
    const ProcessResult again =
        probe(sim, {"pull", "/DCIM/100APPLE/IMG_0001.JPG", pulled.string()});
    CHECK(again.out == "200000\n");
    CHECK(dockscan::testing::read_file(pulled) == phone.photo);
}

TEST_CASE("idevicebackup2 completes a backup of the phone's messages and contacts",
          "[ios_sim][backup]") {
    Phone phone;
    PhoneData data(phone.dir / "phone-data");
    IosSimProcess sim(phone.args({"--backup-data", data.root.string()}));
    REQUIRE(tool(sim, {"/usr/bin/idevicepair", "pair"}).exit_code == 0);
    const fs::path backups = phone.dir / "backups";
    fs::create_directories(backups);

    const ProcessResult first = tool(sim, {"/usr/bin/idevicebackup2", "backup", backups.string()});
    CHECK(first.exit_code == 0);
    CHECK_THAT(first.out, Contains("Received 5 files from device."));
    CHECK_THAT(first.out, Contains("Backup Successful."));

    const fs::path folder = backups / k_udid;
    CHECK(dockscan::testing::read_file(folder / "3d" / k_sms_id) == data.sms);
    CHECK(dockscan::testing::read_file(folder / "31" / k_contacts_id) == data.contacts);
    CHECK(fs::exists(folder / "Info.plist")); // written by idevicebackup2 from lockdownd's values
    CHECK(fs::exists(folder / "Manifest.plist"));
    CHECK(fs::exists(folder / "Status.plist"));

    namespace sqlite = dockscan::base::sqlite;
    auto manifest =
        sqlite::Database::open(folder / "Manifest.db", sqlite::Access::read_only_immutable);
    REQUIRE(manifest);
    auto rows = manifest->prepare(
        "SELECT fileID FROM Files WHERE domain = 'HomeDomain' AND relativePath = ?1 AND flags = 1");
    REQUIRE(rows);
    rows->bind_text(1, "Library/SMS/sms.db");
    REQUIRE(rows->step().value_or(false));
    CHECK(rows->column_text(0) == k_sms_id);

    // The next backup finds the last one's Status.plist: incremental.
    const ProcessResult second = tool(sim, {"/usr/bin/idevicebackup2", "backup", backups.string()});
    CHECK(second.exit_code == 0);
    CHECK_THAT(second.out, Contains("Incremental backup mode."));
    CHECK_THAT(second.out, Contains("Backup Successful."));
}

TEST_CASE("a locked phone refuses the backup with its passcode error", "[ios_sim][backup]") {
    Phone phone;
    IosSimProcess sim(phone.args({"--backup", "locked", "--passcode-wait-ms", "200"}));
    REQUIRE(tool(sim, {"/usr/bin/idevicepair", "pair"}).exit_code == 0);
    const fs::path backups = phone.dir / "backups";
    fs::create_directories(backups);
    const ProcessResult backup = tool(sim, {"/usr/bin/idevicebackup2", "backup", backups.string()});
    CHECK_THAT(backup.out, Contains("ErrorCode 208: Device locked (MBErrorDomain/208)"));
    CHECK_THAT(backup.out, Contains("Backup Failed (Error Code 208)."));
    CHECK_FALSE(fs::exists(backups / k_udid / "Manifest.db"));
}

TEST_CASE("a phone that refuses backups says so", "[ios_sim][backup]") {
    Phone phone;
    IosSimProcess sim(phone.args({"--backup", "refuse"}));
    REQUIRE(tool(sim, {"/usr/bin/idevicepair", "pair"}).exit_code == 0);
    const fs::path backups = phone.dir / "backups";
    fs::create_directories(backups);
    const ProcessResult backup = tool(sim, {"/usr/bin/idevicebackup2", "backup", backups.string()});
    CHECK_THAT(backup.out, Contains("Backup Failed (Error Code 1)."));
}

TEST_CASE("a phone unplugged mid-backup aborts it", "[ios_sim][backup]") {
    Phone phone;
    PhoneData data(phone.dir / "phone-data");
    IosSimProcess sim(
        phone.args({"--backup-data", data.root.string(), "--drop-after-bytes", "70000"}));
    REQUIRE(tool(sim, {"/usr/bin/idevicepair", "pair"}).exit_code == 0);
    const fs::path backups = phone.dir / "backups";
    fs::create_directories(backups);
    const ProcessResult backup = tool(sim, {"/usr/bin/idevicebackup2", "backup", backups.string()});
    CHECK_THAT(backup.out, Contains("Backup Aborted."));
    CHECK_FALSE(fs::exists(backups / k_udid / "Status.plist"));
    CHECK(tool(sim, {"/usr/bin/idevice_id", "-l"}).out.empty());
}
