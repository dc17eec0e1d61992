#pragma once

// Lays the report out on A4 pages: a running header and footer with the quarter and
// "Sida n av N", headings kept with what follows, tables that continue on the next
// page under a repeated header row, and charts that never run off a page.

#include "agent/report/pdf_canvas.hpp"
#include "agent/report/report_model.hpp"
#include "agent/report/report_tables.hpp"

#include <string_view>
#include <vector>

namespace dockscan::agent::reports {

class PdfLayout {
public:
    static constexpr double k_left = 50;
    static constexpr double k_width = PdfCanvas::k_width - 2 * k_left;
    static constexpr double k_top = 64;
    static constexpr double k_bottom = PdfCanvas::k_height - 58;

    // `total_pages` is printed in the footer; 0 while the pages are being counted.
    PdfLayout(PdfCanvas& canvas, const Report& report, int total_pages);

    // Starts the first page.
    void begin();
    // Draws the last page's footer.
    void end();
    [[nodiscard]] int pages() const { return m_page; }

    // Moves to a new page unless `height` still fits on this one.
    void ensure(double height);
    [[nodiscard]] double y() const { return m_y; }
    [[nodiscard]] double room() const { return k_bottom - m_y; }
    void advance(double height) { m_y += height; }

    // A section heading, kept on a page with at least `keep` points of what follows.
    void heading(std::string_view text, double keep = 80);
    // A paragraph across the page.
    void paragraph(std::string_view text, const TextStyle& style, double space_after = 4,
                   Tag tag = Tag::p);
    // A list item: a paragraph after a bullet, wrapped under its own first line (inside
    // a Tag::l the caller opens).
    void bullet(std::string_view text, const TextStyle& style);
    void table(const Table& table);

    [[nodiscard]] PdfCanvas& canvas() { return m_canvas; }

private:
    void start_page();
    void end_page();
    [[nodiscard]] std::vector<double> column_widths(const Table& table);
    void table_header(const Table& table, const std::vector<double>& widths, double height);
    [[nodiscard]] double row_height(const Table& table, const TableRow& row,
                                    const std::vector<double>& widths);
    void table_row(const Table& table, const TableRow& row, const std::vector<double>& widths,
                   double height);

    PdfCanvas& m_canvas;
    const Report& m_report;
    int m_total;
    int m_page = 0;
    double m_y = k_top;
};

} // namespace dockscan::agent::reports
