#pragma once

// The property lists at the top of an iOS backup folder:
//   Info.plist      what iTunes/Finder show: "Device Name", "Serial Number",
//                   "Unique Identifier" (or "Target Identifier"), "Product Type",
//                   "Product Version"
//   Manifest.plist  IsEncrypted, BackupKeyBag, ManifestKey (iOS 10.2+), and Lockdown
//                   (DeviceName, SerialNumber, UniqueDeviceID, ProductType,
//                   ProductVersion)
//   Status.plist    SnapshotState ("finished" once the backup completed)

#include "docking/error.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace dockscan::docking::ios {

struct DeviceIdentity {
    std::string udid;
    std::string serial;
    std::string name;
    std::string product_type; // "iPhone14,5"
    std::string product_version;

    // Fills every field that is empty here from `other`.
    void complete_from(const DeviceIdentity& other);
};

struct BackupManifest {
    bool encrypted = false;
    std::string keybag;       // BackupKeyBag
    std::string manifest_key; // ManifestKey: 4-byte class + wrapped key; empty before iOS 10.2
    DeviceIdentity lockdown;
};

[[nodiscard]] Expected<DeviceIdentity> parse_info_plist(std::string_view bytes);
[[nodiscard]] Expected<BackupManifest> parse_manifest_plist(std::string_view bytes);
// Status.plist's SnapshotState, when it has one.
[[nodiscard]] Expected<std::optional<std::string>> parse_status_plist(std::string_view bytes);

} // namespace dockscan::docking::ios
