// dockscan's own ADB client against the simulated phone (which the real adb client
// accepts, see real_adb_client_test.cpp).

#include "docking/adb/adb_message.hpp"
#include "docking/adb/adb_source.hpp"
#include "tests/adb_sim/sim_process.hpp"
#include "tests/docking/adb/adb_fixture.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <optional>
#include <sys/stat.h>

using namespace dockscan::docking;
using namespace dockscan::docking::adb;
using namespace dockscan::testing;

namespace {

using Recorder = CollectedItems;

AdbSourceOptions options_in(const TempDir& tmp, MessageBackup messages = MessageBackup::skip) {
    AdbSourceOptions options;
    options.key_file = tmp / "state/adbkey";
    options.messages = messages;
    options.connect.allow_timeout = std::chrono::milliseconds(500);
    return options;
}

// Points TMPDIR at a test's folder while it lives.
struct TmpDirFor {
    std::optional<std::string> saved;
    explicit TmpDirFor(const std::filesystem::path& dir) {
        if (const char* old = std::getenv("TMPDIR")) {
            saved = old;
        }
        ::setenv("TMPDIR", dir.c_str(), 1);
    }
    ~TmpDirFor() {
        if (saved) {
            ::setenv("TMPDIR", saved->c_str(), 1);
        } else {
            ::unsetenv("TMPDIR");
        }
    }
};

std::vector<std::string> refs_of(const Recorder& sink) {
    std::vector<std::string> refs;
    for (const auto& item : sink.items) {
        refs.push_back(item.ref);
    }
    return refs;
}

// Answers with fixed bytes, as a phone would send them.
struct ScriptedTransport final : ByteTransport {
    std::string bytes;
    std::size_t at = 0;
    Expected<void> read_exact(std::span<std::uint8_t> out) override {
        if (bytes.size() - at < out.size()) {
            return fail(ErrorCode::interrupted, "the phone disconnected");
        }
        std::copy_n(bytes.data() + at, out.size(), reinterpret_cast<char*>(out.data()));
        at += out.size();
        return {};
    }
    Expected<void> write_all(std::span<const std::uint8_t>) override { return {}; }
    void set_read_timeout(std::chrono::milliseconds) override {}
};

std::string header(std::uint32_t command, std::uint32_t length, std::uint32_t magic) {
    std::string out;
    for (const std::uint32_t v : {command, 0u, 0u, length, 0u, magic}) {
        for (unsigned i = 0; i < 4; ++i) {
            out.push_back(static_cast<char>(v >> (8u * i)));
        }
    }
    return out;
}

} // namespace

