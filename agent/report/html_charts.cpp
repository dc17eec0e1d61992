#include "agent/report/html_charts.hpp"

#include "agent/report/chart_data.hpp"
#include "agent/report/html_text.hpp"
#include "agent/report/swedish.hpp"

#include <algorithm>
#include <cstdio>

namespace dockscan::agent::reports {

namespace {

std::string rgb(Colour c) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", static_cast<int>(c.r * 255 + 0.5),
                  static_cast<int>(c.g * 255 + 0.5), static_cast<int>(c.b * 255 + 0.5));
    return buf;
}

std::string num(double value) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", value);
    return buf;
}

std::string text_at(double x, double y, std::string_view anchor, std::string_view text,
                    std::string_view extra = "") {
    return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + std::string(anchor) +
           "\"" + std::string(extra) + ">" + escape(text) + "</text>";
}

std::string rect(double x, double y, double w, double h, Colour colour) {
    return "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) + "\" height=\"" +
           num(h) + "\" fill=\"" + rgb(colour) + "\"/>";
}

std::string line(double x1, double y1, double x2, double y2, std::string_view stroke) {
    return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" +
           num(y2) + "\" stroke=\"" + std::string(stroke) + "\"/>";
}

std::string legend(double x, double y, const std::vector<std::pair<std::string, Colour>>& keys) {
    std::string svg;
    for (const auto& [name, colour] : keys) {
        svg += rect(x, y - 9, 10, 10, colour) + text_at(x + 14, y, "start", name);
        x += 24 + 6.5 * static_cast<double>(name.size());
    }
    return svg;
}

} // namespace

std::string deviation_bar_chart(const Report& report) {
    const auto bars = unit_bars(report);
    if (report.total.deviations == 0) {
        return "<p class=\"empty\">Inga kontroller med avvikelse under kvartalet.</p>";
    }
    constexpr double k_label = 190;
    constexpr double k_plot = 400;
    constexpr double k_row = 24;
    constexpr double k_top = 28;
    const double height = k_top + k_row * static_cast<double>(bars.size()) + 26;
    std::int64_t max_value = 0;
    for (const UnitBar& bar : bars) {
        max_value = std::max(max_value, bar.deviation_only + bar.serious);
    }
    const Axis axis = integer_axis(max_value);
    const double scale = k_plot / static_cast<double>(axis.top);
    std::string svg = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " +
                      num(k_label + k_plot + 100) + " " + num(height) +
                      "\" aria-label=\"Kontroller med avvikelse per enhet\">";
    svg += legend(k_label, 14,
                  {{"Avvikelse", k_deviation_colour}, {"Allvarlig avvikelse", k_serious_colour}});
    const double bottom = k_top + k_row * static_cast<double>(bars.size());
    for (std::int64_t tick = 0; tick <= axis.top; tick += axis.step) {
        const double x = k_label + static_cast<double>(tick) * scale;
        svg += line(x, k_top - 4, x, bottom, "#d0d0d0");
        svg += text_at(x, bottom + 16, "middle", std::to_string(tick));
    }
    double y = k_top;
    for (const UnitBar& bar : bars) {
        svg += text_at(k_label - 8, y + 16, "end", bar.unit);
        const double serious_w = static_cast<double>(bar.serious) * scale;
        const double other_w = static_cast<double>(bar.deviation_only) * scale;
        svg += rect(k_label, y + 5, serious_w, k_row - 10, k_serious_colour);
        svg += rect(k_label + serious_w, y + 5, other_w, k_row - 10, k_deviation_colour);
        const std::int64_t total = bar.deviation_only + bar.serious;
        svg += text_at(k_label + serious_w + other_w + 6, y + 16, "start",
                       std::to_string(total) +
                           (bar.serious > 0 ? " (" + std::to_string(bar.serious) + " allv.)" : ""));
        y += k_row;
    }
    return svg + "</svg>";
}

std::string trend_line_chart(const Report& report) {
    const auto series = trend_series(report);
    constexpr double k_left = 50;
    constexpr double k_plot_w = 520;
    constexpr double k_top = 34;
    constexpr double k_plot_h = 160;
    std::int64_t max_value = 0;
    for (const TrendSeries& s : series) {
        max_value = std::max(max_value, *std::max_element(s.values.begin(), s.values.end()));
    }
    const Axis axis = integer_axis(max_value);
    const double bottom = k_top + k_plot_h;
    const auto x_at = [&](std::size_t i) {
        return k_left + 30 +
               (k_plot_w - 60) * static_cast<double>(i) /
                   static_cast<double>(std::max<std::size_t>(report.trend.size(), 2) - 1);
    };
    const auto y_at = [&](std::int64_t v) {
        return bottom - k_plot_h * static_cast<double>(v) / static_cast<double>(axis.top);
    };
    std::string svg = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " +
                      num(k_left + k_plot_w + 20) + " " + num(bottom + 30) + "\" aria-label=\"" +
                      escape(trend_description(report)) + "\">";
    std::vector<std::pair<std::string, Colour>> keys;
    for (const TrendSeries& s : series) {
        keys.emplace_back(s.name, s.colour);
    }
    svg += legend(k_left, 14, keys);
    for (std::int64_t tick = 0; tick <= axis.top; tick += axis.step) {
        svg += line(k_left, y_at(tick), k_left + k_plot_w, y_at(tick), "#e0e0e0");
        svg += text_at(k_left - 8, y_at(tick) + 4, "end", std::to_string(tick));
    }
    for (std::size_t i = 0; i < report.trend.size(); ++i) {
        svg += text_at(x_at(i), bottom + 20, "middle", report.trend[i].label,
                       report.trend[i].current ? " font-weight=\"bold\"" : "");
    }
    // The thicker lines go first, so lines with the same values still show each colour.
    double width = 5.5;
    for (const TrendSeries& s : series) {
        std::string points;
        for (std::size_t i = 0; i < s.values.size(); ++i) {
            points += num(x_at(i)) + "," + num(y_at(s.values[i])) + " ";
        }
        svg += "<polyline fill=\"none\" stroke-width=\"" + num(width) + "\" stroke=\"" +
               rgb(s.colour) + "\" points=\"" + points + "\"/>";
        for (std::size_t i = 0; i < s.values.size(); ++i) {
            svg += "<circle r=\"" + num(width + 1) + "\" cx=\"" + num(x_at(i)) + "\" cy=\"" +
                   num(y_at(s.values[i])) + "\" fill=\"" + rgb(s.colour) + "\"/>";
        }
        width -= 1.75;
    }
    return svg + "</svg>";
}

} // namespace dockscan::agent::reports
