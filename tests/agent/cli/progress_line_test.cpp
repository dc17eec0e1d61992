// The progress line of long commands: what it says, and that it shows only on a
// terminal (a pseudo-terminal from util-linux's `script` stands in for one).

#include "agent/cli/progress_line.hpp"
#include "agent/store/store.hpp"
#include "agent/store/store_key.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

using dockscan::agent::progress_text;
using dockscan::testing::dockscan_exe;
using dockscan::testing::run_process;
using dockscan::testing::TempDir;
using namespace std::chrono_literals;

TEST_CASE("the progress line says how far, how fast and how long is left") {
    CHECK(progress_text(0, 0, 0s) == "listing the phone…");
    CHECK(progress_text(0, 2000, 1s) == "0 of 2000 items");
    CHECK(progress_text(120, 2000, 10s) ==
          "120 of 2000 items, 12.0 items/s, about 2 min 37 s left");
    CHECK(progress_text(1999, 2000, 100s) == "1999 of 2000 items, 20.0 items/s, about 0 s left");
    CHECK(progress_text(10, 100000, 10s) ==
          "10 of 100000 items, 1.0 items/s, about 27 h 46 min left");
    CHECK(progress_text(2000, 2000, 100s) == "2000 of 2000 items, 20.0 items/s");
    CHECK(progress_text(9, 900, 1s, "findings") ==
          "9 of 900 findings, 9.0 findings/s, about 1 min 39 s left");
}

TEST_CASE("scan shows its progress on a terminal and nothing extra elsewhere") {
    TempDir tmp;
    const auto store = (tmp / "s.db").string();
    const auto key = (tmp / "k").string();
    REQUIRE(run_process({dockscan_exe(), "init", "--store", store, "--key-file", key}).exit_code ==
            0);
    const auto phone = tmp / "phone";
    std::filesystem::create_directories(phone / "Documents");
    for (int i = 0; i < 5; ++i) {
        dockscan::testing::write_file(phone / "Documents" / ("note" + std::to_string(i) + ".txt"),
                                      "Handla mjölk och bröd.\n");
    }
    REQUIRE(run_process({dockscan_exe(), "units", "add", "U", "--area", "IFO", "--store", store,
                         "--key-file", key})
                .exit_code == 0);
    REQUIRE(run_process({dockscan_exe(), "phones", "add", "P1", "--unit", "U", "--store", store,
                         "--key-file", key})
                .exit_code == 0);

    // Not a terminal: stderr holds nothing but what went wrong (here nothing).
    const auto piped = run_process({dockscan_exe(), "scan", phone.string(), "--phone", "P1",
                                    "--store", store, "--key-file", key});
    CHECK(piped.exit_code == 0);
    CHECK(piped.err.empty());

    // On a terminal: the line, rewritten in place, then cleared before the summary.
    const std::string command = dockscan_exe() + " scan " + phone.string() +
                                " --phone P1 --store " + store + " --key-file " + key;
    const auto terminal = run_process({"/usr/bin/script", "-qec", command, "/dev/null"});
    CHECK(terminal.exit_code == 0);
    CHECK(terminal.out.find("\r\033[K0 of 5 items") != std::string::npos);
    CHECK(terminal.out.find("\r\033[K5 of 5 items") != std::string::npos);
    CHECK(terminal.out.find("\r\033[Kscan 2 of") != std::string::npos);
}

namespace {

// The demo's store (a scanned phone with findings) in `dir`, with every finding made as
// old as 2020, so that a purge has all of them to do.
void demo_store_with_old_findings(const std::filesystem::path& dir) {
    REQUIRE(run_process({dockscan_exe(), "demo", "--dir", dir.string()}).exit_code == 0);
    auto key = dockscan::agent::StoreKey::from_file(dir / "store.key");
    REQUIRE(key);
    auto store = dockscan::agent::Store::open(dir / "dockscan.db", *key,
                                              dockscan::agent::OpenMode::existing);
    REQUIRE(store);
    REQUIRE(store->database().exec("UPDATE findings SET created_at = '2020-01-02T00:00:00Z'"));
}

} // namespace

TEST_CASE("purge shows its progress on a terminal and nothing extra elsewhere") {
    TempDir tmp;
    const auto piped_dir = tmp / "piped";
    const auto terminal_dir = tmp / "terminal";
    demo_store_with_old_findings(piped_dir);
    demo_store_with_old_findings(terminal_dir);

    // Not a terminal: stderr holds nothing, stdout the one summary line.
    const auto piped =
        run_process({dockscan_exe(), "purge", "--store", (piped_dir / "dockscan.db").string(),
                     "--key-file", (piped_dir / "store.key").string()});
    CHECK(piped.exit_code == 0);
    CHECK(piped.err.empty());
    CHECK_THAT(piped.out, Catch::StartsWith("purged the evidence of 9 findings"));

    // On a terminal: the line from none to all of the findings, cleared before the summary.
    const std::string command = dockscan_exe() + " purge --store " +
                                (terminal_dir / "dockscan.db").string() + " --key-file " +
                                (terminal_dir / "store.key").string();
    const auto terminal = run_process({"/usr/bin/script", "-qec", command, "/dev/null"});
    CHECK(terminal.exit_code == 0);
    CHECK(terminal.out.find("\r\033[K0 of 9 findings") != std::string::npos);
    CHECK(terminal.out.find("\r\033[K9 of 9 findings") != std::string::npos);
    CHECK(terminal.out.find("\r\033[Kpurged the evidence of 9 findings") != std::string::npos);
}

TEST_CASE("report shows its progress on a terminal and nothing extra elsewhere") {
    TempDir tmp;
    const auto dir = tmp / "demo";
    REQUIRE(run_process({dockscan_exe(), "demo", "--dir", dir.string()}).exit_code == 0);
    const std::string store = (dir / "dockscan.db").string();
    const std::string key = (dir / "store.key").string();
    const std::string pdf = (tmp / "rapport.pdf").string();

    const auto piped = run_process({dockscan_exe(), "report", "--period", "2026-Q4", "--output",
                                    pdf, "--store", store, "--key-file", key});
    CHECK(piped.exit_code == 0);
    CHECK(piped.err.empty());
    CHECK_THAT(piped.out, Catch::StartsWith("Wrote " + pdf));

    // A quarter: this quarter, the one before, four trend quarters, the rest, the file.
    const std::string command = dockscan_exe() + " report --period 2026-Q4 --output " + pdf +
                                " --store " + store + " --key-file " + key;
    const auto terminal = run_process({"/usr/bin/script", "-qec", command, "/dev/null"});
    CHECK(terminal.exit_code == 0);
    CHECK(terminal.out.find("\r\033[K1 of 8 steps") != std::string::npos);
    CHECK(terminal.out.find("\r\033[K8 of 8 steps") != std::string::npos);
    CHECK(terminal.out.find("\r\033[KWrote " + pdf) != std::string::npos);
}
