#pragma once

// systemd's notification protocol for Type=notify: ready, a status line, and watchdog
// pings. Everything is a no-op when the daemon does not run under systemd.

#include <chrono>
#include <optional>
#include <string>

namespace dockscan::agent::daemon {

void notify_ready();
void notify_stopping();
void notify_status(const std::string& text);
void notify_watchdog();

// How often to ping the watchdog (half of WATCHDOG_USEC), or nothing when it is off.
[[nodiscard]] std::optional<std::chrono::milliseconds> watchdog_interval();

} // namespace dockscan::agent::daemon
