#pragma once

// A simulated Android phone that speaks ADB over TCP as adbd does on port 5555, for
// tests. Written independently of docking/adb (its own message code) so that a bug
// there is not mirrored here; the real `adb` client is the judge of its fidelity.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace dockscan::testing::adb_sim {

enum class AuthMode {
    none,     // no AUTH: CNXN at once (like an eng build with auth off)
    accept,   // ask for AUTH; accept any RSAPUBLICKEY (tap Allow), then signatures by it
    withhold, // ask for AUTH and never accept (nobody taps Allow)
    // Allow only the first key offered; later connections must sign with it (proves
    // that the signature and the public key format are what adbd checks).
    accept_once,
};

struct SimOptions {
    std::uint16_t port = 0;
    std::filesystem::path storage;               // served as /sdcard
    std::optional<std::filesystem::path> backup; // what `bu backup` streams
    AuthMode auth = AuthMode::none;
    // Closes the connection once this many bytes of file content (sync RECV data and
    // backup bytes together) have been sent on it.
    std::optional<std::uint64_t> drop_after_bytes;
    bool trace = false; // services, sync requests and AUTH types to stderr
    std::string serial = "SIM0123456789";
    std::string model = "Pixel 4a";
    std::string product = "sunfish";
};

// Listens on 127.0.0.1, prints the port on stdout, and serves connections until killed.
int serve(const SimOptions& options);

} // namespace dockscan::testing::adb_sim
