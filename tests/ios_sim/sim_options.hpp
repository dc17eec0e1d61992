#pragma once

// What the simulated iPhone is and how it behaves (dockscan-ios-sim's options).

#include <cstdint>
#include <optional>
#include <string>

namespace dockscan::testing::ios_sim {

// How the phone's user answers "Trust this computer?".
enum class TrustMode { accept, pending_then_accept, refuse };
// What the phone does when a backup is asked for.
enum class BackupMode { ok, locked, refuse };

struct SimOptions {
    std::string socket_path;
    std::string state_dir;
    std::string media_dir;
    std::string udid = "00008120-001A2B3C4D5E6F7A";
    std::string name = "Simulerad iPhone";
    std::string serial = "DNPZK1ABN72J";
    std::string product_version = "17.5";
    std::string product_type = "iPhone15,4";
    TrustMode trust = TrustMode::accept;
    int pending_answers = 1;
    std::optional<std::uint64_t> drop_after_bytes;
    // After a drop, plug the phone back in this much later (Attached again); without it
    // the phone stays unplugged until the simulator is restarted.
    std::optional<int> reattach_after_ms;
    BackupMode backup = BackupMode::ok;
    // The phone's files for backups, by domain: DIR/HomeDomain/Library/SMS/sms.db.
    std::string backup_data_dir;
    // How long a locked phone shows its passcode prompt before it gives up (a real
    // phone waits about three minutes).
    int passcode_wait_ms = 1500;
    bool trace = false;
};

} // namespace dockscan::testing::ios_sim
