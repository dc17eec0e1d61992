// dockscan's iPhone backend, through Debian's libimobiledevice 1.3.0, against the
// simulated iPhone (tests/ios_sim), which libimobiledevice reaches through
// USBMUXD_SOCKET_ADDRESS as it would reach usbmuxd.

#include "docking/ios_device/ios_device_connector.hpp"
#include "docking/ios_device/photo_availability.hpp"
#include "tests/docking/ios/phone_db_fixtures.hpp"
#include "tests/ios_sim/sim_process.hpp"
#include "tests/support/patterned_bytes.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace {

using Catch::Matchers::Contains;
using namespace dockscan::docking;
using dockscan::testing::IosSimProcess;
using dockscan::testing::TempDir;
using dockscan::testing::write_file;
namespace fs = std::filesystem;

constexpr const char* k_udid = "00008120-001A2B3C4D5E6F7A";

using dockscan::testing::patterned_bytes;

// The simulated phone's storage and the simulator, reached through its socket.
struct Phone {
    TempDir dir;
    fs::path media = dir / "media";
    fs::path state = dir / "state";
    std::optional<IosSimProcess> sim;
    std::optional<std::string> saved_socket;

    Phone() { fs::create_directories(media / "DCIM"); }
    Phone(const Phone&) = delete;
    Phone& operator=(const Phone&) = delete;
    ~Phone() {
        if (saved_socket) {
            ::setenv("USBMUXD_SOCKET_ADDRESS", saved_socket->c_str(), 1);
        } else {
            ::unsetenv("USBMUXD_SOCKET_ADDRESS");
        }
    }

    void start(std::vector<std::string> extra = {}) {
        std::vector<std::string> args = {"--state",      state.string(), "--media",
                                         media.string(), "--udid",       k_udid};
        args.insert(args.end(), extra.begin(), extra.end());
        sim.emplace(args);
        if (const char* old = std::getenv("USBMUXD_SOCKET_ADDRESS")) {
            saved_socket = old;
        }
        // libusbmuxd reads it whenever it connects.
        ::setenv("USBMUXD_SOCKET_ADDRESS", sim->socket_address().c_str(), 1);
    }
};

DockEvent docked() {
    DockEvent event;
    event.type = DockEvent::Type::arrived;
    event.port = "1-1.4";
    event.kind = PhoneKind::iphone;
    event.serial = "00008120001A2B3C4D5E6F7A"; // the USB serial has no dash
    event.vendor = 0x05ac;
    event.product = 0x12a8;
    event.endpoint = std::string("usbmux:") + k_udid;
    return event;
}

struct Progress final : ConnectProgress {
    std::vector<std::string> events;
    void waiting(PhoneWait what) override {
        events.emplace_back(what == PhoneWait::trust_computer   ? "trust_computer"
                            : what == PhoneWait::enter_passcode ? "enter_passcode"
                                                                : "other");
    }
    void resumed() override { events.emplace_back("resumed"); }
};

using Collector = CollectedItems;

ios_device::IosConnectorOptions
options(ios_device::MessageBackup messages = ios_device::MessageBackup::skip) {
    ios_device::IosConnectorOptions o;
    o.trust_timeout = std::chrono::seconds(30);
    o.passcode_timeout = std::chrono::seconds(20);
    o.appear_timeout = std::chrono::seconds(5);
    o.messages = messages;
    return o;
}

// Options that pull the messages through a backup staged under `staging` (created).
ios_device::IosConnectorOptions pulling_backup_into(const fs::path& staging) {
    fs::create_directories(staging);
    auto o = options(ios_device::MessageBackup::pull);
    o.staging_parent = staging;
    return o;
}

Expected<std::unique_ptr<PhoneSource>> connect(Progress& progress,
                                               ios_device::IosConnectorOptions o = options()) {
    auto connector = ios_device::ios_device_connector(std::move(o));
    return connector->connect(docked(), progress, std::stop_token{});
}

} // namespace

