#include "agent/report/pdf_layout.hpp"

#include "agent/report/swedish.hpp"

#include <algorithm>

namespace dockscan::agent::reports {

namespace {

constexpr Colour k_text{0.1, 0.1, 0.1};
constexpr Colour k_grey{0.4, 0.4, 0.4};
constexpr Colour k_rule{0.80, 0.80, 0.80};
constexpr Colour k_accent{0.16, 0.42, 0.69};
constexpr Colour k_header_fill{0.91, 0.94, 0.97};
constexpr Colour k_group_fill{0.95, 0.95, 0.95};

constexpr double k_cell_pad_x = 4;
constexpr double k_cell_pad_y = 3.5;
constexpr double k_table_font = 8.5;

TextStyle header_style(const TableColumn& column) {
    TextStyle style;
    style.size = 7.5;
    style.bold = true;
    style.align = column.align;
    style.whole_words = true;
    return style;
}

// The words of a column heading: it may wrap between them, never inside one.
std::vector<std::string> words(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t space = std::min(text.find(' ', start), text.size());
        if (space > start) {
            out.push_back(text.substr(start, space - start));
        }
        start = space + 1;
    }
    return out;
}

TextStyle cell_style(const TableColumn& column, const TableRow& row, bool alert) {
    TextStyle style;
    style.size = k_table_font;
    style.align = column.align;
    style.bold = alert || row.kind != RowKind::normal;
    style.colour = alert ? k_under_colour : k_text;
    return style;
}

} // namespace

PdfLayout::PdfLayout(PdfCanvas& canvas, const Report& report, int total_pages)
    : m_canvas(canvas), m_report(report), m_total(total_pages) {}

void PdfLayout::begin() {
    m_canvas.begin_tag(Tag::document);
    start_page();
}

void PdfLayout::end() {
    end_page();
    m_canvas.end_tag(Tag::document);
}

void PdfLayout::start_page() {
    ++m_page;
    TextStyle small;
    small.size = 7.5;
    small.colour = k_grey;
    m_canvas.text(k_left, 30, k_width, report_title(m_report), small);
    small.align = Align::right;
    m_canvas.text(k_left, 30, k_width, period_text(m_report.period), small);
    m_canvas.line(k_left, 43, k_left + k_width, 43, k_rule, 0.6);
    m_y = k_top;
}

void PdfLayout::end_page() {
    const double y = PdfCanvas::k_height - 44;
    m_canvas.line(k_left, y - 6, k_left + k_width, y - 6, k_rule, 0.6);
    TextStyle small;
    small.size = 7.5;
    small.colour = k_grey;
    m_canvas.text(k_left, y, k_width - 80,
                  "Innehåller inga personuppgifter: endast antal och telefonernas beteckningar.",
                  small);
    small.align = Align::right;
    m_canvas.text(k_left, y, k_width,
                  "Sida " + std::to_string(m_page) + " av " + std::to_string(m_total), small);
}

void PdfLayout::ensure(double height) {
    if (m_y + height <= k_bottom) {
        return;
    }
    end_page();
    m_canvas.next_page();
    start_page();
}

void PdfLayout::heading(std::string_view text, double keep) {
    TextStyle style;
    style.size = 13;
    style.bold = true;
    style.colour = k_accent;
    const double h = m_canvas.measure(k_width, text, style);
    // A heading at the very top of a page needs no space above it.
    ensure(h + 18 + keep);
    m_y += m_y > k_top ? 14 : 0;
    m_canvas.begin_tag(Tag::h2);
    m_canvas.text(k_left, m_y, k_width, text, style);
    m_canvas.end_tag(Tag::h2);
    m_y += h + 2;
    m_canvas.line(k_left, m_y, k_left + k_width, m_y, k_accent, 1.2);
    m_y += 8;
}

void PdfLayout::paragraph(std::string_view text, const TextStyle& style, double space_after,
                          Tag tag) {
    const double h = m_canvas.measure(k_width, text, style);
    ensure(h);
    m_canvas.begin_tag(tag);
    m_canvas.text(k_left, m_y, k_width, text, style);
    m_canvas.end_tag(tag);
    m_y += h + space_after;
}

std::vector<double> PdfLayout::column_widths(const Table& table) {
    // Each column gets at least its longest heading word and, when its values are
    // right-aligned numbers, its widest value; what is left is shared by weight.
    std::vector<double> widths;
    double weights = 0;
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        const TableColumn& column = table.columns[i];
        double need = 0;
        for (const std::string& word : words(column.title)) {
            need = std::max(need, m_canvas.text_width(word, header_style(column)));
        }
        if (column.align == Align::right) {
            for (const TableRow& row : table.rows) {
                if (row.kind != RowKind::group && i < row.cells.size()) {
                    need = std::max(
                        need, m_canvas.text_width(row.cells[i], cell_style(column, row, true)));
                }
            }
        }
        widths.push_back(need + 2 * k_cell_pad_x + 1);
        weights += column.weight;
    }
    double used = 0;
    for (const double w : widths) {
        used += w;
    }
    for (std::size_t i = 0; i < widths.size(); ++i) {
        widths[i] = used <= k_width
                        ? widths[i] + (k_width - used) * table.columns[i].weight / weights
                        : widths[i] * k_width / used;
    }
    return widths;
}

