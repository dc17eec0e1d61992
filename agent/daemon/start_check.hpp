#pragma once

// `dockscan run --check`: what would stop the daemon at start, found before it starts.
// Beyond the configuration's own syntax and values (load_config), the files the config
// names and the daemon opens at start: the store, its key (a key file, or the systemd
// credential the unit loads), the face and person models, the GPIO chip of the LEDs and
// the iPhones' backup password file.

#include "agent/daemon/config.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace dockscan::agent::daemon {

// Where the packaged unit loads the store key from (LoadCredentialEncrypted=).
inline constexpr const char* k_encrypted_credential = "/etc/credstore.encrypted/dockscan-store-key";

struct StartCheckEnvironment {
    // The systemd credential the unit would load, checked when the config names no key
    // file and the check does not itself run with $CREDENTIALS_DIRECTORY.
    std::filesystem::path encrypted_credential = k_encrypted_credential;
    // Where GPIO chips named without a path are ("gpiochip0" is /dev/gpiochip0).
    std::filesystem::path dev = "/dev";
};

// Every problem found, each "FILE:LINE: reason" with the line of the key that names the
// file (or of its section, or "FILE: reason" for a default the file does not set).
// Empty: the daemon has what it opens at start.
[[nodiscard]] std::vector<std::string> check_start(const DaemonConfig& config,
                                                   const std::filesystem::path& config_file,
                                                   const StartCheckEnvironment& environment = {});

} // namespace dockscan::agent::daemon
