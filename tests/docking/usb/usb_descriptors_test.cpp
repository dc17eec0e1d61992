#include "docking/usb/usb_descriptors.hpp"

#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

using namespace dockscan::docking;
using namespace dockscan::docking::usb;

namespace {

constexpr std::uint8_t k_bulk = 0x02;
constexpr std::uint8_t k_interrupt = 0x03;

UsbAltSetting mtp(std::uint16_t packet) {
    return {0,    0,    0x06,
            0x01, 0x01, {{0x81, k_bulk, packet}, {0x01, k_bulk, packet}, {0x82, k_interrupt, 28}}};
}

UsbAltSetting adb(std::uint8_t number, std::uint16_t packet) {
    return {number, 0, 0xff, 0x42, 0x01, {{0x02, k_bulk, packet}, {0x83, k_bulk, packet}}};
}

// A Pixel in "File transfer" mode with USB debugging on: MTP and ADB, high speed.
UsbDeviceDescription pixel() {
    UsbDeviceDescription d;
    d.vendor = 0x18d1;
    d.product = 0x4ee2;
    d.bus = 1;
    d.ports = {1, 4};
    d.serial = "2A281FDH3005ZE";
    d.alt_settings = {mtp(512), adb(1, 512)};
    return d;
}

// An iPhone 12 as usbmuxd sees it: its USB serial is the UDID without the dash.
UsbDeviceDescription iphone() {
    UsbDeviceDescription d;
    d.vendor = 0x05ac;
    d.product = 0x12a8;
    d.bus = 3;
    d.ports = {2, 1, 3};
    d.serial = "00008101000A2D3E0C38002E";
    d.alt_settings = {{0, 0, 0x06, 0x01, 0x01, {}}, {1, 0, 0xff, 0xfe, 0x02, {}}};
    return d;
}

} // namespace

TEST_CASE("USB port paths are spelled as the kernel and the slot map spell them") {
    const std::array<std::uint8_t, 2> two{1, 4};
    const std::array<std::uint8_t, 3> three{2, 1, 3};
    const std::array<std::uint8_t, 7> deepest{1, 2, 3, 4, 5, 6, 7};
    const std::array<std::uint8_t, 1> wide{14};
    CHECK(format_port_path(1, two) == "1-1.4");
    CHECK(format_port_path(3, three) == "3-2.1.3");
    CHECK(format_port_path(2, deepest) == "2-1.2.3.4.5.6.7");
    CHECK(format_port_path(10, wide) == "10-14");
    CHECK(format_port_path(4, {}) == "usb4");
}

TEST_CASE("a device is a phone by what it exposes") {
    SECTION("an Android phone with USB debugging on") {
        CHECK(classify(pixel()).kind == PhoneKind::android_adb);
    }
    SECTION("a Samsung with ADB beside MTP and a modem interface") {
        UsbDeviceDescription d = pixel();
        d.vendor = 0x04e8;
        d.product = 0x6860;
        d.alt_settings = {mtp(512), {1, 0, 0x02, 0x02, 0x01, {}}, adb(2, 512)};
        CHECK(classify(d).kind == PhoneKind::android_adb);
    }
    SECTION("an Android phone with USB debugging off is ignored, and the log says why") {
        UsbDeviceDescription d = pixel();
        d.alt_settings = {mtp(512)};
        const Classification c = classify(d);
        CHECK_FALSE(c.kind);
        CHECK_THAT(c.reason, Catch::Contains("USB debugging off"));
    }
    SECTION("fastboot (protocol 0x03) is not ADB") {
        UsbDeviceDescription d = pixel();
        d.product = 0x4ee0;
        d.alt_settings = {{0, 0, 0xff, 0x42, 0x03, {{0x81, k_bulk, 512}, {0x01, k_bulk, 512}}}};
        CHECK_FALSE(classify(d).kind);
    }
    SECTION("an iPhone") {
        CHECK(classify(iphone()).kind == PhoneKind::iphone);
    }
    SECTION("an iPhone in recovery mode, or an Apple keyboard, is not scanned") {
        UsbDeviceDescription d = iphone();
        d.product = 0x1281;
        CHECK_FALSE(classify(d).kind);
        d.product = 0x024f;
        CHECK_FALSE(classify(d).kind);
    }
    SECTION("a hub and a keyboard are ignored") {
        UsbDeviceDescription hub;
        hub.vendor = 0x2109;
        hub.product = 0x2817;
        hub.device_class = 0x09;
        hub.alt_settings = {{0, 0, 0x09, 0x00, 0x02, {{0x81, k_interrupt, 1}}}};
        CHECK_FALSE(classify(hub).kind);
        CHECK(classify(hub).reason == "a hub");
        UsbDeviceDescription keyboard;
        keyboard.vendor = 0x046d;
        keyboard.product = 0xc31c;
        keyboard.alt_settings = {{0, 0, 0x03, 0x01, 0x01, {{0x81, k_interrupt, 8}}}};
        CHECK_FALSE(classify(keyboard).kind);
    }
}

