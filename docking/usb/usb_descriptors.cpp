#include "docking/usb/usb_descriptors.hpp"

#include "docking/udid.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace dockscan::docking::usb {
namespace {

constexpr std::uint8_t k_endpoint_in = 0x80;
constexpr std::uint8_t k_transfer_type_mask = 0x03;
constexpr std::uint8_t k_transfer_type_bulk = 0x02;
constexpr std::uint8_t k_hub_class = 0x09;
// Apple mobile devices in normal mode; recovery (0x1281) and DFU (0x1227) are outside.
constexpr std::uint16_t k_apple_mobile_first = 0x1290;
constexpr std::uint16_t k_apple_mobile_last = 0x12af;
constexpr std::size_t k_max_serial = 64;

bool is_adb(const UsbAltSetting& alt) {
    return alt.interface_class == k_adb_class && alt.interface_subclass == k_adb_subclass &&
           alt.interface_protocol == k_adb_protocol;
}

std::string hex4(std::uint16_t value) {
    constexpr std::array<char, 16> digits{'0', '1', '2', '3', '4', '5', '6', '7',
                                          '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    std::string out(4, '0');
    for (std::size_t i = 0; i < 4; ++i) {
        out[3 - i] = digits[(value >> (4 * i)) & 0xfU];
    }
    return out;
}

} // namespace

std::string format_port_path(std::uint8_t bus, std::span<const std::uint8_t> ports) {
    if (ports.empty()) {
        return "usb" + std::to_string(bus);
    }
    std::string path = std::to_string(bus) + "-";
    for (std::size_t i = 0; i < ports.size(); ++i) {
        if (i > 0) {
            path += '.';
        }
        path += std::to_string(ports[i]);
    }
    return path;
}

bool plausible_serial(std::string_view serial) {
    if (serial.empty() || serial.size() > k_max_serial) {
        return false;
    }
    return std::all_of(serial.begin(), serial.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' ||
               c == ':' || c == '-';
    });
}

bool has_adb_interface(const UsbDeviceDescription& device) {
    return std::any_of(device.alt_settings.begin(), device.alt_settings.end(), is_adb);
}

std::optional<AdbInterface> find_adb_interface(const UsbDeviceDescription& device) {
    for (const UsbAltSetting& alt : device.alt_settings) {
        if (!is_adb(alt)) {
            continue;
        }
        std::optional<UsbEndpoint> in;
        std::optional<UsbEndpoint> out;
        for (const UsbEndpoint& endpoint : alt.endpoints) {
            if ((endpoint.attributes & k_transfer_type_mask) != k_transfer_type_bulk ||
                endpoint.max_packet_size == 0) {
                continue;
            }
            if ((endpoint.address & k_endpoint_in) != 0) {
                if (!in) {
                    in = endpoint;
                }
            } else if (!out) {
                out = endpoint;
            }
        }
        if (in && out) {
            return AdbInterface{alt.interface_number, alt.alt_setting,     in->address,
                                out->address,         in->max_packet_size, out->max_packet_size};
        }
    }
    return std::nullopt;
}

Classification classify(const UsbDeviceDescription& device) {
    if (device.vendor == k_apple_vendor) {
        if (device.product >= k_apple_mobile_first && device.product <= k_apple_mobile_last) {
            return {PhoneKind::iphone, {}};
        }
        return {std::nullopt,
                "an Apple device that is no iPhone/iPad in normal mode (recovery, DFU or an "
                "accessory)"};
    }
    if (has_adb_interface(device)) {
        return {PhoneKind::android_adb, {}};
    }
    if (device.device_class == k_hub_class) {
        return {std::nullopt, "a hub"};
    }
    return {std::nullopt, "no ADB interface (an Android phone with USB debugging off, or not "
                          "a phone)"};
}

std::optional<DockEvent> make_arrival(const UsbDeviceDescription& device, std::string& reason) {
    const Classification classification = classify(device);
    if (!classification.kind) {
        reason = classification.reason;
        return std::nullopt;
    }
    if (!plausible_serial(device.serial)) {
        reason = device.serial.empty() ? "a phone whose USB serial could not be read"
                                       : "a phone with an implausible USB serial";
        return std::nullopt;
    }
    DockEvent event;
    event.type = DockEvent::Type::arrived;
    event.port = format_port_path(device.bus, device.ports);
    event.kind = *classification.kind;
    event.vendor = device.vendor;
    event.product = device.product;
    if (event.kind == PhoneKind::iphone) {
        // usbmuxd and the MDM spell newer UDIDs with a dash that the USB serial lacks.
        auto udid = normalise_udid(device.serial);
        event.serial = udid ? *udid : device.serial;
        event.endpoint = "usbmux:" + event.serial;
    } else {
        event.serial = device.serial;
        event.endpoint = "usb:" + event.port;
    }
    return event;
}

bool needs_zero_length_packet(std::size_t transfer_size, std::size_t max_packet_size) {
    return transfer_size > 0 && max_packet_size > 0 && transfer_size % max_packet_size == 0;
}

std::string vendor_product(std::uint16_t vendor, std::uint16_t product) {
    return hex4(vendor) + ":" + hex4(product);
}

} // namespace dockscan::docking::usb
