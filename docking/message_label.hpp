#pragma once

// How a message is named for people, the same for every source (SMS exports,
// Android and iOS backups): the other party's number cut short, and the time in Sweden.

#include <cstdint>
#include <string>
#include <string_view>

namespace dockscan::docking {

// A phone number cut short for a label: "+46 70…" (country code +46 and two digits),
// "070…" (three characters) for national numbers, "+358…" otherwise; " m.fl." when
// there are several recipients. Short numbers (at most 5 characters) stay whole:
// they are services, not people.
[[nodiscard]] std::string shorten_address(std::string_view address);

// "2026-11-20 14:02" in Swedish time, the time the unit reads on its phones, whatever
// the machine's time zone (base::swedish_time_text). The store keeps UTC.
[[nodiscard]] std::string label_time(std::int64_t unix_seconds);

} // namespace dockscan::docking
