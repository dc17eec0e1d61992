// The progress line of long commands: what it says, and that it shows only on a
// terminal (a pseudo-terminal from util-linux's `script` stands in for one).

#include "agent/cli/progress_line.hpp"
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
