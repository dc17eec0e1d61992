#pragma once

// What the daemon's config decides about docked iPhones.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace dockscan::docking::ios_device {

// Every size the phone reports is bounded by these.
struct IosDeviceLimits {
    std::uint64_t max_photo_bytes = 64u << 20;        // one photo read through AFC
    std::uint64_t max_photo_library_bytes = 1u << 30; // PhotoData/Photos.sqlite
    std::size_t max_items = 1'000'000;                // photos listed
    std::size_t max_folder_entries = 200'000;         // entries of one DCIM folder
    std::size_t max_depth = 8;                        // folder nesting below DCIM
    std::uint64_t max_backup_bytes = 16ull << 30;     // all files of the backup
    std::size_t max_backup_files = 2'000'000;         // files of the backup
};

// Whether to ask the phone for a backup (messages, contacts) while listing.
enum class MessageBackup { pull, skip };

struct IosConnectorOptions {
    // How long the phone may show "Trust this computer?" before the docking gives up.
    std::chrono::seconds trust_timeout{120};
    // How long the phone may wait for its passcode before a backup (iOS 16.1+).
    std::chrono::seconds passcode_timeout{180};
    // How long usbmuxd may take to see a phone that libusb already saw.
    std::chrono::seconds appear_timeout{15};
    // The station's backup password, for phones with backup encryption on.
    std::optional<std::string> backup_password;
    MessageBackup messages = MessageBackup::pull;
    IosDeviceLimits limits{};
    // Where the backup is staged; default $RUNTIME_DIRECTORY, else /dev/shm, else $TMPDIR.
    std::optional<std::filesystem::path> staging_parent;
};

} // namespace dockscan::docking::ios_device
