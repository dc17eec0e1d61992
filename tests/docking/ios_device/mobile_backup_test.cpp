#include "docking/ios_device/mobile_backup.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

using dockscan::docking::ErrorCode;
using namespace dockscan::docking::ios_device;
namespace fs = std::filesystem;

TEST_CASE("paths the phone names in a backup stay below the staging folder", "[ios_device]") {
    const fs::path root = "/run/dockscan/dockscan-ios-AbC123";
    const auto file = phone_backup_path(
        root, "00008120-001A2B3C4D5E6F7A/3d/3d0d7e5fb2ce288813306e4d4636395e047a3d28");
    REQUIRE(file);
    CHECK(*file == root / "00008120-001A2B3C4D5E6F7A/3d/3d0d7e5fb2ce288813306e4d4636395e047a3d28");
    const auto folder = phone_backup_path(root, "00008120-001A2B3C4D5E6F7A/Snapshot/");
    REQUIRE(folder);
    CHECK(*folder == root / "00008120-001A2B3C4D5E6F7A/Snapshot");

    const std::string bad =
        GENERATE(as<std::string>{}, "", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b", "..");
    const auto refused = phone_backup_path(root, bad);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::malformed);
}

TEST_CASE("backups are staged on a tmpfs when the station has one", "[ios_device]") {
    const char* saved = std::getenv("RUNTIME_DIRECTORY");
    const std::string old = saved ? saved : "";
    ::setenv("RUNTIME_DIRECTORY", "/tmp:/var/lib/nothing", 1);
    CHECK(default_staging_parent() == "/tmp");
    ::setenv("RUNTIME_DIRECTORY", "/nonexistent-dockscan-runtime", 1);
    const fs::path fallback = default_staging_parent();
    CHECK(fallback != "/nonexistent-dockscan-runtime");
    if (fs::is_directory("/dev/shm")) {
        CHECK(fallback == "/dev/shm");
    }
    if (saved) {
        ::setenv("RUNTIME_DIRECTORY", old.c_str(), 1);
    } else {
        ::unsetenv("RUNTIME_DIRECTORY");
    }
}
