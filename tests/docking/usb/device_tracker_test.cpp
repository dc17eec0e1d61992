#include "docking/usb/device_tracker.hpp"
#include "docking/usb/event_queue.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <stop_token>
#include <thread>

using namespace dockscan::docking;
using namespace dockscan::docking::usb;
using namespace std::chrono_literals;

namespace {

DockEvent android_at(const std::string& port, const std::string& serial) {
    DockEvent event;
    event.port = port;
    event.serial = serial;
    event.endpoint = "usb:" + port;
    return event;
}

} // namespace

TEST_CASE("polling: what changed between two listings of the bus") {
    const DeviceKey hub{1, 2};
    const DeviceKey phone_a{1, 5};
    const DeviceKey phone_b{1, 6};
    const DeviceKey replugged{1, 7}; // phone_a again: a new address

    SECTION("nothing changed") {
        const auto diff = diff_device_sets({hub, phone_a}, {hub, phone_a});
        CHECK(diff.arrived.empty());
        CHECK(diff.left.empty());
    }
    SECTION("first listing: everything arrives") {
        const auto diff = diff_device_sets({}, {hub, phone_a});
        CHECK(diff.arrived == std::vector<DeviceKey>{hub, phone_a});
        CHECK(diff.left.empty());
    }
    SECTION("one phone docked, another unplugged") {
        const auto diff = diff_device_sets({hub, phone_a}, {hub, phone_b});
        CHECK(diff.arrived == std::vector<DeviceKey>{phone_b});
        CHECK(diff.left == std::vector<DeviceKey>{phone_a});
    }
    SECTION("a phone re-plugged between two polls leaves and arrives") {
        const auto diff = diff_device_sets({hub, phone_a}, {hub, replugged});
        CHECK(diff.left == std::vector<DeviceKey>{phone_a});
        CHECK(diff.arrived == std::vector<DeviceKey>{replugged});
    }
    SECTION("the same address on another bus is another device") {
        const auto diff = diff_device_sets({DeviceKey{1, 5}}, {DeviceKey{2, 5}});
        CHECK(diff.left.size() == 1);
        CHECK(diff.arrived.size() == 1);
    }
}

TEST_CASE("a departure reports the phone that arrived, once") {
    PhoneTracker tracker;
    const DockEvent arrival = tracker.arrived({1, 5}, android_at("1-1.4", "2A281FDH3005ZE"));
    CHECK(arrival.type == DockEvent::Type::arrived);
    CHECK(tracker.size() == 1);

    CHECK_FALSE(tracker.left({1, 2})); // a hub that was never reported

    const auto departure = tracker.left({1, 5});
    REQUIRE(departure);
    CHECK(departure->type == DockEvent::Type::left);
    CHECK(departure->port == "1-1.4");
    CHECK(departure->serial == "2A281FDH3005ZE");
    CHECK(departure->endpoint == "usb:1-1.4");
    CHECK_FALSE(tracker.left({1, 5}));
    CHECK(tracker.size() == 0);
}

TEST_CASE("the event queue hands events over in order, and stops waiting when told") {
    EventQueue<int> queue;
    std::stop_source never;

    SECTION("in order") {
        CHECK(queue.push(1));
        CHECK(queue.push(2));
        CHECK(queue.pop(0ms, never.get_token()) == 1);
        CHECK(queue.pop(0ms, never.get_token()) == 2);
        CHECK_FALSE(queue.pop(10ms, never.get_token()));
    }
    SECTION("an event pushed from another thread wakes the waiting reader") {
        std::jthread producer([&queue] {
            std::this_thread::sleep_for(20ms);
            (void)queue.push(7);
        });
        CHECK(queue.pop(std::chrono::minutes(1), never.get_token()) == 7);
    }
    SECTION("a stop request ends the wait without an event") {
        std::stop_source stop;
        std::jthread stopper([&stop] {
            std::this_thread::sleep_for(20ms);
            stop.request_stop();
        });
        CHECK_FALSE(queue.pop(std::chrono::minutes(1), stop.get_token()));
    }
    SECTION("an unread queue drops the oldest past its capacity") {
        bool kept_all = true;
        for (std::size_t i = 0; i < EventQueue<int>::k_capacity; ++i) {
            kept_all = queue.push(static_cast<int>(i)) && kept_all;
        }
        CHECK(kept_all);
        CHECK_FALSE(queue.push(-1));
        CHECK(queue.pop(0ms, never.get_token()) == 1);
    }
}
