#pragma once

// The docking daemon (`dockscan run`): waits for phones on the configured slots, runs a
// session per docked phone, shows each slot's state on the status socket (and LEDs),
// tells systemd it is ready and alive, and on a stop request (SIGTERM) stops the
// sessions, which record how far they came.

#include "agent/daemon/config.hpp"
#include "agent/error.hpp"
#include "agent/scan/scan_pipeline.hpp"

#include <stop_token>

namespace dockscan::agent::daemon {

// Runs until `stop` is requested. An error only when the daemon cannot start (store,
// sockets, GPIO); a phone's failure is recorded and never ends the daemon. `analysers`
// makes each analysis worker's analyser (the composition root's sandbox); empty: in
// this process.
[[nodiscard]] Expected<void> run_daemon(const DaemonConfig& config, std::stop_token stop,
                                        AnalyserFactory analysers = {});

} // namespace dockscan::agent::daemon
