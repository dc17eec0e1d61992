#pragma once

// Phones arriving at and leaving the docking station's USB ports, as the daemon sees
// them. The station's source is libusb hotplug (docking/usb); tests drive the same
// interface from a script of simulated dockings. Nothing here is trusted: the serial is
// what the phone's USB descriptor claims.

#include "docking/error.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>

namespace dockscan::docking {

// What a USB device exposes decides the backend (anything else is ignored and logged).
enum class PhoneKind {
    android_adb, // an interface of class 0xff, subclass 0x42, protocol 0x01
    iphone,      // Apple, vendor 0x05ac
};

struct DockEvent {
    enum class Type { arrived, left };
    Type type = Type::arrived;
    // The USB port the phone is in, as libusb reports it: "BUS-PORT.PORT...", e.g.
    // "1-1.4". The slot map in the config is keyed by it.
    std::string port;
    PhoneKind kind = PhoneKind::android_adb;
    // The USB serial number: an ADB serial, or an iPhone's UDID.
    std::string serial;
    std::uint16_t vendor = 0;
    std::uint16_t product = 0;
    // How to reach the phone: "usb:BUS-PORTS" for a real device, "tcp:HOST:PORT" for a
    // simulated one (tests), "usbmux:UDID" for an iPhone behind usbmuxd.
    std::string endpoint;
};

class DockEventSource {
public:
    virtual ~DockEventSource() = default;

    // The next arrival or departure; std::nullopt when `timeout` passed or `stop` was
    // requested. An error means the source itself broke (the daemon logs it and retries).
    [[nodiscard]] virtual Expected<std::optional<DockEvent>> next(std::chrono::milliseconds timeout,
                                                                  std::stop_token stop) = 0;
};

} // namespace dockscan::docking
