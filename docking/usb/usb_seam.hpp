#pragma once

// The station's USB: libusb hotplug as a DockEventSource, and ADB's USB transport (a
// bulk IN/OUT endpoint pair of the ADB interface) as a ByteTransport. Only
// docking/usb/*.cpp include libusb.h.

#include <chrono>
#include <memory>
#include <string>

#include "docking/adb/byte_transport.hpp"
#include "docking/dock_events.hpp"

namespace dockscan::docking::usb {

struct UsbEventOptions {
    // Where libusb has no hotplug support, the bus is listed this often.
    std::chrono::milliseconds poll_interval = std::chrono::seconds(1);
};

// Phones arriving and leaving on every USB bus of the station. Devices that are neither
// Apple nor expose an ADB interface are logged and not reported.
[[nodiscard]] Expected<std::unique_ptr<DockEventSource>>
open_usb_dock_events(const UsbEventOptions& options = {});

// Opens the ADB interface of the Android phone in USB port `port` ("1-1.4"), claims it
// and returns its bulk endpoints as a byte pipe for adb::AdbSource::open.
[[nodiscard]] Expected<std::unique_ptr<adb::ByteTransport>>
open_usb_adb_transport(const std::string& port,
                       std::chrono::milliseconds read_timeout = std::chrono::seconds(30));

} // namespace dockscan::docking::usb
