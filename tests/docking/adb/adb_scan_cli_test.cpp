// `dockscan scan adb:HOST:PORT` end to end against the simulated phone.

#include "tests/adb_sim/sim_process.hpp"
#include "tests/detectors/image/fixtures.hpp"
#include "tests/docking/adb/adb_fixture.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>

using namespace dockscan::testing;
using Json = nlohmann::json;

namespace {

struct Station {
    TempDir tmp;
    std::string store = (tmp / "dockscan.db").string();
    std::string key = (tmp / "store.key").string();
    // The station's ADB key goes below HOME.
    std::map<std::string, std::string> env = {{"HOME", (tmp / "home").string()}};

    Station() {
        REQUIRE(
            run_process({dockscan_exe(), "init", "--store", store, "--key-file", key}).exit_code ==
            0);
    }

    ProcessResult scan(const std::string& source, std::vector<std::string> extra = {}) const {
        std::vector<std::string> args = {dockscan_exe(), "scan",       source, "--store",
                                         store,          "--key-file", key,    "--json"};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_process(args, "", env);
    }
};

} // namespace

TEST_CASE("scan adb: finds the identity number in the phone's messages", "[adb][cli]") {
    Station station;
    write_file(station.tmp / "sdcard/DCIM/Camera/IMG_0001.jpg",
               dockscan::test_images::scene_photo_jpeg(640, 480, 12));
    write_telephony_backup(station.tmp / "telephony.ab");
    AdbSimProcess sim({"--storage", (station.tmp / "sdcard").string(), "--backup",
                       (station.tmp / "telephony.ab").string(), "--auth", "accept"});

    const auto scan = station.scan("adb:" + sim.address());
    INFO(scan.err);
    REQUIRE(scan.exit_code == 0);
    const Json summary = Json::parse(scan.out);
    CHECK(summary["status"] == "complete");
    CHECK(summary["items"]["photos"] == 1);
    CHECK(summary["items"]["messages"] == 1);
    CHECK(summary["findings"] == 1);

    const auto findings = run_process({dockscan_exe(), "findings", "--store", station.store,
                                       "--key-file", station.key, "--json"});
    REQUIRE(findings.exit_code == 0);
    const Json list = Json::parse(findings.out);
    REQUIRE(list.size() == 1);
    CHECK(list[0]["item"]["type"] == "message");
    CHECK(list[0]["masked"] == "450411-****");
}

TEST_CASE("scan adb: a phone unplugged mid-transfer is a partial scan", "[adb][cli]") {
    Station station;
    write_file(station.tmp / "sdcard/DCIM/Camera/IMG_0001.jpg", patterned_bytes(300'000, 8));
    write_telephony_backup(station.tmp / "telephony.ab");
    // The backup comes through whole; the photo breaks off after 1000 bytes.
    const auto backup_size = std::filesystem::file_size(station.tmp / "telephony.ab");
    AdbSimProcess sim({"--storage", (station.tmp / "sdcard").string(), "--backup",
                       (station.tmp / "telephony.ab").string(), "--drop-after-bytes",
                       std::to_string(backup_size + 1000)});

    const auto scan = station.scan("adb:" + sim.address());
    INFO(scan.err);
    REQUIRE(scan.exit_code == 0);
    const Json summary = Json::parse(scan.out);
    CHECK(summary["status"] == "partial");
    CHECK(summary["reason"] == "1 item could not be read or analysed");
    CHECK(summary["items"]["photos"] == 1);
    CHECK(summary["items"]["messages"] == 1);
    CHECK(summary["errors"] == 1);
    CHECK(summary["findings"] == 1); // the message, read before the phone went away
}

TEST_CASE("scan adb: a phone that never allows the station fails with the reason", "[adb][cli]") {
    Station station;
    write_file(station.tmp / "sdcard/DCIM/a.jpg", "x");
    AdbSimProcess sim({"--storage", (station.tmp / "sdcard").string(), "--auth", "withhold"});

    // By default the station waits as long as a person needs to find the dialog (30 s);
    // here the person is given one second, and the scan ends when it has passed.
    const auto started = std::chrono::steady_clock::now();
    const auto scan = station.scan("adb:" + sim.address(), {"--wait", "1"});
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
    CHECK(scan.exit_code != 0);
    CHECK(scan.err.find("USB debugging not allowed on the phone (tap Allow)") != std::string::npos);
    CHECK(scan.err.find("tryck Tillåt") != std::string::npos);
}

TEST_CASE("scan adb: a source without a port is explained", "[adb][cli]") {
    Station station;
    const auto scan = station.scan("adb:127.0.0.1");
    CHECK(scan.exit_code != 0);
    CHECK(scan.err.find("adb:HOST:PORT") != std::string::npos);
}
