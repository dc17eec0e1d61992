#pragma once

// The station's configuration (/etc/dockscan/dockscan.toml): where the store is, which
// USB port is which slot, the sampling policy, the detectors, retention, the status
// socket, the LEDs and the session timeouts. Read once at start; a bad file is refused
// with the line of the key at fault.

#include "agent/central/central_settings.hpp"
#include "agent/error.hpp"
#include "agent/scan/analysis.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dockscan::agent::daemon {

struct Slot {
    int number = 0;
    std::string label;
};

enum class SamplingMode { every_docking, quota };

struct SamplingConfig {
    SamplingMode mode = SamplingMode::every_docking;
    // The share of each unit's registered phones that get a full control per quarter.
    double share = 0.20;
    // The seed of the random draw; nothing: from the system's entropy.
    std::optional<std::uint64_t> seed;
};

enum class EventSourceKind { usb, script };

struct LedPins {
    int busy = -1;      // lit while the slot is scanning or waiting for the phone
    int attention = -1; // lit when the person at the dock must act, or the scan failed
};

// Where the status socket is when [status] socket does not say (the unit's
// RuntimeDirectory=).
inline constexpr const char* k_default_status_socket = "/run/dockscan/status.sock";

struct DaemonConfig {
    std::filesystem::path store;
    std::filesystem::path key_file;    // empty: the systemd credential dockscan-store-key
    std::map<std::string, Slot> slots; // by USB port path ("1-1.4")
    SamplingConfig sampling;
    AnalysisOptions analysis;
    std::size_t workers = 0; // 0: one per core
    // [detectors] sandbox: analysis in sandboxed worker processes (agent/sandbox). Off
    // only to debug the detectors: then a crash in a decoder ends the daemon.
    bool sandbox = true;
    // [detectors] worker_memory_mb: address space one item may use in a worker, over
    // what the worker holds with its models loaded.
    std::uint64_t worker_memory_mb = 512;
    // [detectors] item_timeout_s: how long one item may take in a worker.
    std::chrono::seconds item_timeout{60};
    // Findings and evidence older than this are purged once reported. Validated only:
    // nothing purges yet (see the report of issue 6).
    int retention_days = 365;
    // For `dockscan serve` (the daemon opens no network socket): where it listens, its
    // TLS certificate and key (required off loopback), the names browsers use for it.
    std::string web_listen = "127.0.0.1:8443";
    std::filesystem::path web_tls_cert;
    std::filesystem::path web_tls_key;
    std::vector<std::string> web_server_names;
    std::filesystem::path status_socket = k_default_status_socket;
    // [status] show_review: a docking with findings shows "Klar, granskas" instead of
    // "Klar" at the dock. Off: staff standing by must not learn whose phone had findings.
    bool show_review_at_dock = false;
    EventSourceKind events = EventSourceKind::usb;
    std::filesystem::path event_script; // the socket a test writes JSON lines to
    std::chrono::milliseconds usb_poll_interval = std::chrono::seconds(1);
    // List the bus every poll interval even where libusb has hotplug (lost events).
    bool usb_force_polling = false;
    std::string gpio_chip = "gpiochip0";
    std::map<int, LedPins> leds; // by slot number
    // How long the phone may take to be allowed (USB debugging, Trust) by the person.
    std::chrono::milliseconds authorise_timeout = std::chrono::seconds(60);
    // How long a phone may stay silent during a transfer before it counts as gone.
    std::chrono::milliseconds transfer_timeout = std::chrono::seconds(30);
    // How long an iPhone may wait for its passcode before its backup (iOS 16.1 and later).
    std::chrono::milliseconds passcode_timeout = std::chrono::seconds(180);
    // The station's backup password, for iPhones with backup encryption on (a file
    // readable by the daemon's user only); empty: such phones' messages are not fetched.
    std::filesystem::path ios_backup_password_file;
    // [central]: the municipality's central database (issue 18). With it, `dockscan run`
    // sends the outbox there and match hashes use the fleet key.
    std::optional<central::CentralSettings> central;
    // The line of every section and key of the file ("store", "store.key_file",
    // "leds.chip"), for messages about what a key names (`dockscan run --check`).
    std::map<std::string, int> lines;
};

// Reads and checks the configuration. ErrorCode::config with "FILE:LINE: reason" for
// a syntax error or a value that is wrong.
[[nodiscard]] Expected<DaemonConfig> load_config(const std::filesystem::path& path);

// Reads the `[central_review]` section of `path` (a review server's own file, or a
// station's): the review role's login to the central database. ErrorCode::config when
// the section is missing or wrong.
[[nodiscard]] Expected<central::ReviewSettings>
load_review_config(const std::filesystem::path& path);

} // namespace dockscan::agent::daemon
