#pragma once

// The HTML report's charts as inline SVG (no script, no external file).

#include "agent/report/report_model.hpp"

#include <string>

namespace dockscan::agent::reports {

// Controls with deviation per unit, allvarlig and the rest stacked; a sentence instead
// when there were none.
[[nodiscard]] std::string deviation_bar_chart(const Report& report);

// Checked phones, controls with deviation and serious ones over the trend quarters.
[[nodiscard]] std::string trend_line_chart(const Report& report);

} // namespace dockscan::agent::reports
