#pragma once

// What a USB device tells the station about itself, as plain values, and the pure
// decisions taken on it: which phone it is, which port it is in, how its serial is
// spelled. libusb_seam.cpp fills these structs; the tests feed them by hand.

#include "docking/dock_events.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::docking::usb {

inline constexpr std::uint16_t k_apple_vendor = 0x05ac;
// ADB's interface: vendor-specific class, subclass 0x42, protocol 0x01.
inline constexpr std::uint8_t k_adb_class = 0xff;
inline constexpr std::uint8_t k_adb_subclass = 0x42;
inline constexpr std::uint8_t k_adb_protocol = 0x01;

struct UsbEndpoint {
    std::uint8_t address = 0;    // bit 7 set: IN (device to host)
    std::uint8_t attributes = 0; // bits 0-1: transfer type, 2 = bulk
    std::uint16_t max_packet_size = 0;
};

// One alternate setting of one interface of the active configuration.
struct UsbAltSetting {
    std::uint8_t interface_number = 0;
    std::uint8_t alt_setting = 0;
    std::uint8_t interface_class = 0;
    std::uint8_t interface_subclass = 0;
    std::uint8_t interface_protocol = 0;
    std::vector<UsbEndpoint> endpoints;
};

struct UsbDeviceDescription {
    std::uint16_t vendor = 0;
    std::uint16_t product = 0;
    std::uint8_t device_class = 0;
    std::uint8_t bus = 0;
    std::vector<std::uint8_t> ports; // the port chain from the root hub, empty for it
    // iSerialNumber as the device sent it (ASCII), empty when it has none or it could
    // not be read (no permission on the device node).
    std::string serial;
    std::vector<UsbAltSetting> alt_settings;
};

// The ADB interface of an Android phone and its bulk endpoint pair.
struct AdbInterface {
    std::uint8_t interface_number = 0;
    std::uint8_t alt_setting = 0;
    std::uint8_t in_endpoint = 0;
    std::uint8_t out_endpoint = 0;
    std::uint16_t in_max_packet_size = 0;
    std::uint16_t out_max_packet_size = 0;
};

// "BUS-P1.P2.P3" as the slot map keys ports, e.g. "1-1.4" (the same spelling as the
// kernel's sysfs names); "usbBUS" for a root hub, which has no port chain.
[[nodiscard]] std::string format_port_path(std::uint8_t bus, std::span<const std::uint8_t> ports);

// Whether the serial a device claims is usable as an identifier: 1 to 64 characters of
// letters, digits and ". _ : -". Anything else is not trusted, logged or stored.
[[nodiscard]] bool plausible_serial(std::string_view serial);

// The ADB interface with bulk IN and OUT endpoints, when the device has one.
[[nodiscard]] std::optional<AdbInterface> find_adb_interface(const UsbDeviceDescription& device);

// Whether any alt setting is ADB's (class, subclass, protocol), endpoints aside.
[[nodiscard]] bool has_adb_interface(const UsbDeviceDescription& device);

struct Classification {
    std::optional<PhoneKind> kind;
    // Why the device is not a phone we scan (for the log), empty for a phone.
    std::string reason;
};

// Apple mobile devices in normal mode (products 0x1290-0x12af, the range usbmuxd
// serves) are iPhones; recovery/DFU mode and other Apple devices are not scanned.
// A device with an ADB interface is an Android phone. Everything else is ignored.
[[nodiscard]] Classification classify(const UsbDeviceDescription& device);

// The arrival event for `device`, or std::nullopt with `reason` filled when the
// device is not a phone or its serial is unusable.
[[nodiscard]] std::optional<DockEvent> make_arrival(const UsbDeviceDescription& device,
                                                    std::string& reason);

// A USB bulk OUT transfer that is an exact multiple of the endpoint's packet size
// ends with a full packet, so the device cannot tell it has ended: a zero-length packet
// must follow (ADB's adbd waits for it).
[[nodiscard]] bool needs_zero_length_packet(std::size_t transfer_size, std::size_t max_packet_size);

// "18d1:4ee7", for logs.
[[nodiscard]] std::string vendor_product(std::uint16_t vendor, std::uint16_t product);

} // namespace dockscan::docking::usb
