#pragma once

// Messages and contacts of a docked iPhone come from a backup: the station asks the
// phone's mobilebackup2 service for a full backup into a private staging folder and
// then reads that folder with docking::ios::IosBackupSource.
//
// This is the one code path the simulated iPhone (tests/ios_sim) may not carry in full;
// it is kept in mobile_backup.cpp alone, with the bench procedure for a real iPhone in
// firmware-notes. The protocol, as the phone drives it (DeviceLink messages):
//   we send   version exchange (2.0, 2.1), then the request "Backup" with the UDID
//   phone     DLMessageDownloadFiles   asks for files of an earlier backup: we have none
//             DLMessageGetFreeDiskSpace, DLContentsOfDirectory, DLMessageCreateDirectory
//             DLMessageUploadFiles     sends files: per file its name, then blocks of
//                                      [u32 BE length][code][data] (code 0x0c data,
//                                      0x00 done, 0x0b error from the phone)
//             DLMessageMoveItems, DLMessageRemoveItems, DLMessageCopyItem
//             DLMessageProcessMessage  the result: ErrorCode 0, or why it failed
//   we answer every message with a status response.
//
// Since iOS 16.1 the phone asks for its passcode before it sends anything: the slot
// shows "Ange lösenkod på telefonen" (PhoneWait::enter_passcode) from the request until
// the first message; no message within the passcode timeout is `timed_out`. A phone
// that stays locked, or refuses, answers with an error: `device_locked` or
// `not_authorised`, with the phone's own description.
//
// Every path the phone names is checked (relative, no "." or ".." names) before it is
// used below the staging folder; sizes are bounded by IosDeviceLimits.

#include "docking/ios_device/imd_seam.hpp"
#include "docking/ios_device/ios_device_options.hpp"
#include "docking/phone_connector.hpp"

#include <chrono>
#include <filesystem>
#include <stop_token>
#include <string>

namespace dockscan::docking::ios_device {

struct BackupRequest {
    std::string udid;
    bool asks_passcode = true; // iOS 16.1 and later
    std::chrono::seconds passcode_timeout{180};
    IosDeviceLimits limits{};
};

// Backs the phone up into `staging` (a private, empty folder); the backup is then in
// staging/<UDID>. Returns that folder.
[[nodiscard]] Expected<std::filesystem::path>
run_backup(const Device& device, Lockdown& lockdown, const std::filesystem::path& staging,
           const BackupRequest& request, ConnectProgress& progress, const std::stop_token& stop);

// Where backups are staged: $RUNTIME_DIRECTORY (systemd's RuntimeDirectory=, a tmpfs
// below /run), else /dev/shm, else the temporary folder.
[[nodiscard]] std::filesystem::path default_staging_parent();

// A path the phone names, below `root`; malformed when it is absolute, empty or has
// "." or ".." names.
[[nodiscard]] Expected<std::filesystem::path> phone_backup_path(const std::filesystem::path& root,
                                                                std::string_view phone_path);

} // namespace dockscan::docking::ios_device
