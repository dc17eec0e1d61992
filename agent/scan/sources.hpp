#pragma once

// The table of phone sources dockscan can scan, and how a SOURCE argument picks one.
// The agent is the only place that knows the concrete backends.

#include "agent/error.hpp"
#include "docking/phone_source.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace dockscan::agent {

struct SourceOptions {
    // Unlocks encrypted iOS and Android backups.
    std::optional<std::string> backup_password;
    // How long a live phone may wait for the person holding it (Allow USB debugging, Trust,
    // the passcode for a backup); each backend's own default when not given.
    std::optional<std::chrono::seconds> phone_wait;
};

// Opens what `dockscan scan SOURCE` names: an iOS backup folder, an `adb backup`
// archive (.ab), an SMS Backup & Restore export (.xml), a folder copy of a phone's storage,
// a live Android phone over ADB's TCP transport ("adb:HOST:PORT"), or a docked iPhone
// through usbmuxd ("usbmux:UDID": pairing asks the person to tap Trust). An unknown or unreadable
// source is ErrorCode::input with a reason a person can act on.
[[nodiscard]] Expected<std::unique_ptr<docking::PhoneSource>>
open_source(const std::string& source, const SourceOptions& options = {});

// Reads a backup password from a file (the first line); refuses a file that group or
// others can read, like the store key.
[[nodiscard]] Expected<std::string> read_password_file(const std::string& path);

} // namespace dockscan::agent
