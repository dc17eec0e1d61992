// The systemd unit through systemd's own checker. `systemd-analyze verify` loads the
// unit as systemd would and reports unknown keys, values it cannot parse and an
// ExecStart that does not exist, so the test points ExecStart at a stand-in
// executable in a temporary folder.

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <sstream>

using namespace dockscan::testing;

namespace {

const std::string k_systemd_analyze = "/usr/bin/systemd-analyze";
const std::string k_installed_exe = "/usr/bin/dockscan";

// The station daemon's unit, or the review UI's (dockscan-serve.service).
std::string unit_text(const std::string& name = "dockscan.service") {
    return read_file(std::filesystem::path(DOCKSCAN_SOURCE_DIR) / "packaging/systemd" / name);
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

// systemd-analyze verify on `unit` with ExecStart pointing at a stand-in: its exit code
// and everything it said (a warning such as "Unknown key" leaves the exit code 0).
ProcessResult verify(const TempDir& dir, const std::string& unit,
                     const std::string& name = "dockscan.service") {
    const std::filesystem::path exe = dir / "dockscan";
    write_file(exe, "#!/bin/sh\nexit 0\n");
    std::filesystem::permissions(exe, std::filesystem::perms::owner_all);
    const std::filesystem::path path = dir / name;
    write_file(path, replace_all(unit, k_installed_exe, exe.string()));
    return run_process({k_systemd_analyze, "verify", "--man=no", path.string()});
}

// Service settings as key → every value given (a key may repeat).
std::multimap<std::string, std::string> service_settings(const std::string& unit) {
    std::multimap<std::string, std::string> settings;
    std::istringstream in(unit);
    std::string line;
    std::string section;
    while (std::getline(in, line)) {
        if (!line.empty() && line.front() == '[') {
            section = line;
            continue;
        }
        const auto eq = line.find('=');
        if (section == "[Service]" && !line.empty() && line.front() != '#' &&
            eq != std::string::npos) {
            settings.emplace(line.substr(0, eq), line.substr(eq + 1));
        }
    }
    return settings;
}

std::string setting(const std::multimap<std::string, std::string>& settings,
                    const std::string& key) {
    const auto found = settings.find(key);
    return found == settings.end() ? std::string("(unset)") : found->second;
}

} // namespace

TEST_CASE("systemd accepts the units without a warning") {
    REQUIRE(std::filesystem::exists(k_systemd_analyze));
    const std::string name =
        GENERATE(as<std::string>{}, "dockscan.service", "dockscan-serve.service");
    CAPTURE(name);
    TempDir dir;
    const ProcessResult result = verify(dir, unit_text(name), name);
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out.empty());
    CHECK(result.err.empty());
}

TEST_CASE("systemd rates the units' exposure at 2.0 or better") {
    REQUIRE(std::filesystem::exists(k_systemd_analyze));
    const std::string name =
        GENERATE(as<std::string>{}, "dockscan.service", "dockscan-serve.service");
    TempDir dir;
    const std::filesystem::path path = dir / name;
    write_file(path, unit_text(name));
    // --threshold is the exposure times ten: above it, the exit code is not 0.
    const ProcessResult result = run_process(
        {k_systemd_analyze, "security", "--offline=yes", "--threshold=20", path.string()});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::Contains("Overall exposure level for " + name));
}

TEST_CASE("systemd-analyze verify does find what is wrong in a unit") {
    REQUIRE(std::filesystem::exists(k_systemd_analyze));
    TempDir dir;
    SECTION("a misspelt hardening key is a warning") {
        const ProcessResult result =
            verify(dir, replace_all(unit_text(), "ProtectHome=yes", "ProtectHomes=yes"));
        CHECK_THAT(result.err, Catch::Contains("Unknown key"));
    }
    SECTION("a value systemd cannot parse is a warning") {
        const ProcessResult result =
            verify(dir, replace_all(unit_text(), "ProtectSystem=strict", "ProtectSystem=very"));
        CHECK_THAT(result.err,
                   Catch::Contains("ProtectSystem") || Catch::Contains("protect system"));
    }
}

TEST_CASE("the unit runs the daemon as the issue and firmware-notes describe") {
    const auto settings = service_settings(unit_text());
    CHECK(setting(settings, "Type") == "notify");
    CHECK(setting(settings, "NotifyAccess") == "main");
    CHECK(setting(settings, "ExecStart") ==
          k_installed_exe + " run --config /etc/dockscan/dockscan.toml");
    CHECK(setting(settings, "WatchdogSec") == "30");
    CHECK(setting(settings, "Restart") == "on-failure");
    CHECK(setting(settings, "User") == "dockscan");
    CHECK(setting(settings, "StateDirectory") == "dockscan");
    CHECK(setting(settings, "StateDirectoryMode") == "0700");
    CHECK(setting(settings, "RuntimeDirectory") == "dockscan");
    CHECK_THAT(setting(settings, "LoadCredentialEncrypted"),
               Catch::StartsWith("dockscan-store-key:"));
    CHECK(setting(settings, "ProtectSystem") == "strict");
    CHECK(setting(settings, "NoNewPrivileges") == "yes");
    CHECK(setting(settings, "CapabilityBoundingSet").empty());
    CHECK(setting(settings, "MemoryDenyWriteExecute") == "yes");
    CHECK(setting(settings, "DevicePolicy") == "closed");
    CHECK(settings.count("DeviceAllow") == 2);
    CHECK(setting(settings, "DeviceAllow") == "char-usb_device rw");
    // Hotplug needs netlink; IP is not needed at all.
    CHECK(setting(settings, "RestrictAddressFamilies") == "AF_UNIX AF_NETLINK");
    CHECK(setting(settings, "IPAddressDeny") == "any");
    CHECK(setting(settings, "PrivateNetwork") == "no");
}

TEST_CASE("the review UI's unit serves from the station's config, with IP and no devices") {
    const auto settings = service_settings(unit_text("dockscan-serve.service"));
    CHECK(setting(settings, "ExecStart") ==
          k_installed_exe + " serve --config /etc/dockscan/dockscan.toml");
    CHECK(setting(settings, "User") == "dockscan");
    CHECK(setting(settings, "StateDirectory") == "dockscan");
    // The same store key as the daemon's, from the same credential.
    CHECK(setting(settings, "LoadCredentialEncrypted") ==
          setting(service_settings(unit_text()), "LoadCredentialEncrypted"));
    CHECK(setting(settings, "PrivateDevices") == "yes");
    CHECK(setting(settings, "RestrictAddressFamilies") == "AF_UNIX AF_INET AF_INET6");
    CHECK(setting(settings, "IPAddressDeny") == "(unset)");
    CHECK(setting(settings, "ProtectSystem") == "strict");
    CHECK(setting(settings, "NoNewPrivileges") == "yes");
    CHECK(setting(settings, "MemoryDenyWriteExecute") == "yes");
}
