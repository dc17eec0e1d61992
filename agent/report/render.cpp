#include "agent/report/render.hpp"

#include <array>

namespace dockscan::agent::reports {

namespace {

constexpr std::array k_formats = {Format::pdf, Format::html, Format::csv};

} // namespace

std::string_view to_string(Format format) {
    switch (format) {
    case Format::pdf:
        return "pdf";
    case Format::html:
        return "html";
    case Format::csv:
        return "csv";
    }
    return "pdf";
}

std::optional<Format> parse_format(std::string_view text) {
    for (const Format format : k_formats) {
        if (to_string(format) == text) {
            return format;
        }
    }
    return std::nullopt;
}

Expected<std::string> render(const Report& report, Format format) {
    switch (format) {
    case Format::pdf:
        return render_pdf(report);
    case Format::html:
        return render_html(report);
    case Format::csv:
        return render_csv(report);
    }
    return fail(ErrorCode::internal, "unknown report format");
}

std::string default_file_name(Period period, Format format) {
    return "sekretesskontroll-" + code(period) + "." + std::string(to_string(format));
}

std::string default_file_name(Quarter quarter, Format format) {
    return default_file_name(period_of(quarter), format);
}

} // namespace dockscan::agent::reports
