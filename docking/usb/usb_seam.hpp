#pragma once

// The station's USB: libusb hotplug as a DockEventSource, and ADB's USB transport (a
// bulk IN/OUT endpoint pair of the ADB interface) as a ByteTransport. Only
// docking/usb/libusb_seam.cpp includes libusb.h.

#include "docking/adb/byte_transport.hpp"
#include "docking/dock_events.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace dockscan::docking::usb {

// How the bus is watched. Polling is the fallback where libusb has no hotplug (no
// netlink/udev, non-Linux); forcing it is for machines whose hotplug events get lost.
enum class UsbWatch {
    hotplug_where_supported,
    polling,
};

struct UsbEventOptions {
    // Where libusb has no hotplug support, the bus is listed this often.
    std::chrono::milliseconds poll_interval = std::chrono::seconds(1);
    UsbWatch watch = UsbWatch::hotplug_where_supported;
};

// Phones arriving and leaving on every USB bus of the station. Devices that are neither
// Apple nor expose an ADB interface are logged and not reported. Phones docked before
// the call arrive first. ErrorCode::unsupported when libusb cannot start on this
// machine (no USB device filesystem).
[[nodiscard]] Expected<std::unique_ptr<DockEventSource>>
open_usb_dock_events(const UsbEventOptions& options = {});

// Opens the ADB interface of the Android phone in USB port `port` ("1-1.4"), claims it
// and returns its bulk endpoints as a byte pipe for adb::AdbSource::open. Errors:
// `interrupted` (no device in the port: it left), `not_a_source` (no ADB interface),
// `unreadable` (no permission: udev rules; or another adb server holds it).
[[nodiscard]] Expected<std::unique_ptr<adb::ByteTransport>>
open_usb_adb_transport(const std::string& port,
                       std::chrono::milliseconds read_timeout = std::chrono::seconds(30));

} // namespace dockscan::docking::usb
