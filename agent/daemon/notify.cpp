#include "agent/daemon/notify.hpp"

#include <algorithm>
#include <cstdint>
#include <systemd/sd-daemon.h>

// The one translation unit that includes libsystemd.

namespace dockscan::agent::daemon {

void notify_ready() {
    (void)sd_notify(0, "READY=1");
}

void notify_stopping() {
    (void)sd_notify(0, "STOPPING=1");
}

void notify_status(const std::string& text) {
    // A status line is one line: a newline would start another assignment.
    std::string line = "STATUS=" + text;
    for (char& c : line) {
        if (c == '\n') {
            c = ' ';
        }
    }
    (void)sd_notify(0, line.c_str());
}

void notify_watchdog() {
    (void)sd_notify(0, "WATCHDOG=1");
}

std::optional<std::chrono::milliseconds> watchdog_interval() {
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) {
        return std::nullopt;
    }
    return std::chrono::milliseconds(std::max<std::uint64_t>(1, usec / 2000));
}

} // namespace dockscan::agent::daemon
