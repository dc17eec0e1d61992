// `dockscan scan usbmux:UDID` end to end: an iPhone checked by hand through usbmuxd (the
// simulated iPhone), paired with Trust, photos over AFC, messages from its backup.

#include "tests/detectors/image/fixtures.hpp"
#include "tests/docking/ios/phone_db_fixtures.hpp"
#include "tests/ios_sim/sim_process.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace dockscan::testing;
using Json = nlohmann::json;

namespace {

constexpr const char* k_udid = "00008120-001A2B3C4D5E6F7A";

struct Bench {
    TempDir tmp;
    std::string store = (tmp / "dockscan.db").string();
    std::string key = (tmp / "store.key").string();

    Bench() {
        REQUIRE(
            run_process({dockscan_exe(), "init", "--store", store, "--key-file", key}).exit_code ==
            0);
        for (int i = 0; i < 2; ++i) {
            write_file(tmp / ("media/DCIM/100APPLE/IMG_000" + std::to_string(i) + ".JPG"),
                       dockscan::test_images::scene_photo_jpeg(640, 480,
                                                               40 + static_cast<std::uint32_t>(i)));
        }
        SmsDbFixture sms;
        sms.handles.push_back({1, "+46701740605"});
        sms.chats.push_back({1, "+46701740605", 45, {1}});
        sms.messages.push_back({1, "5B2C3D4E-1A2B-4C3D-8E9F-0A1B2C3D4E5F",
                                "Elsas personnummer är 19800102-2386", std::nullopt, 785'336'520,
                                false, 1, 1});
        write_file(tmp / "backup-data/HomeDomain/Library/SMS/sms.db", sms_db(sms));
    }

    [[nodiscard]] std::vector<std::string> sim_args(std::vector<std::string> extra) const {
        std::vector<std::string> args = {
            "--state",       (tmp / "state").string(),       "--media", (tmp / "media").string(),
            "--backup-data", (tmp / "backup-data").string(), "--udid",  k_udid};
        args.insert(args.end(), extra.begin(), extra.end());
        return args;
    }

    [[nodiscard]] ProcessResult scan(const IosSimProcess& sim) const {
        return run_process({dockscan_exe(), "scan", std::string("usbmux:") + k_udid, "--store",
                            store, "--key-file", key, "--json"},
                           "",
                           {{"USBMUXD_SOCKET_ADDRESS", sim.socket_address()},
                            {"RUNTIME_DIRECTORY", tmp.path().string()}});
    }
};

} // namespace

TEST_CASE("scan usbmux: pairs with the iPhone and finds the number in its messages",
          "[ios_device][sim][cli]") {
    Bench bench;
    IosSimProcess sim(bench.sim_args({"--trust", "pending-then-accept", "--pending-answers", "1"}));
    const auto scan = bench.scan(sim);
    INFO(scan.err);
    REQUIRE(scan.exit_code == 0);
    // The person at the phone was asked to tap Trust.
    CHECK(scan.err.find("Tryck på Lita på telefonen") != std::string::npos);
    const Json summary = Json::parse(scan.out);
    CHECK(summary["status"] == "complete");
    CHECK(summary["items"]["photos"] == 2);
    CHECK(summary["items"]["messages"] == 1);

    const auto findings = run_process(
        {dockscan_exe(), "findings", "--store", bench.store, "--key-file", bench.key, "--json"});
    REQUIRE(findings.exit_code == 0);
    const Json list = Json::parse(findings.out);
    REQUIRE(list.size() >= 1);
    bool message = false;
    for (const auto& f : list) {
        if (f["item"]["type"] == "message") {
            message = true;
            CHECK(f["masked"] == "800102-****");
        }
    }
    CHECK(message);
    CHECK(findings.out.find("19800102") == std::string::npos);
}

TEST_CASE("scan usbmux: an iPhone whose person refuses Trust is not scanned, with the reason",
          "[ios_device][sim][cli]") {
    Bench bench;
    IosSimProcess sim(bench.sim_args({"--trust", "refuse"}));
    const auto scan = bench.scan(sim);
    CHECK(scan.exit_code == 1);
    CHECK(scan.err.find("Lita inte på") != std::string::npos);
}
