#include "docking/usb/device_tracker.hpp"

#include <algorithm>
#include <iterator>

namespace dockscan::docking::usb {

DeviceSetDiff diff_device_sets(const std::set<DeviceKey>& before, const std::set<DeviceKey>& now) {
    DeviceSetDiff diff;
    std::set_difference(before.begin(), before.end(), now.begin(), now.end(),
                        std::back_inserter(diff.left));
    std::set_difference(now.begin(), now.end(), before.begin(), before.end(),
                        std::back_inserter(diff.arrived));
    return diff;
}

DockEvent PhoneTracker::arrived(DeviceKey key, DockEvent arrival) {
    arrival.type = DockEvent::Type::arrived;
    m_docked.insert_or_assign(key, arrival);
    return arrival;
}

std::optional<DockEvent> PhoneTracker::left(DeviceKey key) {
    const auto found = m_docked.find(key);
    if (found == m_docked.end()) {
        return std::nullopt;
    }
    DockEvent departure = std::move(found->second);
    m_docked.erase(found);
    departure.type = DockEvent::Type::left;
    return departure;
}

} // namespace dockscan::docking::usb
