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

// Seconds to add to UTC for Swedish time (Europe/Stockholm) at that instant: 3600 (CET)
// or 7200 (CEST). Computed from Sweden's rules, not from the process's TZ or tzdata,
// so a station or server in UTC labels the same as a phone in Sweden.
[[nodiscard]] std::int64_t swedish_utc_offset(std::int64_t unix_seconds);

// "2026-11-20 14:02" in Swedish time, the time the unit reads on its phones, whatever
// the machine's time zone. The store keeps UTC; only what people read is Swedish time.
[[nodiscard]] std::string label_time(std::int64_t unix_seconds);

} // namespace dockscan::docking