void PdfLayout::bullet(std::string_view text, const TextStyle& style) {
    constexpr double k_indent = 10;
    const double h = m_canvas.measure(k_width - k_indent, text, style);
    ensure(h);
    m_canvas.begin_tag(Tag::li);
    m_canvas.text(k_left, m_y, k_indent, "•", style);
    m_canvas.text(k_left + k_indent, m_y, k_width - k_indent, text, style);
    m_canvas.end_tag(Tag::li);
    m_y += h + 3;
}

double PdfLayout::row_height(const Table& table, const TableRow& row,
                             const std::vector<double>& widths) {
    if (row.kind == RowKind::group) {
        TextStyle style = cell_style(table.columns[0], row, false);
        return m_canvas.measure(k_width - 2 * k_cell_pad_x, row.cells.at(0), style) +
               2 * k_cell_pad_y;
    }
    double h = 0;
    for (std::size_t i = 0; i < row.cells.size() && i < widths.size(); ++i) {
        const bool alert = i < row.alert.size() && row.alert[i];
        h = std::max(h, m_canvas.measure(widths[i] - 2 * k_cell_pad_x, row.cells[i],
                                         cell_style(table.columns[i], row, alert)));
    }
    return h + 2 * k_cell_pad_y;
}

void PdfLayout::table_header(const Table& table, const std::vector<double>& widths, double height) {
    m_canvas.fill_rect(k_left, m_y, k_width, height, k_header_fill);
    double x = k_left;
    m_canvas.begin_tag(Tag::tr);
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        m_canvas.begin_tag(Tag::th);
        m_canvas.text(x + k_cell_pad_x, m_y + k_cell_pad_y, widths[i] - 2 * k_cell_pad_x,
                      table.columns[i].title, header_style(table.columns[i]));
        m_canvas.end_tag(Tag::th);
        x += widths[i];
    }
    m_canvas.end_tag(Tag::tr);
    m_y += height;
}

void PdfLayout::table_row(const Table& table, const TableRow& row,
                          const std::vector<double>& widths, double height) {
    if (row.kind == RowKind::group) {
        m_canvas.fill_rect(k_left, m_y, k_width, height, k_group_fill);
        m_canvas.begin_tag(Tag::tr);
        m_canvas.begin_tag(Tag::th);
        m_canvas.text(k_left + k_cell_pad_x, m_y + k_cell_pad_y, k_width - 2 * k_cell_pad_x,
                      row.cells.at(0), cell_style(table.columns[0], row, false));
        m_canvas.end_tag(Tag::th);
        m_canvas.end_tag(Tag::tr);
        m_y += height;
        return;
    }
    if (row.kind == RowKind::total) {
        m_canvas.line(k_left, m_y, k_left + k_width, m_y, k_text, 1);
    }
    double x = k_left;
    m_canvas.begin_tag(Tag::tr);
    for (std::size_t i = 0; i < row.cells.size() && i < widths.size(); ++i) {
        const bool alert = i < row.alert.size() && row.alert[i];
        m_canvas.begin_tag(Tag::td);
        m_canvas.text(x + k_cell_pad_x, m_y + k_cell_pad_y, widths[i] - 2 * k_cell_pad_x,
                      row.cells[i], cell_style(table.columns[i], row, alert));
        m_canvas.end_tag(Tag::td);
        x += widths[i];
    }
    m_canvas.end_tag(Tag::tr);
    m_y += height;
    m_canvas.line(k_left, m_y, k_left + k_width, m_y, k_rule, 0.5);
}

void PdfLayout::table(const Table& table) {
    if (table.rows.empty()) {
        TextStyle style;
        style.italic = true;
        style.colour = k_grey;
        paragraph(table.empty_text, style);
        return;
    }
    const std::vector<double> widths = column_widths(table);
    double header = 0;
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        header =
            std::max(header, m_canvas.measure(widths[i] - 2 * k_cell_pad_x, table.columns[i].title,
                                              header_style(table.columns[i])));
    }
    header += 2 * k_cell_pad_y;

    std::vector<double> heights;
    for (const TableRow& row : table.rows) {
        heights.push_back(row_height(table, row, widths));
    }
    m_canvas.begin_tag(Tag::table);
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
        // A group heading stays with its first row; the header row with the first row
        // on each page.
        double need = heights[i];
        if (table.rows[i].kind == RowKind::group && i + 1 < heights.size()) {
            need += heights[i + 1];
        }
        const int page = m_page;
        ensure(need + (i == 0 ? header : 0));
        if (i == 0 || m_page != page) {
            table_header(table, widths, header);
        }
        table_row(table, table.rows[i], widths, heights[i]);
    }
    m_canvas.end_tag(Tag::table);
    m_y += 6;
}

} // namespace dockscan::agent::reports
