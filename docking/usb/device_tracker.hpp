#pragma once

// Which phones are docked, kept by the event thread: arrivals are remembered so that a
// departure (when the device can no longer be asked for its serial) reports the same
// port, kind and serial; and the polling fallback's diff between two listings.

#include "docking/dock_events.hpp"

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

namespace dockscan::docking::usb {

// A device while it is attached: its bus and the address the host gave it. A device
// that is unplugged and plugged in again gets a new address, so it is a new key.
struct DeviceKey {
    std::uint8_t bus = 0;
    std::uint8_t address = 0;
    auto operator<=>(const DeviceKey&) const = default;
};

struct DeviceSetDiff {
    std::vector<DeviceKey> left;    // in `before`, not in `now`
    std::vector<DeviceKey> arrived; // in `now`, not in `before`
};

// What changed between two listings of the bus (the polling fallback).
[[nodiscard]] DeviceSetDiff diff_device_sets(const std::set<DeviceKey>& before,
                                             const std::set<DeviceKey>& now);

class PhoneTracker {
public:
    // Remembers the phone `arrival` announced for `key` and returns it.
    DockEvent arrived(DeviceKey key, DockEvent arrival);

    // The departure of the phone at `key`, or std::nullopt for a device that was never
    // reported (a hub, a keyboard, a phone whose serial could not be read).
    [[nodiscard]] std::optional<DockEvent> left(DeviceKey key);

    [[nodiscard]] std::size_t size() const { return m_docked.size(); }

private:
    std::map<DeviceKey, DockEvent> m_docked;
};

} // namespace dockscan::docking::usb
