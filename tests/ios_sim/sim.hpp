#pragma once

// The simulated iPhone behind a usbmuxd socket.

#include "tests/ios_sim/sim_options.hpp"

namespace dockscan::testing::ios_sim {

// Listens on options.socket_path, prints "ready" and serves until killed; returns a
// process exit code when it cannot start.
[[nodiscard]] int serve(const SimOptions& options);

} // namespace dockscan::testing::ios_sim