TEST_CASE("photos are listed and pulled from a phone over adb", "[adb]") {
    TempDir tmp;
    const std::string camera = patterned_bytes(200'000, 3);
    const std::string screenshot = patterned_bytes(1'000, 4);
    write_file(tmp / "sdcard/DCIM/Camera/IMG_0001.jpg", camera);
    write_file(tmp / "sdcard/DCIM/Camera/notes.txt", "not a photo");
    write_file(tmp / "sdcard/Pictures/Screenshots/Screenshot_1.PNG", screenshot);
    write_file(tmp / "sdcard/Download/elsewhere.jpg", "not under DCIM or Pictures");
    std::filesystem::create_symlink(tmp / "sdcard/Download/elsewhere.jpg",
                                    tmp / "sdcard/DCIM/link.jpg");
    AdbSimProcess sim({"--storage", (tmp / "sdcard").string(), "--auth", "accept"});

    auto source = AdbSource::open_tcp("127.0.0.1", sim.port(), options_in(tmp));
    REQUIRE(source);
    const SourceInfo info = (*source)->describe();
    CHECK(info.kind == "adb");
    CHECK(info.location == "adb:" + sim.address());
    CHECK(info.serial == "SIM0123456789");
    CHECK(info.model == "Pixel 4a");
    CHECK(info.os_version == "13");

    Recorder sink;
    REQUIRE((*source)->list(sink, {}));
    CHECK(sink.problems.empty());
    CHECK(refs_of(sink) ==
          std::vector<std::string>{"/sdcard/DCIM/Camera/IMG_0001.jpg",
                                   "/sdcard/Pictures/Screenshots/Screenshot_1.PNG"});
    REQUIRE(sink.items.size() == 2);
    CHECK(sink.items[0].type == ItemType::photo);
    CHECK(sink.items[0].size == camera.size());
    CHECK(sink.items[0].mtime > 0);
    CHECK(sink.items[0].label == "Bild /sdcard/DCIM/Camera/IMG_0001.jpg");

    auto first = (*source)->read(sink.items[0]);
    REQUIRE(first);
    CHECK(first->kind == ContentKind::image);
    CHECK(first->data == camera);
    auto second = (*source)->read(sink.items[1]);
    REQUIRE(second);
    CHECK(second->data == screenshot);

    // Refs name phone paths only: one that was not listed is never fetched.
    ItemInfo other = sink.items[0];
    other.ref = "/sdcard/Download/elsewhere.jpg";
    CHECK_FALSE((*source)->read(other));
}

TEST_CASE("the station key is created private and used again", "[adb]") {
    TempDir tmp;
    write_file(tmp / "sdcard/DCIM/a.jpg", "x");
    AdbSimProcess sim({"--storage", (tmp / "sdcard").string(), "--auth", "accept"});
    REQUIRE(AdbSource::open_tcp("127.0.0.1", sim.port(), options_in(tmp)));
    struct stat st {};
    REQUIRE(::stat((tmp / "state/adbkey").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777u) == 0600u);
    const std::string key = read_file(tmp / "state/adbkey");
    CHECK(key.find("PRIVATE KEY") != std::string::npos);
    REQUIRE(AdbSource::open_tcp("127.0.0.1", sim.port(), options_in(tmp)));
    CHECK(read_file(tmp / "state/adbkey") == key);

    ::chmod((tmp / "state/adbkey").c_str(), 0644);
    auto exposed = AdbSource::open_tcp("127.0.0.1", sim.port(), options_in(tmp));
    REQUIRE_FALSE(exposed);
    CHECK(exposed.error().message.find("chmod 600") != std::string::npos);
}

TEST_CASE("messages come from the phone's telephony backup", "[adb]") {
    TempDir tmp;
    write_file(tmp / "sdcard/DCIM/Camera/IMG_0001.jpg", patterned_bytes(100, 5));
    write_telephony_backup(tmp / "telephony.ab");
    AdbSimProcess sim(
        {"--storage", (tmp / "sdcard").string(), "--backup", (tmp / "telephony.ab").string()});

    std::filesystem::create_directories(tmp / "tmp");
    const TmpDirFor tmpdir(tmp / "tmp");
    auto source =
        AdbSource::open_tcp("127.0.0.1", sim.port(), options_in(tmp, MessageBackup::pull));
    REQUIRE(source);
    Recorder sink;
    REQUIRE((*source)->list(sink, {}));
    CHECK(sink.problems.empty());
    REQUIRE(sink.items.size() == 2);
    CHECK(sink.items[0].type == ItemType::photo);
    CHECK(sink.items[1].type == ItemType::message);
    auto text = (*source)->read(sink.items[1]);
    REQUIRE(text);
    CHECK(text->kind == ContentKind::text);
    CHECK(text->data.find("450411-8359") != std::string::npos);

    // The pulled archive sits in a private folder while the source lives, then goes.
    std::vector<std::filesystem::path> pulled;
    for (const auto& entry : std::filesystem::directory_iterator(tmp / "tmp")) {
        pulled.push_back(entry.path());
    }
    REQUIRE(pulled.size() == 1);
    struct stat st {};
    REQUIRE(::stat(pulled[0].c_str(), &st) == 0);
    CHECK((st.st_mode & 0777u) == 0700u);
    REQUIRE(::stat((pulled[0] / "telephony.ab").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777u) == 0600u);
    source->reset();
    CHECK(std::filesystem::is_empty(tmp / "tmp"));
}

TEST_CASE("a phone without a backup still has its photos listed", "[adb]") {
    TempDir tmp;
    write_file(tmp / "sdcard/DCIM/Camera/IMG_0001.jpg", "x");
    AdbSimProcess sim({"--storage", (tmp / "sdcard").string()});
    auto source =
        AdbSource::open_tcp("127.0.0.1", sim.port(), options_in(tmp, MessageBackup::pull));
    REQUIRE(source);
    Recorder sink;
    REQUIRE((*source)->list(sink, {}));
    CHECK(refs_of(sink) == std::vector<std::string>{"/sdcard/DCIM/Camera/IMG_0001.jpg"});
    REQUIRE(sink.problems.size() == 1);
    CHECK(sink.problems[0].reason == "the phone sent no message backup");
}

TEST_CASE("a phone that disconnects mid-transfer fails the read, not the listing", "[adb]") {
    TempDir tmp;
    write_file(tmp / "sdcard/DCIM/Camera/IMG_0001.jpg", patterned_bytes(300'000, 6));
    write_file(tmp / "sdcard/DCIM/Camera/IMG_0002.jpg", patterned_bytes(300, 7));
    AdbSimProcess sim({"--storage", (tmp / "sdcard").string(), "--drop-after-bytes", "100000"});
    auto source = AdbSource::open_tcp("127.0.0.1", sim.port(), options_in(tmp));
    REQUIRE(source);
    Recorder sink;
    REQUIRE((*source)->list(sink, {}));
    REQUIRE(sink.items.size() == 2);

    auto first = (*source)->read(sink.items[0]);
    REQUIRE_FALSE(first);
    CHECK(first.error().code == ErrorCode::interrupted);
    CHECK(first.error().message == "the phone disconnected");
    auto second = (*source)->read(sink.items[1]);
    REQUIRE_FALSE(second);
    CHECK(second.error().message == "the phone disconnected");
}

TEST_CASE("a phone whose user never taps Allow is a clear reason", "[adb]") {
    TempDir tmp;
    write_file(tmp / "sdcard/DCIM/a.jpg", "x");
    AdbSimProcess sim({"--storage", (tmp / "sdcard").string(), "--auth", "withhold"});
    auto source = AdbSource::open_tcp("127.0.0.1", sim.port(), options_in(tmp));
    REQUIRE_FALSE(source);
    CHECK(source.error().message == "USB-felsökning är inte tillåten på telefonen (tryck Tillåt) / "
                                    "USB debugging not allowed on the phone (tap Allow)");
}

TEST_CASE("ADB messages from the phone are bounded and checked", "[adb]") {
    ScriptedTransport big;
    big.bytes = header(k_wrte, k_max_data + 1, k_wrte ^ 0xffffffffu);
    auto too_large = read_message(big, k_max_data);
    REQUIRE_FALSE(too_large);
    CHECK(too_large.error().code == ErrorCode::too_large);
    CHECK(big.at == 24); // nothing of the announced data was read

    ScriptedTransport bad_magic;
    bad_magic.bytes = header(k_okay, 0, 0);
    auto damaged = read_message(bad_magic, k_max_data);
    REQUIRE_FALSE(damaged);
    CHECK(damaged.error().code == ErrorCode::malformed);

    ScriptedTransport cut;
    cut.bytes = header(k_wrte, 10, k_wrte ^ 0xffffffffu) + "abc";
    auto short_read = read_message(cut, k_max_data);
    REQUIRE_FALSE(short_read);
    CHECK(short_read.error().message == "the phone disconnected");
}

TEST_CASE("a phone that allowed the station once accepts its signature", "[adb]") {
    TempDir tmp;
    write_file(tmp / "sdcard/DCIM/a.jpg", "x");
    AdbSimProcess sim({"--storage", (tmp / "sdcard").string(), "--auth", "accept-once"});
    // First docking: the phone learns the key (RSAPUBLICKEY, Allow tapped).
    REQUIRE(AdbSource::open_tcp("127.0.0.1", sim.port(), options_in(tmp)));
    // Next docking: the signature alone must satisfy the phone's RSA check.
    REQUIRE(AdbSource::open_tcp("127.0.0.1", sim.port(), options_in(tmp)));
    // Another station's key is not allowed.
    AdbSourceOptions stranger = options_in(tmp);
    stranger.key_file = tmp / "other/adbkey";
    auto refused = AdbSource::open_tcp("127.0.0.1", sim.port(), stranger);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("tap Allow") != std::string::npos);
}

TEST_CASE("what the phone sends is held to the source's limits", "[adb]") {
    TempDir tmp;
    write_file(tmp / "sdcard/DCIM/Camera/IMG_0001.jpg", patterned_bytes(5'000, 9));
    write_file(tmp / "sdcard/DCIM/Camera/IMG_0002.jpg", patterned_bytes(500, 10));
    for (int i = 0; i < 5; ++i) {
        write_file(tmp / ("sdcard/Pictures/many/" + std::to_string(i) + ".jpg"), "x");
    }
    AdbSimProcess sim({"--storage", (tmp / "sdcard").string()});

    AdbSourceOptions options = options_in(tmp);
    options.limits.max_image_bytes = 1'000;
    auto source = AdbSource::open_tcp("127.0.0.1", sim.port(), options);
    REQUIRE(source);
    Recorder sink;
    REQUIRE((*source)->list(sink, {}));
    REQUIRE(sink.items.size() == 7);

    // A phone that sends more than it listed is cut off mid-transfer...
    ItemInfo understated = sink.items[0];
    understated.size = 10;
    auto big = (*source)->read(understated);
    REQUIRE_FALSE(big);
    CHECK(big.error().code == ErrorCode::too_large);
    // ... and the connection stays usable for the next photo.
    auto small = (*source)->read(sink.items[1]);
    REQUIRE(small);
    CHECK(small->data == patterned_bytes(500, 10));

    options.limits.max_folder_entries = 4;
    auto limited = AdbSource::open_tcp("127.0.0.1", sim.port(), options);
    REQUIRE(limited);
    Recorder partial;
    auto listing = (*limited)->list(partial, {});
    REQUIRE_FALSE(listing);
    CHECK(listing.error().code == ErrorCode::too_large);
    CHECK(partial.items.size() == 2); // DCIM's photos, listed before Pictures/many
}
