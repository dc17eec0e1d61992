// The real libusb seam on the machine the tests run on, which has no phones. Build
// machines and containers may have no /dev/bus/usb at all: there libusb may refuse to
// start, and the documented outcome is ErrorCode::unsupported naming libusb_init.
// (Debian's libusb 1.0.26 starts without /dev/bus/usb and simply lists no devices.)

#include "docking/usb/usb_seam.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <stop_token>

using namespace dockscan::docking;
using namespace dockscan::docking::usb;
using namespace std::chrono_literals;

namespace {

bool usb_bus_present() {
    return std::filesystem::exists("/dev/bus/usb");
}

void check_refused_for_want_of_usb(const Error& error) {
    INFO(error.message);
    CHECK_FALSE(usb_bus_present());
    CHECK(error.code == ErrorCode::unsupported);
    CHECK_THAT(error.message, Catch::Contains("libusb_init"));
}

} // namespace

TEST_CASE("USB dock events start on this machine, or say that it has no USB") {
    const UsbWatch watch = GENERATE(UsbWatch::hotplug_where_supported, UsbWatch::polling);
    auto events = open_usb_dock_events(UsbEventOptions{100ms, watch});
    if (!events) {
        check_refused_for_want_of_usb(events.error());
        return;
    }
    std::stop_source running;
    // Devices already plugged in arrive first (LIBUSB_HOTPLUG_ENUMERATE); only phones
    // are reported, so every event here must be a well-formed phone.
    for (int i = 0; i < 20; ++i) {
        auto next = (*events)->next(100ms, running.get_token());
        REQUIRE(next);
        if (!*next) {
            break;
        }
        const DockEvent& event = **next;
        CHECK(event.type == DockEvent::Type::arrived);
        CHECK_FALSE(event.port.empty());
        CHECK_FALSE(event.serial.empty());
        const std::string prefix = event.kind == PhoneKind::iphone ? "usbmux:" : "usb:";
        CHECK(event.endpoint.rfind(prefix, 0) == 0);
    }

    SECTION("a stop request ends next() without an event") {
        std::stop_source stopping;
        stopping.request_stop();
        auto next = (*events)->next(std::chrono::hours(1), stopping.get_token());
        REQUIRE(next);
        CHECK_FALSE(*next);
    }
    SECTION("the source stops its event thread when destroyed") {
        events->reset();
        CHECK_FALSE(*events);
    }
}

TEST_CASE("the ADB USB transport to an empty port fails with a reason") {
    auto transport = open_usb_adb_transport("9-9.9.9", 1s);
    REQUIRE_FALSE(transport);
    if (transport.error().code == ErrorCode::unsupported) {
        check_refused_for_want_of_usb(transport.error());
        return;
    }
    CHECK(transport.error().code == ErrorCode::interrupted);
    CHECK_THAT(transport.error().message, Catch::Contains("9-9.9.9"));
    CHECK_THAT(transport.error().message, Catch::Contains("no device there"));
}
