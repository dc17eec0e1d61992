// The example configuration an admin starts from: valid TOML, and consistent with the
// unit (the store in the state directory, the status socket in the runtime directory)
// and with how the USB code spells port paths; and the daemon itself accepts it.

#include "docking/usb/usb_descriptors.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <regex>
#include <toml++/toml.h>

using namespace dockscan::testing;

namespace {

std::filesystem::path example_path() {
    return std::filesystem::path(DOCKSCAN_SOURCE_DIR) / "packaging/dockscan.toml.example";
}

} // namespace

TEST_CASE("the example configuration is TOML that fits the unit and the USB code") {
    toml::table config;
    try {
        config = toml::parse_file(example_path().string());
    } catch (const toml::parse_error& e) {
        FAIL(example_path().string() << ":" << e.source().begin.line << ": " << e.description());
    }

    const std::string store = config["store"]["path"].value_or(std::string{});
    CHECK_THAT(store, Catch::StartsWith("/var/lib/dockscan/"));
    // The key is the systemd credential, not a file on disk.
    CHECK_FALSE(config["store"]["key_file"]);

    const std::string socket = config["status"]["socket"].value_or(std::string{});
    CHECK_THAT(socket, Catch::StartsWith("/run/dockscan/"));

    CHECK(config["events"]["source"].value_or(std::string{}) == "usb");

    const toml::array* slots = config["slots"].as_array();
    REQUIRE(slots != nullptr);
    REQUIRE_FALSE(slots->empty());
    // What format_port_path produces for a phone behind a hub: "BUS-P1.P2...".
    const std::regex port_path(R"([0-9]{1,3}-[0-9]{1,3}(\.[0-9]{1,3}){0,6})");
    for (const toml::node& slot : *slots) {
        const std::string port = slot.at_path("port").value_or(std::string{});
        CAPTURE(port);
        CHECK(std::regex_match(port, port_path));
    }
    const std::array<std::uint8_t, 2> ports{1, 4};
    CHECK(std::regex_match(dockscan::docking::usb::format_port_path(1, ports), port_path));
}

TEST_CASE("dockscan run --check accepts the example configuration as it is shipped") {
    // As shipped but for the store: --check also opens what the config names, so the
    // store is a real one made by `dockscan init`, with its key file.
    TempDir dir;
    const auto store = dir / "dockscan.db";
    const auto key = dir / "store.key";
    REQUIRE(
        run_process({dockscan_exe(), "init", "--store", store.string(), "--key-file", key.string()})
            .exit_code == 0);
    std::string text = read_file(example_path());
    const std::string shipped = "path = \"/var/lib/dockscan/dockscan.db\"\n";
    REQUIRE(text.find(shipped) != std::string::npos);
    text.replace(text.find(shipped), shipped.size(),
                 "path = \"" + store.string() + "\"\nkey_file = \"" + key.string() + "\"\n");
    const auto config = dir / "dockscan.toml";
    write_file(config, text);
    const ProcessResult result =
        run_process({dockscan_exe(), "run", "--config", config.string(), "--check"});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::Contains("OK (4 slots)"));
}
