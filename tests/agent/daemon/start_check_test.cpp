// `dockscan run --check` catches what would stop the daemon at start, beyond the
// config's syntax: a missing store or key (file or systemd credential), models that are
// not there, a GPIO chip that does not exist. Each problem names the config file and
// the line of the key that points at the missing thing, and the exit code is 2.

#include "agent/daemon/config.hpp"
#include "agent/daemon/start_check.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

using namespace dockscan::agent::daemon;
using namespace dockscan::testing;

namespace {

// A station in a temporary folder: a real store made by `dockscan init` and its key
// file; `extra` is appended to the config (line 7 onwards).
struct Station {
    TempDir dir;
    std::filesystem::path config = dir / "dockscan.toml";
    std::filesystem::path store = dir / "dockscan.db";
    std::filesystem::path key = dir / "store.key";

    explicit Station(const std::string& extra = {}, bool make_store = true) {
        if (make_store) {
            const auto made = run_process(
                {dockscan_exe(), "init", "--store", store.string(), "--key-file", key.string()});
            REQUIRE(made.exit_code == 0);
        }
        write_file(config, "[store]\n" // 1
                           "path = \"" +
                               store.string() +
                               "\"\n" // 2
                               "key_file = \"" +
                               key.string() +
                               "\"\n"               // 3
                               "[[slots]]\n"        // 4
                               "port = \"1-1.1\"\n" // 5
                               "number = 1\n"       // 6
                               + extra);
    }

    [[nodiscard]] ProcessResult check() const {
        return run_process({dockscan_exe(), "run", "--config", config.string(), "--check"});
    }
};

} // namespace

TEST_CASE("run --check passes a station that has its store, key and models") {
    const Station station;
    const ProcessResult result = station.check();
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::Contains("OK (1 slots)"));
    CHECK(result.err.empty());
}

TEST_CASE("run --check names the line of a key file that is missing") {
    const Station station;
    std::filesystem::remove(station.key);
    const ProcessResult result = station.check();
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains(station.config.string() + ":3: "));
    CHECK_THAT(result.err, Catch::Contains(station.key.string()));
    CHECK(result.out.empty());
}

TEST_CASE("run --check says to run init when the store is missing") {
    const Station station("", false);
    write_file(station.key, std::string(32, 'k'));
    std::filesystem::permissions(station.key, std::filesystem::perms::owner_read);
    const ProcessResult result = station.check();
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains(station.config.string() + ":2: the store " +
                                           station.store.string() + " does not exist"));
    CHECK_THAT(result.err, Catch::Contains("dockscan init"));
}

TEST_CASE("run --check names the models folder's line when a model is missing") {
    const Station station("[detectors]\n"           // 7
                          "ocr = false\n"           // 8
                          "models = \"models\"\n"); // 9
    std::filesystem::create_directory(station.dir / "models");
    const ProcessResult result = station.check();
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains(station.config.string() + ":9: "));
    CHECK_THAT(result.err, Catch::Contains(".onnx"));
}

TEST_CASE("run --check finds a GPIO chip of the LEDs that does not exist") {
    const Station station("[leds]\n"                            // 7
                          "chip = \"/nonexistent/gpiochip7\"\n" // 8
                          "[[leds.slot]]\n"
                          "number = 1\n"
                          "busy = 17\n");
    const ProcessResult result = station.check();
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains(station.config.string() +
                                           ":8: the GPIO chip /nonexistent/gpiochip7"));
}

TEST_CASE("run --check reports every problem at once") {
    const Station station("[leds]\n"
                          "chip = \"/nonexistent/gpiochip7\"\n"
                          "[[leds.slot]]\n"
                          "number = 1\n"
                          "busy = 17\n");
    std::filesystem::remove(station.key);
    const ProcessResult result = station.check();
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains(":3: "));
    CHECK_THAT(result.err, Catch::Contains(":8: "));
}

TEST_CASE("without a key file, the check looks for the credential the unit loads") {
    const Station station;
    // The config without key_file: the key is the systemd credential.
    write_file(station.config, "[store]\npath = \"" + station.store.string() +
                                   "\"\n[[slots]]\nport = \"1-1.1\"\nnumber = 1\n");
    auto config = load_config(station.config);
    REQUIRE(config);
    StartCheckEnvironment environment;
    environment.encrypted_credential = station.dir / "credstore.encrypted/dockscan-store-key";

    SECTION("missing: named, at the line of [store]") {
        const auto problems = check_start(*config, station.config, environment);
        REQUIRE(problems.size() == 1);
        CHECK_THAT(problems[0], Catch::StartsWith(station.config.string() + ":1: no store key"));
        CHECK_THAT(problems[0], Catch::Contains(environment.encrypted_credential.string()));
    }
    SECTION("present: no problem") {
        write_file(environment.encrypted_credential, "encrypted");
        CHECK(check_start(*config, station.config, environment).empty());
    }
}
