// The PDF form: A4 pages for circulation and print. The first page sums the period up
// (sentences, key figures, the two charts); the tables follow. Tagged (pdf_canvas.hpp):
// the report is attached to the nämnd's minutes and published, and must be accessible.

#include "agent/report/pdf_layout.hpp"
#include "agent/report/render.hpp"
#include "agent/report/swedish.hpp"

#include <algorithm>

namespace dockscan::agent::reports {

namespace {

constexpr Colour k_text{0.1, 0.1, 0.1};
constexpr Colour k_grey{0.4, 0.4, 0.4};
constexpr Colour k_grid{0.85, 0.85, 0.85};
constexpr Colour k_box{0.94, 0.96, 0.98};
constexpr Colour k_accent{0.16, 0.42, 0.69};

TextStyle style_of(double size, bool bold = false, Colour colour = k_text) {
    TextStyle style;
    style.size = size;
    style.bold = bold;
    style.colour = colour;
    return style;
}

void title_block(PdfLayout& page, const Report& report) {
    page.paragraph(report_title(report), style_of(20, true), 2, Tag::h1);
    page.paragraph(period_text(report.period) + " · " + scope_text(report) + " · Skapad " +
                       report.generated_at,
                   style_of(9, false, k_grey), 12);
}

void summary_box(PdfLayout& page, const Report& report) {
    PdfCanvas& canvas = page.canvas();
    auto sentences = summary_sentences(report);
    sentences.push_back(selection_text(report));
    constexpr double k_pad = 9;
    const double inner = PdfLayout::k_width - 2 * k_pad - 4;
    double height = 2 * k_pad;
    for (const std::string& sentence : sentences) {
        height += canvas.measure(inner, sentence, style_of(10)) + 3;
    }
    page.ensure(height);
    const double top = page.y();
    canvas.fill_rect(PdfLayout::k_left, top, PdfLayout::k_width, height, k_box);
    canvas.fill_rect(PdfLayout::k_left, top, 3, height, k_accent);
    double y = top + k_pad;
    for (const std::string& sentence : sentences) {
        canvas.begin_tag(Tag::p);
        y += canvas.text(PdfLayout::k_left + k_pad + 4, y, inner, sentence, style_of(10)) + 3;
        canvas.end_tag(Tag::p);
    }
    page.advance(height + 12);
}

void key_figures(PdfLayout& page, const Report& report) {
    const Figures& t = report.total;
    const std::vector<std::pair<std::string, std::string>> figures = {
        {std::to_string(t.phones), "telefoner"},
        {std::to_string(t.checked), "skannade"},
        {std::to_string(t.completed), "genomförda kontroller (" + share_text(t) + ")"},
        {std::to_string(t.deviations), "kontroller med avvikelse"},
        {std::to_string(t.serious), "varav allvarlig avvikelse"},
        {std::to_string(t.open_findings), "öppna fynd"},
        {std::to_string(t.remaining), "kvarstående fynd"},
    };
    constexpr double k_gap = 8;
    constexpr double k_height = 48;
    const double w = (PdfLayout::k_width - k_gap * static_cast<double>(figures.size() - 1)) /
                     static_cast<double>(figures.size());
    page.ensure(k_height);
    PdfCanvas& canvas = page.canvas();
    double x = PdfLayout::k_left;
    for (const auto& [value, label] : figures) {
        canvas.fill_rect(x, page.y(), w, k_height, k_box);
        canvas.begin_tag(Tag::p);
        canvas.text(x + 7, page.y() + 5, w - 14, value, style_of(16, true, k_accent));
        canvas.text(x + 7, page.y() + 27, w - 14, label, style_of(7.5, false, k_grey));
        canvas.end_tag(Tag::p);
        x += w + k_gap;
    }
    page.advance(k_height + 6);
}

void legend(PdfCanvas& canvas, double x, double y,
            const std::vector<std::pair<std::string, Colour>>& keys) {
    for (const auto& [name, colour] : keys) {
        canvas.fill_rect(x, y + 1.5, 8, 8, colour);
        canvas.text(x + 12, y, 200, name, style_of(8));
        x += 12 + canvas.text_width(name, style_of(8)) + 16;
    }
}

// Controls with deviation per unit as stacked horizontal bars, as many rows per page
// as fit, the axis repeated under each part.
void bar_chart(PdfLayout& page, const Report& report) {
    if (report.total.deviations == 0) {
        TextStyle style = style_of(9, false, k_grey);
        style.italic = true;
        page.paragraph("Inga kontroller med avvikelse under perioden.", style);
        return;
    }
    PdfCanvas& canvas = page.canvas();
    // cairo 1.16 has no /Alt: the figure's description is its caption, inside it.
    canvas.begin_tag(Tag::figure);
    page.paragraph(deviation_description(report), style_of(7.5, false, k_grey), 4, Tag::caption);
    const auto bars = unit_bars(report);
    std::int64_t max_value = 0;
    for (const UnitBar& bar : bars) {
        max_value = std::max(max_value, bar.deviation_only + bar.serious);
    }
    const Axis axis = integer_axis(max_value);
    constexpr double k_label = 150;
    constexpr double k_row = 17;
    constexpr double k_frame = 18 + 16; // legend above, axis labels below
    const double plot = PdfLayout::k_width - k_label - 70;
    const double scale = plot / static_cast<double>(axis.top);
    const double x0 = PdfLayout::k_left + k_label;
    std::size_t next = 0;
    while (next < bars.size()) {
        page.ensure(k_frame + 2 * k_row);
        const auto rows =
            std::min(bars.size() - next, static_cast<std::size_t>((page.room() - k_frame) / k_row));
        legend(canvas, x0, page.y(),
               {{"Avvikelse", k_deviation_colour}, {"Allvarlig avvikelse", k_serious_colour}});
        const double top = page.y() + 18;
        const double bottom = top + k_row * static_cast<double>(rows);
        for (std::int64_t tick = 0; tick <= axis.top; tick += axis.step) {
            const double x = x0 + static_cast<double>(tick) * scale;
            canvas.line(x, top - 2, x, bottom, k_grid, 0.5);
            TextStyle label = style_of(7.5, false, k_grey);
            label.centred = true;
            canvas.text(x - 20, bottom + 3, 40, std::to_string(tick), label);
        }
        for (std::size_t i = 0; i < rows; ++i) {
            const UnitBar& bar = bars[next + i];
            const double y = top + k_row * static_cast<double>(i);
            TextStyle name = style_of(8);
            name.align = Align::right;
            name.one_line = true;
            canvas.text(PdfLayout::k_left, y + 3, k_label - 8, bar.unit, name);
            const double serious = static_cast<double>(bar.serious) * scale;
            const double other = static_cast<double>(bar.deviation_only) * scale;
            canvas.fill_rect(x0, y + 3, serious, k_row - 6, k_serious_colour);
            canvas.fill_rect(x0 + serious, y + 3, other, k_row - 6, k_deviation_colour);
            const std::int64_t total = bar.deviation_only + bar.serious;
            canvas.text(x0 + serious + other + 5, y + 3, 70,
                        std::to_string(total) +
                            (bar.serious > 0 ? " (" + std::to_string(bar.serious) + " allv.)" : ""),
                        style_of(8));
        }
        page.advance(bottom - page.y() + 18);
        next += rows;
    }
    canvas.end_tag(Tag::figure);
}

// The trend quarters as three lines; the thicker lines go first so that lines with
// the same values still show each colour.
void trend_chart(PdfLayout& page, const Report& report) {
    PdfCanvas& canvas = page.canvas();
    const auto series = trend_series(report);
    constexpr double k_plot_h = 130;
    constexpr double k_axis = 28;
    page.ensure(18 + k_plot_h + 22 + 24);
    canvas.begin_tag(Tag::figure);
    page.paragraph(trend_description(report), style_of(7.5, false, k_grey), 4, Tag::caption);
    std::vector<std::pair<std::string, Colour>> keys;
    std::int64_t max_value = 0;
    for (const TrendSeries& s : series) {
        keys.emplace_back(s.name, s.colour);
        max_value = std::max(max_value, *std::max_element(s.values.begin(), s.values.end()));
    }
    const double x0 = PdfLayout::k_left + k_axis;
    const double w = PdfLayout::k_width - k_axis - 10;
    legend(canvas, x0, page.y(), keys);
    const double top = page.y() + 22;
    const double bottom = top + k_plot_h;
    const Axis axis = integer_axis(max_value);
    const auto x_at = [&](std::size_t i) {
        return x0 + 30 +
               (w - 60) * static_cast<double>(i) /
                   static_cast<double>(std::max<std::size_t>(report.trend.size(), 2) - 1);
    };
    const auto y_at = [&](std::int64_t v) {
        return bottom - k_plot_h * static_cast<double>(v) / static_cast<double>(axis.top);
    };
    for (std::int64_t tick = 0; tick <= axis.top; tick += axis.step) {
        canvas.line(x0, y_at(tick), x0 + w, y_at(tick), k_grid, 0.5);
        TextStyle label = style_of(7.5, false, k_grey);
        label.align = Align::right;
        canvas.text(PdfLayout::k_left - 4, y_at(tick) - 5, k_axis, std::to_string(tick), label);
    }
    for (std::size_t i = 0; i < report.trend.size(); ++i) {
        TextStyle label = style_of(8, report.trend[i].current);
        label.centred = true;
        canvas.text(x_at(i) - 40, bottom + 5, 80, report.trend[i].label, label);
    }
    double width = 3.4;
    for (const TrendSeries& s : series) {
        std::vector<std::pair<double, double>> points;
        for (std::size_t i = 0; i < s.values.size(); ++i) {
            points.emplace_back(x_at(i), y_at(s.values[i]));
        }
        canvas.polyline(points, s.colour, width);
        for (const auto& [x, y] : points) {
            canvas.dot(x, y, width + 0.6, s.colour);
        }
        width -= 1;
    }
    page.advance(bottom + 22 - page.y());
    canvas.end_tag(Tag::figure);
}

void draw(PdfLayout& page, const Report& report) {
    page.begin();
    title_block(page, report);
    summary_box(page, report);
    key_figures(page, report);
    page.heading("Avvikelser per enhet", 60);
    bar_chart(page, report);
    page.heading(report.period.kind == PeriodKind::quarter ? "Utveckling de senaste fyra kvartalen"
                                                           : "Periodens kvartal",
                 190);
    trend_chart(page, report);
    page.table(trend_table(report));
    page.paragraph(trend_sentence(report), style_of(9));

    page.heading("Resultat per enhet");
    page.table(unit_table(report));
    page.paragraph(unit_table_note(), style_of(7.5, false, k_grey));
    page.heading("Kommentarer per enhet");
    page.table(comment_table(report));
    page.heading("Fynd per kategori");
    page.table(category_table(report));
    page.heading("Vidtagna åtgärder");
    page.table(action_table(report));
    page.heading("Planerade uppföljningar");
    page.table(follow_up_table(report));
    page.heading("Telefoner utan genomförd kontroll under perioden");
    page.table(not_checked_table(report));
    page.heading("Så räknas rapporten");
    page.canvas().begin_tag(Tag::l);
    for (const std::string& note : method_notes()) {
        page.bullet(note, style_of(8.5));
    }
    page.canvas().end_tag(Tag::l);
    page.end();
}

} // namespace

Expected<std::string> render_pdf(const Report& report) {
    // Twice: the first pass counts the pages for "Sida n av N", the second draws them.
    DOCKSCAN_TRY_ASSIGN(PdfCanvas counting, PdfCanvas::create(report_title(report)));
    PdfLayout counted(counting, report, 0);
    draw(counted, report);
    DOCKSCAN_TRY_ASSIGN(PdfCanvas canvas, PdfCanvas::create(report_title(report)));
    PdfLayout layout(canvas, report, counted.pages());
    draw(layout, report);
    return canvas.finish();
}

} // namespace dockscan::agent::reports
