#pragma once

// An iPhone's UDID as usbmuxd and the MDM spell it, from what USB or a dock event
// carries. The one place the dash is put back, so that the inventory (registered from
// the MDM), the dock and usbmuxd agree on the spelling.

#include "docking/error.hpp"

#include <string>
#include <string_view>

namespace dockscan::docking {

// The UDID in `endpoint_or_serial`: "usbmux:UDID", a UDID, or the phone's USB serial
// number. Newer iPhones (2018 on) have UDIDs like "00008030-001A2C3E0E38002E" while
// their USB serial lacks the dash; usbmuxd adds it, and so does this. Older UDIDs are
// 40 hex digits. Anything else is `malformed` (the serial comes from the phone).
[[nodiscard]] Expected<std::string> normalise_udid(std::string_view endpoint_or_serial);

} // namespace dockscan::docking
