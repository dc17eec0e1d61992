#pragma once

// Apple's clock: seconds since 2001-01-01 00:00 UTC (Core Data, AddressBook), or, in
// sms.db since iOS 11, nanoseconds since then.

#include <cmath>
#include <cstdint>

namespace dockscan::docking::ios {

inline constexpr std::int64_t k_apple_epoch_unix = 978'307'200;

// message.date: seconds before iOS 11, nanoseconds since; no date in seconds reaches
// 1e12 (year 33,700), and no date in nanoseconds after 2001-01-01 00:17 stays below it.
[[nodiscard]] inline std::int64_t message_date_to_unix(std::int64_t value) {
    constexpr std::int64_t k_nanoseconds_above = 1'000'000'000'000;
    if (value > k_nanoseconds_above || value < -k_nanoseconds_above) {
        value /= 1'000'000'000;
    }
    return k_apple_epoch_unix + value;
}

// Seconds since 2001 as a REAL column holds them.
[[nodiscard]] inline std::int64_t apple_seconds_to_unix(double seconds) {
    if (!std::isfinite(seconds) || std::fabs(seconds) > 1e13) {
        return 0;
    }
    return k_apple_epoch_unix + static_cast<std::int64_t>(std::floor(seconds));
}

} // namespace dockscan::docking::ios