TEST_CASE("an iPhone not paired yet is paired once the person taps Trust", "[ios_device][sim]") {
    Phone phone;
    phone.start({"--trust", "pending-then-accept", "--pending-answers", "2"});
    Progress progress;
    auto source = connect(progress);
    REQUIRE(source);
    CHECK(progress.events == std::vector<std::string>{"trust_computer", "resumed"});

    const SourceInfo info = (*source)->describe();
    CHECK(info.kind == "iphone");
    CHECK(info.location == std::string("usbmux:") + k_udid);
    CHECK(info.udid == k_udid);
    CHECK(info.serial == "DNPZK1ABN72J");
    CHECK(info.name == "Simulerad iPhone");
    CHECK(info.os_version == "17.5");
    CHECK(info.model == "iPhone15,4");
    CHECK(fs::exists(phone.state / "usbmuxd" / (std::string(k_udid) + ".plist")));

    // The next docking finds the pairing kept and valid: nobody is asked again.
    source->reset();
    Progress again;
    auto second = connect(again);
    REQUIRE(second);
    CHECK(again.events.empty());
}

TEST_CASE("an iPhone whose person chooses Don't Trust is not scanned", "[ios_device][sim]") {
    Phone phone;
    phone.start({"--trust", "refuse"});
    Progress progress;
    auto source = connect(progress);
    REQUIRE_FALSE(source);
    CHECK(source.error().code == ErrorCode::not_authorised);
    CHECK_THAT(source.error().message,
               Contains("Telefonen litar inte på stationen (Lita inte på valdes)"));
    CHECK_FALSE(fs::exists(phone.state / "usbmuxd" / (std::string(k_udid) + ".plist")));
}

TEST_CASE("a Trust dialog nobody answers ends the docking in time", "[ios_device][sim]") {
    Phone phone;
    phone.start({"--trust", "pending-then-accept", "--pending-answers", "1000"});
    Progress progress;
    auto o = options();
    o.trust_timeout = std::chrono::seconds(2);
    auto source = connect(progress, o);
    REQUIRE_FALSE(source);
    CHECK(source.error().code == ErrorCode::timed_out);
    CHECK_THAT(source.error().message, Contains("Lita på"));
    CHECK(progress.events == std::vector<std::string>{"trust_computer"});
}

