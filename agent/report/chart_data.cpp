#include "agent/report/chart_data.hpp"

#include <algorithm>

namespace dockscan::agent::reports {

std::vector<UnitBar> unit_bars(const Report& report) {
    std::vector<UnitBar> bars;
    for (const UnitReport* unit : report.units()) {
        bars.push_back(UnitBar{unit->name, unit->current.deviations - unit->current.serious,
                               unit->current.serious});
    }
    return bars;
}

std::vector<TrendSeries> trend_series(const Report& report) {
    std::vector<TrendSeries> series = {
        {"Genomförda kontroller", k_checked_colour, {}},
        {"Kontroller med avvikelse", k_deviation_colour, {}},
        {"varav allvarlig avvikelse", k_serious_colour, {}},
    };
    for (const TrendPoint& point : report.trend) {
        series[0].values.push_back(point.completed);
        series[1].values.push_back(point.deviations);
        series[2].values.push_back(point.serious);
    }
    return series;
}

Axis integer_axis(std::int64_t max_value) {
    const std::int64_t top = std::max<std::int64_t>(max_value, 1);
    std::int64_t step = 1;
    for (const std::int64_t candidate : {1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000}) {
        step = candidate;
        if ((top + candidate - 1) / candidate <= 6) {
            break;
        }
    }
    // Beyond the table: a step that still gives at most six.
    while ((top + step - 1) / step > 6) {
        step *= 2;
    }
    return Axis{(top + step - 1) / step * step, step};
}

} // namespace dockscan::agent::reports
