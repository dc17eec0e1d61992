#include "docking/udid.hpp"

#include <catch2/catch.hpp>
#include <string>

using dockscan::docking::ErrorCode;
using dockscan::docking::normalise_udid;

TEST_CASE("a dock event's endpoint or USB serial becomes usbmuxd's UDID", "[udid]") {
    struct Case {
        std::string given;
        std::string udid;
    };
    const Case c = GENERATE(values<Case>({
        // iPhone XS and later: usbmuxd shows the UDID with a dash after 8 digits,
        // the USB descriptor's serial has none.
        {"usbmux:00008030-001A2C3E0E38002E", "00008030-001A2C3E0E38002E"},
        {"00008030001A2C3E0E38002E", "00008030-001A2C3E0E38002E"},
        {"00008030-001A2C3E0E38002E", "00008030-001A2C3E0E38002E"},
        {"usbmux:00008120001a2b3c4d5e6f7a", "00008120-001a2b3c4d5e6f7a"},
        // Older iPhones: 40 hex digits, as they are.
        {"usbmux:2f1a8b0c9d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a",
         "2f1a8b0c9d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a"},
        {" 2F1A8B0C9D3E4F5A6B7C8D9E0F1A2B3C4D5E6F7A ", "2F1A8B0C9D3E4F5A6B7C8D9E0F1A2B3C4D5E6F7A"},
    }));
    const auto udid = normalise_udid(c.given);
    REQUIRE(udid);
    CHECK(*udid == c.udid);
}

TEST_CASE("serials that are no UDID are refused", "[udid]") {
    const std::string given =
        GENERATE(as<std::string>{}, "", "usbmux:", "R58M12ABCDE", "00008030-001A2C3E0E38002",
                 "../../etc/passwd", "00008030_001A2C3E0E38002E",
                 "2f1a8b0c9d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7g");
    const auto udid = normalise_udid(given);
    REQUIRE_FALSE(udid);
    CHECK(udid.error().code == ErrorCode::malformed);
}
