// The HTML form: one self-contained page for the screen (inline CSS and SVG, no
// script, nothing fetched), in the same order as the PDF.

#include "agent/report/html_charts.hpp"
#include "agent/report/html_text.hpp"
#include "agent/report/render.hpp"
#include "agent/report/report_tables.hpp"
#include "agent/report/swedish.hpp"

#include <string>

namespace dockscan::agent::reports {

namespace {

constexpr std::string_view k_style = R"css(
body { font-family: "DejaVu Sans", Verdana, sans-serif; font-size: 14px; color: #1a1a1a;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; margin-top: 2.2rem; border-bottom: 2px solid #2a6bb0; }
.meta { color: #555; margin-top: 0; }
.summary { background: #f2f6fb; border-left: 4px solid #2a6bb0; padding: .6rem 1rem; }
.summary p { margin: .3rem 0; }
.figures { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1rem 0; }
.figure { border: 1px solid #ccd; border-radius: 4px; padding: .5rem .9rem; min-width: 8rem; }
.figure b { display: block; font-size: 1.5rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: right; }
th.l, td.l { text-align: left; }
td:not(.l) { white-space: nowrap; }
thead th { background: #e8eef6; vertical-align: bottom; }
tr.area th { background: #f6f6f6; text-align: left; }
tr.sum td, tr.total td { font-weight: bold; }
tr.total td { border-top: 2px solid #333; }
.under { color: #c43030; font-weight: bold; }
.chart { width: 100%; max-width: 44rem; font-size: 12px; }
.empty, .note { color: #555; font-style: italic; }
footer { margin-top: 2.5rem; color: #666; font-size: .85rem; }
)css";

std::string n(std::int64_t value) {
    return std::to_string(value);
}

// The class of a cell: "l" for a left-aligned column (numbers align right, the CSS
// default), "under" for a warning.
std::string cell_class(const Table& table, std::size_t column, bool alert) {
    std::string css;
    if (column < table.columns.size() && table.columns[column].align == Align::left) {
        css = "l";
    }
    if (alert) {
        css += css.empty() ? "under" : " under";
    }
    return css.empty() ? "" : " class=\"" + css + "\"";
}

std::string table_html(const Table& table) {
    if (table.rows.empty() && !table.empty_text.empty()) {
        return "<p class=\"empty\">" + escape(table.empty_text) + "</p>\n";
    }
    std::string html = "<table>\n<thead><tr>";
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        html +=
            "<th" + cell_class(table, i, false) + ">" + escape(table.columns[i].title) + "</th>";
    }
    html += "</tr></thead>\n<tbody>\n";
    for (const TableRow& row : table.rows) {
        if (row.kind == RowKind::group) {
            html += "<tr class=\"area\"><th colspan=\"" + std::to_string(table.columns.size()) +
                    "\">" + escape(row.cells.at(0)) + "</th></tr>\n";
            continue;
        }
        html += row.kind == RowKind::sum     ? "<tr class=\"sum\">"
                : row.kind == RowKind::total ? "<tr class=\"total\">"
                                             : "<tr>";
        for (std::size_t i = 0; i < row.cells.size(); ++i) {
            const bool alert = i < row.alert.size() && row.alert[i];
            html += "<td" + cell_class(table, i, alert) + ">" + escape(row.cells[i]) + "</td>";
        }
        html += "</tr>\n";
    }
    return html + "</tbody>\n</table>\n";
}

std::string key_figure(std::string_view value, std::string_view label) {
    return "<div class=\"figure\"><b>" + escape(value) + "</b>" + escape(label) + "</div>";
}

} // namespace

std::string render_html(const Report& report) {
    const Figures& total = report.total;
    std::string html = "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<title>" +
                       escape(report_title(report)) + "</title>\n<style>" + std::string(k_style) +
                       "</style>\n</head>\n<body>\n";
    html += "<h1>" + escape(report_title(report)) + "</h1>\n";
    html += "<p class=\"meta\">" + escape(period_text(report.period)) + " · " +
            escape(scope_text(report)) + " · Skapad " + escape(report.generated_at) + "</p>\n";
    html += "<div class=\"summary\">\n";
    for (const std::string& sentence : summary_sentences(report)) {
        html += "<p>" + escape(sentence) + "</p>\n";
    }
    html += "<p>" + escape(selection_text(report)) + "</p>\n";
    html +=
        "</div>\n<div class=\"figures\">" + key_figure(n(total.phones), "telefoner") +
        key_figure(n(total.checked), "skannade") +
        key_figure(n(total.completed) + " (" + share_text(total) + ")", "genomförda kontroller") +
        key_figure(n(total.deviations), "kontroller med avvikelse") +
        key_figure(n(total.serious), "varav allvarlig avvikelse") +
        key_figure(n(total.open_findings), "öppna fynd") +
        key_figure(n(total.remaining), "kvarstående fynd") + "</div>\n";
    html += "<h2>Avvikelser per enhet</h2>\n" + deviation_bar_chart(report) + "\n";
    html += "<h2>Resultat per enhet</h2>\n" + table_html(unit_table(report));
    html += "<p class=\"note\">" + escape(unit_table_note()) + "</p>\n";
    html +=
        "<h2>Utveckling</h2>\n" + trend_line_chart(report) + "\n" + table_html(trend_table(report));
    html += "<p>" + escape(trend_sentence(report)) + "</p>\n";
    html += "<h2>Kommentarer per enhet</h2>\n" + table_html(comment_table(report));
    html += "<h2>Fynd per kategori</h2>\n" + table_html(category_table(report));
    html += "<h2>Vidtagna åtgärder</h2>\n" + table_html(action_table(report));
    html += "<h2>Planerade uppföljningar</h2>\n" + table_html(follow_up_table(report));
    html += "<h2>Telefoner utan genomförd kontroll under perioden</h2>\n" +
            table_html(not_checked_table(report));
    html += "<h2>Så räknas rapporten</h2>\n<ul>\n";
    for (const std::string& note : method_notes()) {
        html += "<li>" + escape(note) + "</li>\n";
    }
    html += "</ul>\n<footer>" + escape(report_title(report)) + " · dockscan</footer>\n";
    return html + "</body>\n</html>\n";
}

} // namespace dockscan::agent::reports
