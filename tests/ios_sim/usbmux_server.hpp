#pragma once

// usbmuxd's side of its socket protocol (version 1, plist messages): a 16-byte
// little-endian header (length, version, message type 8, tag) and an XML plist.

#include "tests/ios_sim/plist_util.hpp"

#include <cstdint>
#include <string>

namespace dockscan::testing::ios_sim {

class SimState;

// One usbmuxd message: header and XML body.
[[nodiscard]] std::string usbmux_frame(std::uint32_t tag, const Plist& body);

// usbmuxd's Attached message for the simulated phone.
[[nodiscard]] Plist attached_message(const SimState& state);

// Serves one client of the usbmuxd socket until it leaves; after a successful Connect
// the socket belongs to the device port (lockdownd or a started service).
void serve_usbmux_client(int fd, SimState& state);

} // namespace dockscan::testing::ios_sim
