// The simulator is only worth testing against if it is faithful: Debian's real `adb`
// client must connect to it, authenticate, run `ls` and pull files byte for byte.

#include "tests/adb_sim/sim_process.hpp"
#include "tests/docking/adb/adb_fixture.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace dockscan::testing;

namespace {

constexpr const char* k_adb = "/usr/bin/adb";

// A free port for this test's own adb server, so it never meets a developer's.
std::uint16_t free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof a;
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length);
    ::close(fd);
    return ntohs(a.sin_port);
}

// The adb client with a private server port and HOME (its keys live in ~/.android);
// the server is killed when the test ends.
struct AdbClient {
    TempDir& tmp;
    std::string server_port = std::to_string(free_port());

    ~AdbClient() { (void)run({"kill-server"}); }

    ProcessResult run(std::vector<std::string> args) const {
        args.insert(args.begin(), {k_adb, "-P", server_port});
        return run_process(args, "", {{"HOME", (tmp / "home").string()}, {"ADB_VENDOR_KEYS", ""}});
    }
};

} // namespace

TEST_CASE("the real adb client connects to the simulator, lists and pulls", "[adb][adb_sim]") {
    REQUIRE(::access(k_adb, X_OK) == 0); // Debian package adb (scripts/install-deps)
    TempDir tmp;
    const std::string photo = patterned_bytes(300'000, 1);
    write_file(tmp / "sdcard/DCIM/Camera/IMG_0001.jpg", photo);
    write_file(tmp / "sdcard/DCIM/Camera/IMG_0002.jpg", patterned_bytes(10, 2));
    std::filesystem::create_directories(tmp / "home");
    write_telephony_backup(tmp / "telephony.ab");
    AdbSimProcess sim({"--storage", (tmp / "sdcard").string(), "--auth", "accept", "--backup",
                       (tmp / "telephony.ab").string()});
    AdbClient adb{tmp};

    REQUIRE(adb.run({"start-server"}).exit_code == 0);
    const auto connected = adb.run({"connect", sim.address()});
    // adb says "failed to authenticate" when the phone asks for a key it does not know
    // yet (as a real phone does until Allow is tapped), or "connected" when the Allow
    // came quickly enough; either way it then authenticates in the background:
    // signature refused, public key sent, accepted by the simulated tap on Allow.
    CHECK((connected.out == "connected to " + sim.address() + "\n" ||
           connected.out == "failed to authenticate to " + sim.address() + "\n"));
    std::string state;
    for (int i = 0; i < 50 && state != "device\n"; ++i) {
        state = adb.run({"-s", sim.address(), "get-state"}).out;
        if (state != "device\n") {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    REQUIRE(state == "device\n");
    CHECK(std::filesystem::exists(tmp / "home/.android/adbkey"));

    const auto ls = adb.run({"-s", sim.address(), "shell", "ls", "/sdcard/DCIM/Camera"});
    CHECK(ls.exit_code == 0);
    CHECK(ls.out == "IMG_0001.jpg\nIMG_0002.jpg\n");

    // Without the shell protocol (-x) the client opens plain "shell:".
    const auto plain = adb.run({"-s", sim.address(), "shell", "-x", "ls", "/sdcard/DCIM/Camera"});
    CHECK(plain.out == "IMG_0001.jpg\nIMG_0002.jpg\n");

    // shell v2 carries the exit status back to the client.
    const auto missing = adb.run({"-s", sim.address(), "shell", "ls", "/sdcard/Nothing"});
    CHECK(missing.exit_code == 1);
    CHECK(missing.err.find("No such file or directory") != std::string::npos);

    const auto pull = adb.run({"-s", sim.address(), "pull", "/sdcard/DCIM/Camera/IMG_0001.jpg",
                               (tmp / "pulled.jpg").string()});
    CHECK(pull.exit_code == 0);
    CHECK(read_file(tmp / "pulled.jpg") == photo);

    // A folder pull lists with the sync service and pulls every file.
    const auto tree =
        adb.run({"-s", sim.address(), "pull", "/sdcard/DCIM", (tmp / "tree").string()});
    CHECK(tree.exit_code == 0);
    CHECK(read_file(tmp / "tree/Camera/IMG_0001.jpg") == photo);
    CHECK(read_file(tmp / "tree/Camera/IMG_0002.jpg") == patterned_bytes(10, 2));

    // `adb backup` streams the archive the phone's `bu` writes, byte for byte.
    const auto backup = adb.run({"-s", sim.address(), "backup", "-f", (tmp / "pulled.ab").string(),
                                 "com.android.providers.telephony"});
    CHECK(backup.exit_code == 0);
    CHECK(read_file(tmp / "pulled.ab") == read_file(tmp / "telephony.ab"));
}

TEST_CASE("the real adb client sees a phone that withholds authorisation as unauthorized",
          "[adb][adb_sim]") {
    REQUIRE(::access(k_adb, X_OK) == 0);
    TempDir tmp;
    write_file(tmp / "sdcard/DCIM/Camera/IMG_0001.jpg", "x");
    std::filesystem::create_directories(tmp / "home");
    AdbSimProcess sim({"--storage", (tmp / "sdcard").string(), "--auth", "withhold"});
    AdbClient adb{tmp};
    REQUIRE(adb.run({"start-server"}).exit_code == 0);
    (void)adb.run({"connect", sim.address()});
    std::string devices;
    for (int i = 0; i < 50 && devices.find("unauthorized") == std::string::npos; ++i) {
        devices = adb.run({"devices"}).out;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(devices.find(sim.address() + "\tunauthorized") != std::string::npos);
}
