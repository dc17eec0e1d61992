#pragma once

// Simulated dockings for tests: a local socket that the test connects to and writes
// JSON lines to, one event per line:
//   {"event":"arrived","port":"1-1.2","kind":"adb","serial":"SIM1","endpoint":"tcp:127.0.0.1:40001"}
//   {"event":"left","port":"1-1.2"}
// The phones behind the events are real protocol simulators; only the hotplug is scripted.

#include "agent/error.hpp"
#include "docking/dock_events.hpp"

#include <filesystem>
#include <memory>

namespace dockscan::agent::daemon {

// Listens at `path` (mode 0600) and reports the events written to it.
[[nodiscard]] Expected<std::unique_ptr<docking::DockEventSource>>
open_script_events(const std::filesystem::path& path);

// One line of the script as an event; an error names what is wrong with it.
[[nodiscard]] docking::Expected<docking::DockEvent> parse_script_event(std::string_view line);

} // namespace dockscan::agent::daemon
