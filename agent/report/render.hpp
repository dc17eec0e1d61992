#pragma once

// The report's three forms: PDF for circulation and print, HTML for the screen, CSV
// for the municipality's follow-up systems. Each returns the whole file.

#include "agent/error.hpp"
#include "agent/report/report_model.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace dockscan::agent::reports {

enum class Format { pdf, html, csv };

// "pdf", "html", "csv"; and back (nothing for any other text).
[[nodiscard]] std::string_view to_string(Format format);
[[nodiscard]] std::optional<Format> parse_format(std::string_view text);

// A4 pages through cairo and pango (pdf_report.cpp).
[[nodiscard]] Expected<std::string> render_pdf(const Report& report);
// One self-contained page: inline CSS and SVG charts, no script (html_report.cpp).
[[nodiscard]] std::string render_html(const Report& report);
// UTF-8 with a byte order mark, semicolons, CRLF (csv_report.cpp).
[[nodiscard]] std::string render_csv(const Report& report);

[[nodiscard]] Expected<std::string> render(const Report& report, Format format);

// "sekretesskontroll-2026Q4.pdf", "sekretesskontroll-2026-delar.csv".
[[nodiscard]] std::string default_file_name(Period period, Format format);
[[nodiscard]] std::string default_file_name(Quarter quarter, Format format);

} // namespace dockscan::agent::reports