TEST_CASE("photos are listed and read through AFC as they are on the phone", "[ios_device][sim]") {
    Phone phone;
    const std::string jpg = patterned_bytes(200'000, 1);
    const std::string heic = patterned_bytes(70'000, 2);
    const std::string png = patterned_bytes(5'000, 3);
    write_file(phone.media / "DCIM/100APPLE/IMG_0001.JPG", jpg);
    write_file(phone.media / "DCIM/100APPLE/IMG_0001.AAE", "<plist/>");
    write_file(phone.media / "DCIM/100APPLE/IMG_0002.HEIC", heic);
    write_file(phone.media / "DCIM/100APPLE/IMG_0003.HEIC", ""); // kept only in iCloud
    write_file(phone.media / "DCIM/101APPLE/IMG_0100.PNG", png);
    using dockscan::testing::PhotosSchema;
    write_file(phone.media / "PhotoData/Photos.sqlite",
               dockscan::testing::photos_db(PhotosSchema::ios17,
                                            {{1, "DCIM/100APPLE", "IMG_0001.JPG", false, 2},
                                             {2, "DCIM/100APPLE", "IMG_0002.HEIC", true, 0},
                                             // Only in iCloud: no file in DCIM at all.
                                             {3, "DCIM/100APPLE", "IMG_0004.HEIC", false, 1}}));
    phone.start();
    Progress progress;
    auto source = connect(progress);
    REQUIRE(source);

    Collector listed;
    REQUIRE((*source)->list(listed, std::stop_token{}));
    std::map<std::string, ItemInfo> by_ref;
    for (const ItemInfo& item : listed.items) {
        CHECK(item.type == ItemType::photo);
        by_ref.emplace(item.ref, item);
    }
    REQUIRE(by_ref.size() == 3);
    const ItemInfo& first = by_ref.at("DCIM/100APPLE/IMG_0001.JPG");
    CHECK(first.size == jpg.size());
    CHECK(first.label == "Bild DCIM/100APPLE/IMG_0001.JPG");
    // AFC gives nanoseconds; items carry Unix seconds (the file was written just now).
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    CHECK(first.mtime > now - 3600);
    CHECK(first.mtime <= now + 60);
    REQUIRE(first.photo_hints);
    CHECK(first.photo_hints->faces == 2u);
    CHECK(first.photo_hints->screenshot == false);
    const ItemInfo& second = by_ref.at("DCIM/100APPLE/IMG_0002.HEIC");
    REQUIRE(second.photo_hints);
    CHECK(second.photo_hints->screenshot == true);
    CHECK(by_ref.at("DCIM/101APPLE/IMG_0100.PNG").size == png.size());

    REQUIRE(listed.problems.size() == 2);
    CHECK(listed.problems[0].ref == "DCIM/100APPLE/IMG_0003.HEIC");
    CHECK(listed.problems[0].reason == std::string(ios_device::k_icloud_only));
    CHECK(listed.problems[1].ref == "DCIM/100APPLE/IMG_0004.HEIC");
    CHECK(listed.problems[1].reason == std::string(ios_device::k_icloud_only));

    const std::map<std::string, std::string> expected = {{"DCIM/100APPLE/IMG_0001.JPG", jpg},
                                                         {"DCIM/100APPLE/IMG_0002.HEIC", heic},
                                                         {"DCIM/101APPLE/IMG_0100.PNG", png}};
    for (const auto& [ref, bytes] : expected) {
        auto content = (*source)->read(by_ref.at(ref));
        REQUIRE(content);
        CHECK(content->kind == ContentKind::image);
        CHECK(content->data == bytes);
    }
}

TEST_CASE("a phone unplugged while a photo is read interrupts the scan, the listing stays",
          "[ios_device][sim]") {
    Phone phone;
    write_file(phone.media / "DCIM/100APPLE/IMG_0001.JPG", patterned_bytes(300'000, 4));
    write_file(phone.media / "DCIM/100APPLE/IMG_0002.JPG", patterned_bytes(1'000, 5));
    phone.start({"--drop-after-bytes", "100000"});
    Progress progress;
    auto source = connect(progress);
    REQUIRE(source);
    Collector listed;
    REQUIRE((*source)->list(listed, std::stop_token{}));
    REQUIRE(listed.items.size() == 2);

    auto content = (*source)->read(listed.items[0]);
    REQUIRE_FALSE(content);
    CHECK(content.error().code == ErrorCode::interrupted);
    CHECK_THAT(content.error().message, Contains("Telefonen kopplades ur"));
    // Gone for good: the next read says so too, and is no iCloud photo.
    auto next = (*source)->read(listed.items[1]);
    REQUIRE_FALSE(next);
    CHECK(next.error().code == ErrorCode::interrupted);
    CHECK(listed.items[0].ref == "DCIM/100APPLE/IMG_0001.JPG");
}

// Pulls the cable after `after` items: the simulator goes away as a phone does.
struct UnplugAfter final : ItemSink {
    Collector& listed;
    pid_t sim;
    std::size_t after;
    UnplugAfter(Collector& c, pid_t p, std::size_t n) : listed(c), sim(p), after(n) {}
    void item(const ItemInfo& info) override {
        listed.item(info);
        if (listed.items.size() == after) {
            // Not reaped here: IosSimProcess waits for it, so its pid stays ours.
            ::kill(sim, SIGKILL);
        }
    }
    void problem(const ItemProblem& p) override { listed.problem(p); }
};

TEST_CASE("a phone unplugged while it is listed keeps what was listed", "[ios_device][sim]") {
    Phone phone;
    std::vector<std::string> refs;
    for (int folder = 100; folder < 104; ++folder) {
        for (int n = 1; n <= 5; ++n) {
            const std::string ref = "DCIM/" + std::to_string(folder) + "APPLE/IMG_0" +
                                    std::to_string(folder) + std::to_string(n) + ".JPG";
            write_file(phone.media / ref,
                       patterned_bytes(100, static_cast<unsigned>(folder * 10 + n)));
            refs.push_back(ref);
        }
    }
    phone.start();
    Progress progress;
    auto source = connect(progress);
    REQUIRE(source);
    Collector listed;
    UnplugAfter unplug(listed, phone.sim->pid(), 7);
    auto result = (*source)->list(unplug, std::stop_token{});
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::interrupted);
    CHECK_THAT(result.error().message, Contains("Telefonen kopplades ur"));
    // What was listed before is what is on the phone, in order, and stays valid.
    REQUIRE(listed.items.size() == 7);
    for (std::size_t i = 0; i < listed.items.size(); ++i) {
        CHECK(listed.items[i].ref == refs[i]);
        CHECK(listed.items[i].size == 100);
    }
}

TEST_CASE("a locked phone refusing the backup is a recorded reason, photos stay listed",
          "[ios_device][sim][backup]") {
    Phone phone;
    write_file(phone.media / "DCIM/100APPLE/IMG_0001.JPG", patterned_bytes(2'000, 6));
    phone.start({"--backup", "locked"});
    Progress progress;
    auto source = connect(progress, options(ios_device::MessageBackup::pull));
    REQUIRE(source);
    Collector listed;
    auto result = (*source)->list(listed, std::stop_token{});
    for (const ItemProblem& p : listed.problems) {
        UNSCOPED_INFO(p.ref << ": " << p.reason);
    }
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::device_locked);
    CHECK_THAT(result.error().message, Contains("lås upp"));
    CHECK(listed.items.size() == 1);
    // iOS 17.5 asks for the passcode before a backup.
    CHECK(progress.events.front() == "enter_passcode");
}

TEST_CASE("a phone refusing the backup is a recorded reason", "[ios_device][sim][backup]") {
    Phone phone;
    phone.start({"--backup", "refuse"});
    Progress progress;
    auto source = connect(progress, options(ios_device::MessageBackup::pull));
    REQUIRE(source);
    Collector listed;
    auto result = (*source)->list(listed, std::stop_token{});
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::not_authorised);
    CHECK_THAT(result.error().message, Contains("Telefonen nekade säkerhetskopian"));
}

TEST_CASE("messages and contacts come from a backup staged privately and removed after",
          "[ios_device][sim][backup]") {
    Phone phone;
    write_file(phone.media / "DCIM/100APPLE/IMG_0001.JPG", patterned_bytes(3'000, 7));
    const fs::path data = phone.dir / "backup-data";
    const std::string guid = "7C1D2E3F-4A5B-4C6D-8E9F-0A1B2C3D4E5F";
    const std::string text = "Hej! Elsas personnummer är 19800102-2386";
    dockscan::testing::SmsDbFixture sms;
    sms.handles.push_back({1, "+46701740605"});
    sms.chats.push_back({1, "+46701740605", 45, {1}});
    // 2026-11-20 13:02 UTC in seconds since 2001.
    sms.messages.push_back({1, guid, text, std::nullopt, 785'336'520, false, 1, 1});
    write_file(data / "HomeDomain/Library/SMS/sms.db", dockscan::testing::sms_db(sms));
    dockscan::testing::AbPersonRow person{};
    person.rowid = 1;
    person.first = "Elsa";
    person.last = "Lindqvist";
    person.phones = {"070-174 06 05"};
    write_file(data / "HomeDomain/Library/AddressBook/AddressBook.sqlitedb",
               dockscan::testing::address_book_db({person}));
    // The camera roll is in the backup too; AFC lists it, so it is not listed twice.
    write_file(data / "CameraRollDomain/Media/DCIM/100APPLE/IMG_0001.JPG",
               patterned_bytes(3'000, 7));
    phone.start({"--backup-data", data.string()});

    const fs::path staging = phone.dir / "staging";
    Progress progress;
    auto source = connect(progress, pulling_backup_into(staging));
    REQUIRE(source);
    Collector listed;
    const auto result = (*source)->list(listed, std::stop_token{});
    for (const ItemProblem& p : listed.problems) {
        UNSCOPED_INFO(p.ref << ": " << p.reason);
    }
    REQUIRE(result);
    CHECK(progress.events == std::vector<std::string>{"enter_passcode", "resumed"});

    std::map<std::string, ItemInfo> by_ref;
    for (const ItemInfo& item : listed.items) {
        by_ref.emplace(item.ref, item);
    }
    CHECK(by_ref.size() == 3);
    CHECK(by_ref.count("DCIM/100APPLE/IMG_0001.JPG") == 1);
    REQUIRE(by_ref.count("sms:" + guid) == 1);
    REQUIRE(by_ref.count("contact:1") == 1);
    auto message = (*source)->read(by_ref.at("sms:" + guid));
    REQUIRE(message);
    CHECK(message->data == text);
    auto contact = (*source)->read(by_ref.at("contact:1"));
    REQUIRE(contact);
    REQUIRE(contact->name);
    CHECK(contact->name->family == "Lindqvist");

    // The staged backup is private while it exists, and gone with the source.
    REQUIRE(std::distance(fs::directory_iterator(staging), fs::directory_iterator()) == 1);
    const fs::path folder = fs::directory_iterator(staging)->path();
    CHECK((fs::status(folder).permissions() & fs::perms::all) == fs::perms::owner_all);
    source->reset();
    CHECK(fs::is_empty(staging));
}

TEST_CASE("a dock event with only the USB serial finds the phone", "[ios_device][sim]") {
    Phone phone;
    phone.start();
    DockEvent event = docked();
    event.endpoint.clear(); // the serial has no dash; usbmuxd's UDID has one
    Progress progress;
    auto connector = ios_device::ios_device_connector(options());
    auto source = connector->connect(event, progress, std::stop_token{});
    REQUIRE(source);
    CHECK((*source)->describe().udid == k_udid);
}

TEST_CASE("a phone that forgot the station is paired again at the next docking",
          "[ios_device][sim]") {
    Phone phone;
    phone.start();
    Progress first;
    REQUIRE(connect(first));
    // Settings > General > Transfer or Reset > Reset Location & Privacy: the phone
    // drops its pairing records, the station still has its own.
    for (const auto& entry : fs::directory_iterator(phone.state / "lockdown")) {
        fs::remove(entry.path());
    }
    Progress second;
    auto source = connect(second);
    REQUIRE(source);
    CHECK((*source)->describe().serial == "DNPZK1ABN72J");
    CHECK_FALSE(fs::is_empty(phone.state / "lockdown"));
}

TEST_CASE("a phone unplugged during the backup interrupts the scan, photos stay listed",
          "[ios_device][sim][backup]") {
    Phone phone;
    write_file(phone.media / "DCIM/100APPLE/IMG_0001.JPG", patterned_bytes(2'000, 8));
    const fs::path data = phone.dir / "backup-data";
    write_file(data / "HomeDomain/Library/SMS/sms.db", patterned_bytes(200'000, 9));
    phone.start({"--backup-data", data.string(), "--drop-after-bytes", "100000"});
    const fs::path staging = phone.dir / "staging";
    Progress progress;
    auto source = connect(progress, pulling_backup_into(staging));
    REQUIRE(source);
    Collector listed;
    const auto result = (*source)->list(listed, std::stop_token{});
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::interrupted);
    CHECK_THAT(result.error().message, Contains("Telefonen kopplades ur"));
    REQUIRE(listed.items.size() == 1);
    CHECK(listed.items[0].ref == "DCIM/100APPLE/IMG_0001.JPG");
    // The partial backup is gone at once, not only with the source.
    CHECK(fs::is_empty(staging));
}

// Slow: libimobiledevice waits 30 s for each backup message, so the passcode timeout is
// noticed at the first such wait after it passed.
TEST_CASE("a passcode nobody enters ends the backup in time", "[ios_device][sim][backup][slow]") {
    Phone phone;
    phone.start({"--backup", "locked", "--passcode-wait-ms", "60000"});
    auto o = options(ios_device::MessageBackup::pull);
    o.passcode_timeout = std::chrono::seconds(1);
    Progress progress;
    auto source = connect(progress, o);
    REQUIRE(source);
    Collector listed;
    const auto result = (*source)->list(listed, std::stop_token{});
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::timed_out);
    CHECK_THAT(result.error().message, Contains("lösenkoden"));
    CHECK(progress.events == std::vector<std::string>{"enter_passcode"});
}