TEST_CASE("the ADB interface's bulk endpoint pair is found") {
    SECTION("beside MTP, on interface 1") {
        const auto found = find_adb_interface(pixel());
        REQUIRE(found);
        CHECK(found->interface_number == 1);
        CHECK(found->alt_setting == 0);
        CHECK(found->in_endpoint == 0x83);
        CHECK(found->out_endpoint == 0x02);
        CHECK(found->in_max_packet_size == 512);
        CHECK(found->out_max_packet_size == 512);
    }
    SECTION("SuperSpeed packets, interrupt endpoints skipped") {
        UsbDeviceDescription d = pixel();
        d.alt_settings = {{0,
                           0,
                           0xff,
                           0x42,
                           0x01,
                           {{0x84, k_interrupt, 64}, {0x81, k_bulk, 1024}, {0x01, k_bulk, 1024}}}};
        const auto found = find_adb_interface(d);
        REQUIRE(found);
        CHECK(found->in_endpoint == 0x81);
        CHECK(found->in_max_packet_size == 1024);
    }
    SECTION("an ADB interface without an OUT endpoint cannot be used") {
        UsbDeviceDescription d = pixel();
        d.alt_settings = {{0, 0, 0xff, 0x42, 0x01, {{0x81, k_bulk, 512}}}};
        CHECK(has_adb_interface(d));
        CHECK_FALSE(find_adb_interface(d));
    }
}

TEST_CASE("arrival events carry the port, serial and endpoint the daemon uses") {
    std::string reason;
    SECTION("Android: reached through its USB port") {
        const auto event = make_arrival(pixel(), reason);
        REQUIRE(event);
        CHECK(event->type == DockEvent::Type::arrived);
        CHECK(event->kind == PhoneKind::android_adb);
        CHECK(event->port == "1-1.4");
        CHECK(event->serial == "2A281FDH3005ZE");
        CHECK(event->endpoint == "usb:1-1.4");
        CHECK(event->vendor == 0x18d1);
        CHECK(event->product == 0x4ee2);
    }
    SECTION("iPhone: reached through usbmuxd by its UDID") {
        const auto event = make_arrival(iphone(), reason);
        REQUIRE(event);
        CHECK(event->kind == PhoneKind::iphone);
        CHECK(event->port == "3-2.1.3");
        CHECK(event->serial == "00008101-000A2D3E0C38002E");
        CHECK(event->endpoint == "usbmux:00008101-000A2D3E0C38002E");
    }
    SECTION("a phone whose serial could not be read (no permission) is not reported") {
        UsbDeviceDescription d = pixel();
        d.serial.clear();
        CHECK_FALSE(make_arrival(d, reason));
        CHECK_THAT(reason, Catch::Contains("could not be read"));
    }
    SECTION("a serial with control characters or path separators is not trusted") {
        UsbDeviceDescription d = pixel();
        d.serial = "../../etc\n";
        CHECK_FALSE(make_arrival(d, reason));
        d.serial = std::string(65, 'A');
        CHECK_FALSE(make_arrival(d, reason));
    }
}

TEST_CASE("a write that ends on a packet boundary needs a zero-length packet") {
    const auto [size, packet, zlp] = GENERATE(table<std::size_t, std::size_t, bool>({
        {24, 512, false},  // an ADB message header alone
        {512, 512, true},  // exactly one high-speed packet
        {4096, 512, true}, // a payload of eight packets
        {4096 + 24, 512, false},
        {1024, 1024, true}, // SuperSpeed
        {1536, 1024, false},
        {64, 64, true},  // full speed
        {0, 512, false}, // nothing to send
        {512, 0, false}, // an endpoint that reports no packet size
    }));
    CAPTURE(size, packet);
    CHECK(needs_zero_length_packet(size, packet) == zlp);
}

TEST_CASE("vendor and product are logged as lsusb prints them") {
    CHECK(vendor_product(0x18d1, 0x4ee2) == "18d1:4ee2");
    CHECK(vendor_product(0x05ac, 0x12a8) == "05ac:12a8");
}
