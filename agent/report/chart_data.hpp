#pragma once

// What the two charts show, computed once for both renderers (SVG in HTML, cairo in
// PDF): deviations per unit, and the trend over the last quarters.

#include "agent/report/report_model.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace dockscan::agent::reports {

struct Colour {
    double r, g, b; // 0..1
};

inline constexpr Colour k_checked_colour{0.16, 0.42, 0.69};   // blue
inline constexpr Colour k_deviation_colour{0.89, 0.62, 0.10}; // amber
inline constexpr Colour k_serious_colour{0.77, 0.19, 0.19};   // red
inline constexpr Colour k_under_colour{0.77, 0.19, 0.19};

struct UnitBar {
    std::string unit;
    std::int64_t deviation_only; // avvikelse that is not allvarlig
    std::int64_t serious;
};

struct TrendSeries {
    std::string name;
    Colour colour;
    std::vector<std::int64_t> values; // one per trend quarter, oldest first
};

// One bar per unit, in report order.
[[nodiscard]] std::vector<UnitBar> unit_bars(const Report& report);

// Checked phones, controls with deviation, of which serious.
[[nodiscard]] std::vector<TrendSeries> trend_series(const Report& report);

// An axis from 0 to at least `max_value` in whole steps: {top, step}; at most 6 steps.
struct Axis {
    std::int64_t top;
    std::int64_t step;
};
[[nodiscard]] Axis integer_axis(std::int64_t max_value);

} // namespace dockscan::agent::reports
