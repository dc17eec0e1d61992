// `dockscan run` end to end: simulated dockings (the script event source) of simulated
// Android phones (dockscan-adb-sim, the real ADB protocol, sync and backup), several at
// once; one unplugged mid-scan and docked again, one unknown, one that never allows the
// station; and a simulated iPhone (dockscan-ios-sim: usbmuxd, lockdownd with Trust, AFC,
// mobilebackup2) reached through libimobiledevice. Status through `dockscan slots` and
// the status socket, outcomes through the store; SIGTERM ends the daemon cleanly.

#include "agent/daemon/slot_status.hpp"
#include "agent/daemon/unix_socket.hpp"
#include "agent/store/dockings.hpp"
#include "agent/store/store.hpp"
#include "tests/adb_sim/sim_process.hpp"
#include "tests/detectors/image/fixtures.hpp"
#include "tests/docking/adb/adb_fixture.hpp"
#include "tests/docking/ios/phone_db_fixtures.hpp"
#include "tests/ios_sim/sim_process.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace dockscan::testing;
using namespace dockscan::agent;
using daemon::SlotState;
using daemon::SlotStatus;
using Json = nlohmann::json;

namespace {

using DaemonProcess = dockscan::testing::DockscanProcess;

// Connects to a socket the daemon creates, retrying while it starts.
daemon::Fd connect_when_ready(const std::filesystem::path& path) {
    for (int attempt = 0; attempt < 600; ++attempt) {
        if (auto fd = daemon::connect_unix(path)) {
            return std::move(*fd);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("the daemon never listened at " << path);
    return daemon::Fd();
}

// Follows the status socket's snapshots.
class StatusWatch {
public:
    explicit StatusWatch(const std::filesystem::path& socket) : m_fd(connect_when_ready(socket)) {}

    // Reads snapshots until `done` holds for one; returns it.
    std::map<int, SlotStatus>
    until(const std::function<bool(const std::map<int, SlotStatus>&)>& done) {
        while (true) {
            auto header = daemon::read_line(m_fd, m_buffer, 1 << 16, std::chrono::seconds(40));
            REQUIRE(header);
            const Json head = Json::parse(*header);
            REQUIRE(head["type"] == "snapshot");
            std::map<int, SlotStatus> slots;
            for (std::size_t i = 0; i < head["slots"].get<std::size_t>(); ++i) {
                auto line = daemon::read_line(m_fd, m_buffer, 1 << 16, std::chrono::seconds(40));
                REQUIRE(line);
                auto slot = daemon::slot_from_json(Json::parse(*line));
                REQUIRE(slot);
                slots[slot->slot] = *slot;
            }
            int scanning = 0;
            for (const auto& [n, s] : slots) {
                scanning += s.state == SlotState::scanning ? 1 : 0;
            }
            max_scanning = std::max(max_scanning, scanning);
            if (done(slots)) {
                return slots;
            }
        }
    }

    int max_scanning = 0;

private:
    daemon::Fd m_fd;
    std::string m_buffer;
};

bool finished(const SlotStatus& s) {
    return s.state == SlotState::done_clean || s.state == SlotState::done_review ||
           s.state == SlotState::partial || s.state == SlotState::failed ||
           s.state == SlotState::unknown_phone || s.state == SlotState::not_sampled;
}

std::string arrived(const std::string& port, const std::string& serial, const AdbSimProcess& sim) {
    return Json{{"event", "arrived"},
                {"port", port},
                {"kind", "adb"},
                {"serial", serial},
                {"endpoint", "tcp:" + sim.address()}}
               .dump() +
           "\n";
}

std::string left(const std::string& port) {
    return Json{{"event", "left"}, {"port", port}}.dump() + "\n";
}

// A phone's storage: photos and the telephony backup with one message holding a
// Skatteverket test number. Returns the photos' bytes.
std::uint64_t make_phone(const std::filesystem::path& dir, std::uint32_t seed) {
    std::uint64_t bytes = 0;
    for (std::uint32_t i = 0; i < 6; ++i) {
        const std::string jpeg = dockscan::test_images::scene_photo_jpeg(640, 480, seed * 10 + i);
        bytes += jpeg.size();
        write_file(dir / ("sdcard/DCIM/Camera/IMG_000" + std::to_string(i) + ".jpg"), jpeg);
    }
    write_telephony_backup(dir / "telephony.ab");
    return bytes;
}

constexpr const char* k_udid = "00008120-001A2B3C4D5E6F7A";

// An iPhone's camera roll (served over AFC) and the files its backup carries: an SMS with
// a Skatteverket test number and a contact.
void make_iphone(const std::filesystem::path& dir) {
    for (std::uint32_t i = 0; i < 3; ++i) {
        write_file(dir / ("media/DCIM/100APPLE/IMG_000" + std::to_string(i) + ".JPG"),
                   dockscan::test_images::scene_photo_jpeg(640, 480, 70 + i));
    }
    dockscan::testing::SmsDbFixture sms;
    sms.handles.push_back({1, "+46701740605"});
    sms.chats.push_back({1, "+46701740605", 45, {1}});
    sms.messages.push_back({1, "7C1D2E3F-4A5B-4C6D-8E9F-0A1B2C3D4E5F",
                            "Hej! Elsas personnummer är 19800102-2386", std::nullopt, 785'336'520,
                            false, 1, 1});
    write_file(dir / "backup-data/HomeDomain/Library/SMS/sms.db", dockscan::testing::sms_db(sms));
    dockscan::testing::AbPersonRow person{};
    person.rowid = 1;
    person.first = "Elsa";
    person.last = "Lindqvist";
    person.phones = {"070-174 06 05"};
    write_file(dir / "backup-data/HomeDomain/Library/AddressBook/AddressBook.sqlitedb",
               dockscan::testing::address_book_db({person}));
}

std::vector<std::string> iphone_args(const std::filesystem::path& dir,
                                     std::vector<std::string> extra) {
    std::vector<std::string> args = {
        "--state",       (dir / "state").string(),       "--media", (dir / "media").string(),
        "--backup-data", (dir / "backup-data").string(), "--udid",  k_udid};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

std::string iphone_arrived(const std::string& port) {
    // What libusb reports: Apple's vendor id and the UDID without its dash.
    return Json{{"event", "arrived"},
                {"port", port},
                {"kind", "iphone"},
                {"serial", k_udid},
                {"endpoint", std::string("usbmux:") + k_udid}}
               .dump() +
           "\n";
}

struct Scans {
    Store store;
    std::vector<dockings::Row> rows;

    const dockings::Row& row(int slot, const std::string& serial, int nth = 0) const {
        for (const auto& r : rows) {
            if (r.slot == slot && r.serial == serial && nth-- == 0) {
                return r;
            }
        }
        FAIL("no docking " << nth << " of " << serial << " in slot " << slot);
        return rows.front();
    }
    ScanRow scan(const dockings::Row& r) {
        REQUIRE(r.scan_id);
        auto s = store.scan(*r.scan_id);
        REQUIRE(s);
        REQUIRE(*s);
        return **s;
    }
};

// A station for one scenario: a fresh store with its key, `dockscan` admin commands on
// it, a config with the script event source, and the store's dockings afterwards.
struct Station {
    TempDir tmp;
    std::string store = (tmp / "dockscan.db").string();
    std::string key = (tmp / "store.key").string();
    std::string config = (tmp / "dockscan.toml").string();
    std::map<std::string, std::string> env = {{"HOME", (tmp / "home").string()}};

    Station() { admin({"init"}); }

    ProcessResult admin(std::vector<std::string> args) const {
        args.insert(args.begin(), dockscan_exe());
        for (const std::string& a :
             {std::string("--store"), store, std::string("--key-file"), key}) {
            args.push_back(a);
        }
        auto r = run_process(args, "", env);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        return r;
    }

    // `slots_and_policy`: [[slots]] entries and any section beyond store, detectors,
    // status and events.
    // `detectors`: more keys of [detectors].
    void write_config(const std::string& slots_and_policy,
                      const std::string& detectors = {}) const {
        write_file(config, "[store]\npath = \"" + store + "\"\nkey_file = \"" + key + "\"\n" +
                               slots_and_policy + "[detectors]\nocr = false\nworkers = 1\n" +
                               detectors + "[status]\nsocket = \"" +
                               (tmp / "status.sock").string() +
                               "\"\n[events]\nsource = \"script\"\nscript = \"" +
                               (tmp / "events.sock").string() + "\"\n");
    }

    [[nodiscard]] std::unique_ptr<DaemonProcess> start() const {
        return std::make_unique<DaemonProcess>(std::vector<std::string>{"run", "--config", config},
                                               tmp / "daemon.log", env);
    }

    [[nodiscard]] Store open_store() const {
        auto opened_key = StoreKey::from_file(key);
        REQUIRE(opened_key);
        auto opened = Store::open(store, *opened_key, OpenMode::existing);
        REQUIRE(opened);
        return std::move(*opened);
    }

    [[nodiscard]] std::vector<dockings::Row> dockings() const {
        Store opened = open_store();
        auto rows = dockings::list(opened);
        REQUIRE(rows);
        return *rows;
    }
};

} // namespace

TEST_CASE("dockscan run scans docked phones at once and records every outcome", "[daemon][e2e]") {
    TempDir tmp;
    const std::string store = (tmp / "dockscan.db").string();
    const std::string key = (tmp / "store.key").string();
    const std::string config = (tmp / "dockscan.toml").string();
    const std::map<std::string, std::string> env = {{"HOME", (tmp / "home").string()}};
    auto admin = [&](std::vector<std::string> args) {
        args.insert(args.begin(), dockscan_exe());
        for (const char* a : {"--store", store.c_str(), "--key-file", key.c_str()}) {
            args.emplace_back(a);
        }
        const auto r = run_process(args, "", env);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        return r;
    };
    admin({"init"});
    admin({"units", "add", "Hemtjänst Norr", "--area", "Hemtjänst"});
    admin({"phones", "add", "HT-A", "--serial", "SIMA", "--unit", "Hemtjänst Norr"});
    admin({"phones", "add", "HT-B", "--serial", "SIMB", "--unit", "Hemtjänst Norr"});
    admin({"phones", "add", "HT-I", "--serial", k_udid, "--unit", "Hemtjänst Norr"});

    make_phone(tmp / "a", 1);
    const std::uint64_t b_photo_bytes = make_phone(tmp / "b", 2);
    make_phone(tmp / "c", 3);
    const auto backup_size = std::filesystem::file_size(tmp / "b/telephony.ab");
    auto sim = [&](const std::string& phone, const std::string& serial,
                   std::vector<std::string> extra = {}) {
        std::vector<std::string> args = {"--storage", (tmp / phone / "sdcard").string(),
                                         "--backup",  (tmp / phone / "telephony.ab").string(),
                                         "--serial",  serial};
        args.insert(args.end(), extra.begin(), extra.end());
        return std::make_unique<AdbSimProcess>(args);
    };
    auto sim_a = sim("a", "SIMA", {"--auth", "accept"});
    // Phone B goes away halfway through its photos.
    auto sim_b = sim("b", "SIMB",
                     {"--auth", "accept", "--drop-after-bytes",
                      std::to_string(backup_size + b_photo_bytes / 2)});
    auto sim_c = sim("c", "SIMC", {"--auth", "accept"});
    // The iPhone has never met the station: it shows "Trust this computer?" twice
    // before the person taps Trust.
    make_iphone(tmp / "i");
    IosSimProcess iphone_sim(
        iphone_args(tmp / "i", {"--trust", "pending-then-accept", "--pending-answers", "2"}));
    const std::map<std::string, std::string> station_env = {
        {"HOME", (tmp / "home").string()},
        {"USBMUXD_SOCKET_ADDRESS", iphone_sim.socket_address()},
        {"RUNTIME_DIRECTORY", (tmp / "run").string()}};
    std::filesystem::create_directories(tmp / "run");

    write_file(config, "[store]\npath = \"" + store + "\"\nkey_file = \"" + key +
                           "\"\n"
                           "[[slots]]\nport = \"1-1.1\"\nnumber = 1\nlabel = \"Vänster\"\n"
                           "[[slots]]\nport = \"1-1.2\"\nnumber = 2\n"
                           "[[slots]]\nport = \"1-1.3\"\nnumber = 3\n"
                           "[[slots]]\nport = \"1-1.4\"\nnumber = 4\n"
                           "[detectors]\nocr = false\nworkers = 2\n"
                           "[sessions]\nauthorise_timeout_s = 20\ntransfer_timeout_s = 10\n"
                           "[status]\nsocket = \"" +
                           (tmp / "status.sock").string() +
                           "\"\n"
                           "[events]\nsource = \"script\"\nscript = \"" +
                           (tmp / "events.sock").string() + "\"\n");
    DaemonProcess station({"-v", "run", "--config", config}, tmp / "daemon.log", station_env);
    // A failed REQUIRE leaves by an exception: show what the daemon said.
    struct ShowLog {
        std::filesystem::path path;
        ~ShowLog() {
            if (std::uncaught_exceptions() > 0) {
                std::fprintf(stderr, "daemon log:\n%s\n", read_file(path).c_str());
            }
        }
    } show_log{tmp / "daemon.log"};
    StatusWatch watch(tmp / "status.sock");
    // The station's group may read the slots; only the daemon's user drives the events.
    struct stat mode {};
    REQUIRE(::stat((tmp / "status.sock").c_str(), &mode) == 0);
    CHECK((mode.st_mode & 0777) == 0660);
    daemon::Fd events = connect_when_ready(tmp / "events.sock");

    // Three phones docked at once.
    REQUIRE(daemon::write_all(events, arrived("1-1.1", "SIMA", *sim_a) +
                                          arrived("1-1.2", "SIMB", *sim_b) +
                                          arrived("1-1.3", "SIMC", *sim_c)));
    auto slots = watch.until(
        [](const auto& s) { return finished(s.at(1)) && finished(s.at(2)) && finished(s.at(3)); });
    // Both registered phones were scanning at the same time.
    CHECK(watch.max_scanning == 2);
    // The message with the identity number: staff see only that the control is done
    // ([status] show_review is off), not whose phone had findings.
    CHECK(slots.at(1).state == SlotState::done_clean);
    CHECK(daemon::slot_text(slots.at(1)) == "Klar – ta telefonen");
    CHECK(slots.at(2).state == SlotState::partial);
    CHECK(daemon::slot_text(slots.at(2)).find(" – docka igen") != std::string::npos);
    CHECK(slots.at(3).state == SlotState::unknown_phone);

    const auto table = run_process({dockscan_exe(), "slots", "--config", config});
    INFO(table.err);
    REQUIRE(table.exit_code == 0);
    CHECK(table.out.find("Plats") != std::string::npos);
    CHECK(table.out.find("Vänster") != std::string::npos);
    CHECK(table.out.find("Klar – ta telefonen") != std::string::npos);
    CHECK(table.out.find("granskas") == std::string::npos);
    CHECK(table.out.find("Okänd telefon – lämna till chefen") != std::string::npos);
    CHECK(table.out.find("Ledig – docka en telefon") != std::string::npos);
    CHECK(table.out.find("phone") == std::string::npos); // no English reason at the dock
    CHECK(table.out.find("450411") == std::string::npos);

    // B is unplugged, then docked again: a fresh phone on the same storage.
    REQUIRE(daemon::write_all(events, left("1-1.2")));
    watch.until([](const auto& s) { return s.at(2).state == SlotState::idle; });
    sim_b = sim("b", "SIMB", {"--auth", "accept"});
    REQUIRE(daemon::write_all(events, arrived("1-1.2", "SIMB", *sim_b)));
    slots = watch.until([](const auto& s) { return finished(s.at(2)); });
    CHECK((slots.at(2).state == SlotState::done_clean ||
           slots.at(2).state == SlotState::done_review));

    // The iPhone: the slot asks the person to tap Trust, then the phone is scanned
    // through libimobiledevice (AFC photos, messages and contacts from its backup).
    REQUIRE(daemon::write_all(events, iphone_arrived("1-1.4")));
    bool asked_for_trust = false;
    slots = watch.until([&](const auto& s) {
        asked_for_trust =
            asked_for_trust || (s.at(4).state == SlotState::waiting &&
                                daemon::slot_text(s.at(4)) == "Tryck på Lita på telefonen");
        return finished(s.at(4));
    });
    CHECK(asked_for_trust);
    CHECK(slots.at(4).state == SlotState::done_clean);
    CHECK(daemon::slot_text(slots.at(4)) == "Klar – ta telefonen");
    // The staged backup is gone with the session.
    CHECK(std::filesystem::is_empty(tmp / "run"));

    // A docked again, on a phone that does not allow the station: the slot asks for it,
    // and the station stops meanwhile.
    REQUIRE(daemon::write_all(events, left("1-1.1")));
    watch.until([](const auto& s) { return s.at(1).state == SlotState::idle; });
    auto sim_a2 = sim("a", "SIMA", {"--auth", "withhold"});
    REQUIRE(daemon::write_all(events, arrived("1-1.1", "SIMA", *sim_a2)));
    slots = watch.until([](const auto& s) { return s.at(1).state == SlotState::waiting; });
    CHECK(daemon::slot_text(slots.at(1)) == "Tillåt USB-felsökning på telefonen");
    const auto waiting = run_process({dockscan_exe(), "slots", "--config", config});
    CHECK(waiting.out.find("Tillåt USB-felsökning på telefonen") != std::string::npos);

    CHECK(station.terminate() == 0);

    // The store has every docking and what was scanned.
    auto opened_key = StoreKey::from_file(key);
    REQUIRE(opened_key);
    auto opened = Store::open(store, *opened_key, OpenMode::existing);
    REQUIRE(opened);
    Scans scans{std::move(*opened), {}};
    auto rows = dockings::list(scans.store);
    REQUIRE(rows);
    scans.rows = *rows;
    CHECK(scans.rows.size() == 6);
    for (const auto& r : scans.rows) {
        CHECK(r.outcome != dockings::Outcome::running);
    }

    const auto& a = scans.row(1, "SIMA");
    CHECK(a.outcome == dockings::Outcome::complete);
    const ScanRow a_scan = scans.scan(a);
    CHECK(a_scan.status == ScanStatus::complete);
    CHECK(a_scan.findings >= 1);

    const auto& b1 = scans.row(2, "SIMB", 0);
    CHECK(b1.outcome == dockings::Outcome::partial);
    const ScanRow b1_scan = scans.scan(b1);
    CHECK(b1_scan.status == ScanStatus::partial);
    CHECK(b1_scan.counts.errors >= 1);
    CHECK(b1_scan.counts.errors < 7);
    CHECK(b1_scan.findings >= 1); // the message, read before the phone went away

    const auto& b2 = scans.row(2, "SIMB", 1);
    CHECK(b2.outcome == dockings::Outcome::complete);
    const ScanRow b2_scan = scans.scan(b2);
    CHECK(b2_scan.status == ScanStatus::complete);
    // What the first docking scanned is skipped; only what it could not read is scanned.
    CHECK(b2_scan.counts.unchanged == 7 - b1_scan.counts.errors);
    CHECK(b2_scan.counts.errors == 0);

    const auto& c = scans.row(3, "SIMC");
    CHECK(c.outcome == dockings::Outcome::unknown_phone);
    CHECK_FALSE(c.phone_id);
    CHECK_FALSE(c.scan_id);

    const auto& iphone = scans.row(4, k_udid);
    CHECK(iphone.outcome == dockings::Outcome::complete);
    CHECK(iphone.backend == "ios");
    const ScanRow iphone_scan = scans.scan(iphone);
    CHECK(iphone_scan.status == ScanStatus::complete);
    CHECK(iphone_scan.counts.photos == 3);
    CHECK(iphone_scan.counts.messages == 1);
    CHECK(iphone_scan.counts.contacts == 1);

    const auto& a2 = scans.row(1, "SIMA", 1);
    CHECK(a2.outcome == dockings::Outcome::partial);
    CHECK(a2.reason == "stopped: station shutting down");

    // The unknown phone was never scanned: the store does not know it.
    const auto phones = run_process(
        {dockscan_exe(), "phones", "list", "--store", store, "--key-file", key, "--json"});
    CHECK(phones.out.find("SIMC") == std::string::npos);
    const auto findings =
        run_process({dockscan_exe(), "findings", "--store", store, "--key-file", key, "--json"});
    REQUIRE(findings.exit_code == 0);
    const Json list = Json::parse(findings.out);
    INFO(findings.out);
    // The message of A, of B and of the iPhone (photos may have findings of their own).
    int messages = 0;
    for (const auto& f : list) {
        if (f["item"]["type"] == "message") {
            ++messages;
            CHECK((f["masked"] == "450411-****" || f["masked"] == "800102-****"));
        }
    }
    CHECK(messages == 3);
}

TEST_CASE("an iPhone whose person taps Don't Trust is recorded with the reason, not scanned",
          "[daemon][e2e][ios]") {
    Station station;
    station.admin({"units", "add", "LSS Söder", "--area", "Funktionsstöd"});
    station.admin({"phones", "add", "LSS-1", "--serial", k_udid, "--unit", "LSS Söder"});
    make_iphone(station.tmp / "i");
    IosSimProcess iphone_sim(iphone_args(station.tmp / "i", {"--trust", "refuse"}));
    station.env["USBMUXD_SOCKET_ADDRESS"] = iphone_sim.socket_address();
    station.write_config("[[slots]]\nport = \"2-1\"\nnumber = 1\n");
    auto daemon = station.start();
    StatusWatch watch(station.tmp / "status.sock");
    daemon::Fd events = connect_when_ready(station.tmp / "events.sock");
    REQUIRE(daemon::write_all(events, iphone_arrived("2-1")));
    const auto slots = watch.until([](const auto& s) { return finished(s.at(1)); });
    CHECK(slots.at(1).state == SlotState::failed);
    // The person said no on the phone: the slot says what to do about it.
    CHECK(slots.at(1).trouble == daemon::Trouble::refused);
    CHECK(daemon::slot_text(slots.at(1)) == "Nekad – docka igen och godkänn");
    CHECK(daemon->terminate() == 0);

    const auto rows = station.dockings();
    REQUIRE(rows.size() == 1);
    CHECK(rows.front().outcome == dockings::Outcome::failed);
    CHECK_THAT(rows.front().reason, Catch::Contains("Lita inte på"));
    // Nothing of the phone was read: no photo, no message.
    const auto findings = station.admin({"findings", "--json"});
    CHECK(Json::parse(findings.out).empty());
}

TEST_CASE(
    "a locked iPhone that refuses its backup: photos scanned, docking partial with the reason",
    "[daemon][e2e][ios]") {
    Station station;
    station.admin({"units", "add", "IFO Barn", "--area", "IFO"});
    station.admin({"phones", "add", "IFO-7", "--serial", k_udid, "--unit", "IFO Barn"});
    make_iphone(station.tmp / "i");
    // The person taps Trust at once (the simulator's default) but leaves the phone
    // locked, so it refuses the backup after its passcode prompt.
    IosSimProcess iphone_sim(iphone_args(station.tmp / "i", {"--backup", "locked"}));
    const auto run_dir = station.tmp / "run";
    std::filesystem::create_directories(run_dir);
    station.env["USBMUXD_SOCKET_ADDRESS"] = iphone_sim.socket_address();
    station.env["RUNTIME_DIRECTORY"] = run_dir.string();
    station.write_config("[[slots]]\nport = \"2-2\"\nnumber = 1\n");
    auto daemon = station.start();
    StatusWatch watch(station.tmp / "status.sock");
    daemon::Fd events = connect_when_ready(station.tmp / "events.sock");
    REQUIRE(daemon::write_all(events, iphone_arrived("2-2")));
    bool asked_for_passcode = false;
    const auto slots = watch.until([&](const auto& s) {
        asked_for_passcode =
            asked_for_passcode || daemon::slot_text(s.at(1)) == "Ange lösenkod på telefonen";
        return finished(s.at(1));
    });
    CHECK(asked_for_passcode);
    CHECK(slots.at(1).state == SlotState::partial);
    CHECK(daemon->terminate() == 0);

    Store store = station.open_store();
    auto rows = dockings::list(store);
    REQUIRE(rows);
    REQUIRE(rows->size() == 1);
    CHECK(rows->front().outcome == dockings::Outcome::partial);
    CHECK_THAT(rows->front().reason, Catch::Contains("Telefonen är låst"));
    REQUIRE(rows->front().scan_id);
    auto scan = store.scan(*rows->front().scan_id);
    REQUIRE(scan);
    REQUIRE(*scan);
    // The photos were checked; the messages could not be.
    CHECK((*scan)->counts.photos == 3);
    CHECK((*scan)->counts.messages == 0);
    CHECK(std::filesystem::is_empty(run_dir));
}

TEST_CASE("with the quota policy, phones of a unit whose share is controlled are not scanned",
          "[daemon][e2e][sampling]") {
    Station station;
    const auto& tmp = station.tmp;
    station.admin({"units", "add", "SÄBO Ekbacken", "--area", "SÄBO"});
    station.admin({"phones", "add", "EK-1", "--serial", "SIMQA", "--unit", "SÄBO Ekbacken"});
    station.admin({"phones", "add", "EK-2", "--serial", "SIMQB", "--unit", "SÄBO Ekbacken"});
    // This quarter EK-1 already had its full control (a supervisor scanned it by hand):
    // with 2 phones and a share of 20 %, the unit's quota of 1 is met.
    make_phone(tmp / "a", 5);
    station.admin({"scan", (tmp / "a/sdcard").string(), "--phone", "EK-1"});
    make_phone(tmp / "b", 6);
    auto sim_a = std::make_unique<AdbSimProcess>(std::vector<std::string>{
        "--storage", (tmp / "a/sdcard").string(), "--backup", (tmp / "a/telephony.ab").string(),
        "--serial", "SIMQA", "--auth", "accept"});
    auto sim_b = std::make_unique<AdbSimProcess>(std::vector<std::string>{
        "--storage", (tmp / "b/sdcard").string(), "--backup", (tmp / "b/telephony.ab").string(),
        "--serial", "SIMQB", "--auth", "accept"});
    station.write_config("[[slots]]\nport = \"3-1\"\nnumber = 1\n"
                         "[[slots]]\nport = \"3-2\"\nnumber = 2\n"
                         "[sampling]\npolicy = \"quota\"\nshare = 0.20\nseed = 7\n");
    auto daemon = station.start();
    StatusWatch watch(tmp / "status.sock");
    daemon::Fd events = connect_when_ready(tmp / "events.sock");
    REQUIRE(daemon::write_all(events,
                              arrived("3-1", "SIMQA", *sim_a) + arrived("3-2", "SIMQB", *sim_b)));
    const auto slots =
        watch.until([](const auto& s) { return finished(s.at(1)) && finished(s.at(2)); });
    CHECK(slots.at(1).state == SlotState::not_sampled);
    CHECK(slots.at(2).state == SlotState::not_sampled);
    CHECK(daemon::slot_text(slots.at(2)) == "Ingen kontroll i dag – ta telefonen");
    CHECK(watch.max_scanning == 0);
    CHECK(daemon->terminate() == 0);

    const auto rows = station.dockings();
    REQUIRE(rows.size() == 2);
    for (const auto& r : rows) {
        CHECK(r.outcome == dockings::Outcome::not_sampled);
        CHECK(r.phone_id);
        CHECK_FALSE(r.scan_id); // nothing was read from the phone
    }
}

TEST_CASE("dockscan run purges evidence older than the retention when it starts",
          "[daemon][e2e][retention]") {
    Station station;
    const auto& tmp = station.tmp;
    make_phone(tmp / "a", 8);
    write_file(tmp / "a/sdcard/Documents/overlamning.txt",
               "Ny brukare: Elsa, personnummer 19450411-8359, nyckel i skåpet.\n");
    station.admin({"units", "add", "Hemtjänst Rosen", "--area", "Hemtjänst"});
    station.admin({"phones", "add", "HT-R", "--unit", "Hemtjänst Rosen"});
    station.admin({"scan", (tmp / "a/sdcard").string(), "--phone", "HT-R"});
    {
        // The scan happened two years ago.
        Store store = station.open_store();
        auto aged =
            store.database().prepare("UPDATE findings SET created_at = '2024-11-01T10:00:00Z'");
        REQUIRE(aged);
        REQUIRE(aged->step());
        auto findings = store.findings();
        REQUIRE(findings);
        REQUIRE_FALSE(findings->empty());
        CHECK_FALSE(findings->front().masked.empty());
    }
    station.write_config("[[slots]]\nport = \"3-1\"\nnumber = 1\n[retention]\ndays = 365\n");
    auto daemon = station.start();
    (void)connect_when_ready(tmp / "events.sock");
    CHECK(daemon->terminate() == 0);

    Store store = station.open_store();
    auto findings = store.findings();
    REQUIRE(findings);
    REQUIRE_FALSE(findings->empty());
    for (const FindingRow& f : *findings) {
        INFO(f.kind);
        CHECK(f.masked.empty());
        CHECK(f.excerpt.empty());
        CHECK(f.item_label.empty());
        CHECK_FALSE(f.category.empty()); // what the report counts is kept
    }
    const std::string log = read_file(tmp / "daemon.log");
    CHECK(log.find("retention: purged the evidence of " + std::to_string(findings->size()) +
                   " findings") != std::string::npos);
}

TEST_CASE("dockscan run speaks systemd's notify protocol (Type=notify, WatchdogSec)",
          "[daemon][e2e]") {
    TempDir tmp;
    const std::string store = (tmp / "dockscan.db").string();
    const std::string key = (tmp / "store.key").string();
    const std::string config = (tmp / "dockscan.toml").string();
    REQUIRE(run_process({dockscan_exe(), "init", "--store", store, "--key-file", key}).exit_code ==
            0);
    write_file(config, "[store]\npath = \"" + store + "\"\nkey_file = \"" + key +
                           "\"\n[[slots]]\nport = \"1-1\"\nnumber = 1\n"
                           "[status]\nsocket = \"" +
                           (tmp / "status.sock").string() +
                           "\"\n[events]\nsource = \"script\"\nscript = \"" +
                           (tmp / "events.sock").string() + "\"\n");

    // systemd's side: a datagram socket named by NOTIFY_SOCKET.
    const std::string notify_path = (tmp / "notify.sock").string();
    daemon::Fd notify(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    REQUIRE(notify);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    REQUIRE(notify_path.size() < sizeof addr.sun_path);
    std::memcpy(addr.sun_path, notify_path.data(), notify_path.size());
    REQUIRE(::bind(notify.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
    const timeval wait{30, 0};
    REQUIRE(::setsockopt(notify.get(), SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait) == 0);
    auto receive = [&] {
        char buffer[4096];
        const ssize_t n = ::recv(notify.get(), buffer, sizeof buffer, 0);
        REQUIRE(n > 0);
        return std::string(buffer, static_cast<std::size_t>(n));
    };

    DaemonProcess station({"run", "--config", config}, tmp / "daemon.log",
                          {{"HOME", (tmp / "home").string()},
                           {"NOTIFY_SOCKET", notify_path},
                           {"WATCHDOG_USEC", "200000"}});
    bool ready = false;
    bool status = false;
    int pings = 0;
    while (!ready || !status || pings < 2) {
        const std::string message = receive();
        ready = ready || message.find("READY=1") != std::string::npos;
        status = status || message.find("STATUS=1 slots") != std::string::npos;
        pings += message.find("WATCHDOG=1") != std::string::npos ? 1 : 0;
    }
    CHECK(station.terminate() == 0);
    bool stopping = false;
    for (int i = 0; i < 100 && !stopping; ++i) {
        stopping = receive().find("STOPPING=1") != std::string::npos;
    }
    CHECK(stopping);
}

namespace {

// The analysis workers of the daemon `pid`: its children.
std::vector<pid_t> workers_of(pid_t pid) {
    std::vector<pid_t> pids;
    for (const auto& task :
         std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
        std::ifstream in(task.path() / "children");
        pid_t child = 0;
        while (in >> child) {
            pids.push_back(child);
        }
    }
    return pids;
}

// Waits for the daemon's one worker to be sandboxed (its filter applied once its models
// are loaded) and returns it.
pid_t sandboxed_worker(pid_t daemon) {
    for (int attempt = 0; attempt < 1200; ++attempt) {
        const auto pids = workers_of(daemon);
        if (pids.size() == 1 &&
            read_file("/proc/" + std::to_string(pids.front()) + "/status").find("Seccomp:\t2") !=
                std::string::npos) {
            return pids.front();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("the daemon has no sandboxed worker");
    return -1;
}

} // namespace

TEST_CASE("dockscan run survives analysis workers that crash or go over their memory limit",
          "[daemon][e2e][sandbox]") {
    Station station;
    station.admin({"units", "add", "Hemtjänst Öst", "--area", "Hemtjänst"});
    station.admin({"phones", "add", "HT-S", "--serial", "SIMS", "--unit", "Hemtjänst Öst"});
    const auto phone = station.tmp / "s";
    make_phone(phone, 5);
    // Test-only markers (agent/sandbox/worker.cpp) after two photos' last bytes: one
    // crashes its worker, one allocates until the worker's limit.
    write_file(phone / "sdcard/DCIM/Camera/IMG_0100.jpg",
               dockscan::test_images::scene_photo_jpeg(640, 480, 51) +
                   "DOCKSCAN-TEST-SANDBOX:crash");
    write_file(phone / "sdcard/DCIM/Camera/IMG_0101.jpg",
               dockscan::test_images::scene_photo_jpeg(640, 480, 52) +
                   "DOCKSCAN-TEST-SANDBOX:allocate");
    AdbSimProcess sim({"--storage", (phone / "sdcard").string(), "--backup",
                       (phone / "telephony.ab").string(), "--serial", "SIMS", "--auth", "accept"});
    station.env["DOCKSCAN_TEST_SANDBOX_TRIGGERS"] = "1";
    station.env["DOCKSCAN_TEST_SECRET"] = "store-key-material";
    station.write_config("[[slots]]\nport = \"4-1\"\nnumber = 1\n", "worker_memory_mb = 64\n");
    auto daemon = station.start();
    StatusWatch watch(station.tmp / "status.sock");
    daemon::Fd events = connect_when_ready(station.tmp / "events.sock");

    // The worker, started with the daemon: filtered, and with nothing of the daemon's,
    // neither its environment nor its descriptors (the store, the sockets).
    const pid_t worker = sandboxed_worker(daemon->pid());
    const std::string worker_env = read_file("/proc/" + std::to_string(worker) + "/environ");
    CHECK(worker_env.find("store-key-material") == std::string::npos);
    CHECK(worker_env.find("HOME=") == std::string::npos);
    // 0 is /dev/null, 1 and 2 the daemon's journal (here its log), 3 the worker's socket.
    std::map<std::string, std::string> fds;
    for (const auto& fd :
         std::filesystem::directory_iterator("/proc/" + std::to_string(worker) + "/fd")) {
        fds[fd.path().filename().string()] = std::filesystem::read_symlink(fd.path()).string();
    }
    REQUIRE(fds.size() == 4);
    CHECK(fds["0"] == "/dev/null");
    CHECK(fds["1"] == (station.tmp / "daemon.log").string());
    CHECK(fds["2"] == (station.tmp / "daemon.log").string());
    CHECK(fds["3"].starts_with("socket:"));

    REQUIRE(daemon::write_all(events, arrived("4-1", "SIMS", sim)));
    const auto slots = watch.until([](const auto& s) { return finished(s.at(1)); });
    // Two photos could not be analysed: the person at the dock is asked to dock again.
    CHECK(slots.at(1).state == SlotState::partial);
    CHECK(daemon::slot_text(slots.at(1)) == "Ofullständig – docka igen");
    // The station goes on, with a new sandboxed worker.
    const pid_t next = sandboxed_worker(daemon->pid());
    CHECK(next != worker);
    CHECK(daemon->terminate() == 0);

    Store store = station.open_store();
    auto rows = dockings::list(store);
    REQUIRE(rows);
    REQUIRE(rows->size() == 1);
    REQUIRE(rows->front().scan_id);
    auto failed = store.failed_items(*rows->front().scan_id);
    REQUIRE(failed);
    std::map<std::string, std::string> reasons;
    for (const FailedItem& item : *failed) {
        reasons[std::filesystem::path(item.ref).filename().string()] = item.reason;
    }
    CHECK(reasons ==
          std::map<std::string, std::string>{{"IMG_0100.jpg", "analysis crashed (SIGSEGV)"},
                                             {"IMG_0101.jpg", "over the memory limit"}});
    auto scan = store.scan(*rows->front().scan_id);
    REQUIRE(scan);
    REQUIRE(*scan);
    CHECK((*scan)->counts.photos == 8);
    CHECK((*scan)->counts.errors == 2);
    // The message's identity number, analysed by a worker after the crashes, is recorded.
    const auto findings = station.admin({"findings", "--json"});
    bool message_found = false;
    for (const Json& f : Json::parse(findings.out)) {
        message_found = message_found || f["masked"] == "450411-****";
    }
    CHECK(message_found);
}
