// The quality lead's report page (/rapport): choose the period (a quarter, the delår
// or the year), see the figures per unit, per verksamhetsområde and in total with the
// quarters side by side, download the PDF and the CSV, and write the comment per unit
// that the report is sent to the nämnd with.
//
// Only quality leads open it. The report holds figures and phone labels, no client
// data, but it is the quality lead's document: supervisors decide their own units'
// findings and admins keep the register (issue 17's least privilege). Every view and
// download is an audited read, as `dockscan report` is.

#include "agent/report/render.hpp"
#include "agent/report/report_model.hpp"
#include "agent/report/report_tables.hpp"
#include "agent/report/swedish.hpp"
#include "agent/store/report_comments.hpp"
#include "agent/web/pages.hpp"
#include "agent/web/review_app.hpp"
#include "base/time.hpp"

namespace dockscan::agent::web {

namespace {

namespace rp = reports;

// A report table as HTML: header cells with scope, area rows as row headers, and the
// cells under the 20 % rule marked in words as well as in colour.
std::string table_html(const rp::Table& table) {
    if (table.rows.empty()) {
        return "<p class=\"hint\">" + escape(table.empty_text) + "</p>";
    }
    std::string html = "<div class=\"scroll\"><table><thead><tr>";
    for (const rp::TableColumn& column : table.columns) {
        html += "<th scope=\"col\"" +
                std::string(column.align == rp::Align::right ? " class=\"num\"" : "") + ">" +
                escape(column.title) + "</th>";
    }
    html += "</tr></thead><tbody>";
    for (const rp::TableRow& row : table.rows) {
        if (row.kind == rp::RowKind::group) {
            html += "<tr class=\"group\"><th scope=\"rowgroup\" colspan=\"" +
                    std::to_string(table.columns.size()) + "\">" + escape(row.cells.at(0)) +
                    "</th></tr>";
            continue;
        }
        const bool strong = row.kind != rp::RowKind::normal;
        html += strong ? "<tr class=\"sum\">" : "<tr>";
        for (std::size_t i = 0; i < row.cells.size() && i < table.columns.size(); ++i) {
            const bool alert = i < row.alert.size() && row.alert[i];
            const bool number = table.columns[i].align == rp::Align::right;
            const std::string cls = std::string(number ? "num" : "") + (alert ? " under" : "");
            const std::string tag = i == 0 ? "th scope=\"row\"" : "td";
            html += "<" + tag + (cls.empty() ? "" : " class=\"" + cls + "\"") + ">" +
                    escape(row.cells[i]) + "</" + (i == 0 ? "th" : "td") + ">";
        }
        html += "</tr>";
    }
    return html + "</tbody></table></div>";
}

constexpr std::string_view k_css = "<style>.scroll{overflow-x:auto;max-width:100%}"
                                   "td.num,th.num{text-align:right;white-space:nowrap}"
                                   "td.under{color:#8a1c12;font-weight:700}"
                                   "tr.sum th,tr.sum td{font-weight:700;border-top:2px solid #777}"
                                   "tr.group th{background:#eef2f6}"
                                   ".downloads{display:flex;gap:1rem;flex-wrap:wrap}"
                                   "select{max-width:100%}"
                                   // The frame's nav has one link more here: it wraps on a
                                   // phone rather than widen the page.
                                   "header nav{flex-wrap:wrap}"
                                   "</style>";

// The periods offered: the quarters, the delår and the year of this year and the two
// before it, newest first.
std::vector<rp::Period> period_choices(int this_year) {
    std::vector<rp::Period> choices;
    for (int year = this_year; year >= this_year - 2; --year) {
        choices.push_back(rp::Period{rp::PeriodKind::year, year, 1});
        choices.push_back(rp::Period{rp::PeriodKind::delar, year, 1});
        for (int quarter = 4; quarter >= 1; --quarter) {
            choices.push_back(rp::period_of(rp::Quarter{year, quarter}));
        }
    }
    return choices;
}

std::string period_label(rp::Period period) {
    std::string name = rp::long_name(period);
    if (!name.empty() && name[0] >= 'a' && name[0] <= 'z') {
        name[0] = static_cast<char>(name[0] - 'a' + 'A');
    }
    return name + " (" + rp::period_text(period) + ")";
}

std::string period_form(rp::Period chosen, int this_year) {
    std::string html = "<form class=\"card\" method=\"get\" action=\"/rapport\"><label "
                       "for=\"period\">Period</label><select id=\"period\" name=\"period\">";
    for (const rp::Period& period : period_choices(this_year)) {
        html += "<option value=\"" + escape(rp::code(period)) + "\"" +
                (period == chosen ? " selected" : "") + ">" + escape(period_label(period)) +
                "</option>";
    }
    return html + "</select> <button type=\"submit\">Visa</button></form>";
}

std::string comments_html(const rp::Report& report, std::string_view csrf) {
    std::string html = "<h2 id=\"kommentarer\">Kommentarer per enhet</h2><p class=\"hint\">Din "
                       "analys per enhet följer med rapporten (PDF och CSV) för " +
                       escape(rp::long_name(report.period)) + ".</p>";
    int index = 0;
    for (const rp::UnitReport* unit : report.units()) {
        if (!unit->registered) {
            continue;
        }
        const std::string id = "kommentar-" + std::to_string(++index);
        html += "<form class=\"card\" method=\"post\" action=\"/rapport/kommentar\">" +
                csrf_field(csrf) + "<input type=\"hidden\" name=\"period\" value=\"" +
                escape(rp::code(report.period)) +
                "\"><input type=\"hidden\" name=\"unit\" value=\"" + escape(unit->name) +
                "\"><label for=\"" + id + "\">Kommentar för " + escape(unit->name) +
                "</label><textarea id=\"" + id + "\" name=\"comment\" maxlength=\"" +
                std::to_string(report_comments::k_max_comment) + "\">" + escape(unit->comment) +
                "</textarea><p><button type=\"submit\">Spara kommentar</button></p></form>";
    }
    return html;
}

} // namespace

Response ReviewApp::report_page(const Request& request, const Context& context) {
    if (context.user.role != users::Role::quality_lead) {
        auto audited = audit(context.user.name, "report_denied", "page:/rapport",
                             "role " + std::string(users::to_string(context.user.role)));
        if (!audited) {
            return failure(audited.error());
        }
        return page(context, "Åtkomst nekad",
                    message_body("Rapporten är för kvalitetsansvariga",
                                 "Sidan visar rapporten till nämnden. Be en kvalitetsansvarig om "
                                 "den."),
                    Nav::none, 403);
    }
    const std::int64_t now = base::unix_now();
    const std::string asked = param(request, "period");
    const auto parsed = asked.empty() ? Expected<rp::Period>(rp::period_of(rp::quarter_of(now)))
                                      : rp::parse_period(asked);
    std::string error;
    const rp::Period period = parsed ? *parsed : rp::period_of(rp::quarter_of(now));
    if (!parsed) {
        error = "Perioden känns inte igen. Välj en period i listan.";
    }
    auto report = report_of(period, now);
    if (!report) {
        return failure(report.error());
    }
    auto audited = audit(context.user.name, "report", "period:" + rp::code(period), "page; web");
    if (!audited) {
        return failure(audited.error());
    }
    const std::string code = rp::code(period);
    std::string body = std::string(k_css) + "<h1>" + escape(rp::report_title(*report)) + "</h1>";
    if (request.params.count("sparad") > 0) {
        body += notice("ok", "Kommentaren är sparad.");
    }
    if (!error.empty()) {
        body += notice("error", error);
    }
    body += period_form(period, base::swedish_date(now).year);
    body += "<p class=\"meta\">" + escape(rp::period_text(period)) + " · Skapad " +
            escape(report->generated_at) + "</p>";
    body += "<div class=\"downloads\"><a href=\"/rapport/pdf?period=" + escape(code) +
            "\">Ladda ner PDF</a><a href=\"/rapport/csv?period=" + escape(code) +
            "\">Ladda ner CSV (Excel)</a><a href=\"#kommentarer\">Skriv kommentarer</a></div>";
    body += "<section class=\"group\"><h2>Sammanfattning</h2>";
    for (const std::string& sentence : rp::summary_sentences(*report)) {
        body += "<p>" + escape(sentence) + "</p>";
    }
    body += "<p>" + escape(rp::selection_text(*report)) + "</p></section>";
    body += "<h2>Per enhet och verksamhetsområde</h2>" + table_html(rp::unit_table(*report)) +
            "<p class=\"hint\">" + escape(rp::unit_table_note()) + "</p>";
    body += "<h2>Kvartal för kvartal</h2>" + table_html(rp::trend_table(*report)) + "<p>" +
            escape(rp::trend_sentence(*report)) + "</p>";
    body += comments_html(*report, context.session.csrf);
    return page(context, "Rapport " + rp::long_name(period), std::move(body), Nav::report);
}

Response ReviewApp::report_download(const Request& request, const Context& context,
                                    std::string_view format_name) {
    if (context.user.role != users::Role::quality_lead) {
        auto audited =
            audit(context.user.name, "report_denied", "page:/rapport/" + std::string(format_name),
                  "role " + std::string(users::to_string(context.user.role)));
        if (!audited) {
            return failure(audited.error());
        }
        return page(context, "Åtkomst nekad",
                    message_body("Rapporten är för kvalitetsansvariga",
                                 "Be en kvalitetsansvarig om rapporten."),
                    Nav::none, 403);
    }
    const auto format = rp::parse_format(format_name);
    const auto period = rp::parse_period(param(request, "period"));
    if (!format || !period) {
        return page(context, "Okänd period",
                    message_body("Okänd period", "Välj perioden på sidan Rapport."), Nav::report,
                    400);
    }
    const std::int64_t now = base::unix_now();
    auto report = report_of(*period, now);
    if (!report) {
        return failure(report.error());
    }
    auto bytes = rp::render(*report, *format);
    if (!bytes) {
        return failure(bytes.error());
    }
    // The download is a read of the store by a person, as `dockscan report` is.
    auto audited = audit(context.user.name, "report", "period:" + rp::code(*period),
                         std::string(rp::to_string(*format)) + "; web; units: all");
    if (!audited) {
        return failure(audited.error());
    }
    Response response;
    response.body = std::move(*bytes);
    response.content_type =
        *format == rp::Format::pdf ? "application/pdf" : "text/csv; charset=utf-8";
    response.headers.emplace_back("Content-Disposition",
                                  "attachment; filename=\"" +
                                      rp::default_file_name(*period, *format) + "\"");
    return response;
}

Response ReviewApp::report_comment(const Request& request, const Context& context) {
    if (context.user.role != users::Role::quality_lead) {
        auto audited = audit(context.user.name, "report_denied", "page:/rapport/kommentar",
                             "role " + std::string(users::to_string(context.user.role)));
        if (!audited) {
            return failure(audited.error());
        }
        return page(context, "Åtkomst nekad",
                    message_body("Rapporten är för kvalitetsansvariga",
                                 "Bara en kvalitetsansvarig skriver rapportens kommentarer."),
                    Nav::none, 403);
    }
    const auto period = rp::parse_period(param(request, "period"));
    const std::string unit = param(request, "unit");
    std::string text = param(request, "comment");
    // Browsers send CRLF in a textarea; the comment keeps plain line breaks.
    std::string clean;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!(text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
            clean += text[i];
        }
    }
    if (!period) {
        return page(context, "Okänd period",
                    message_body("Okänd period", "Välj perioden på sidan Rapport."), Nav::report,
                    400);
    }
    const std::string code = rp::code(*period);
    Store* station = m_db.station();
    if (station == nullptr) {
        return page(context, "Kommentaren sparades inte",
                    message_body("Kommentaren sparades inte",
                                 "Rapportens kommentarer skrivs på stationens granskning, inte på "
                                 "kommunens gemensamma."),
                    Nav::report, 409);
    }
    auto saved = report_comments::set(*station, unit, code, clean, context.user.name);
    if (!saved) {
        if (saved.error().code != ErrorCode::usage && saved.error().code != ErrorCode::config) {
            return failure(saved.error());
        }
        return page(context, "Kommentaren sparades inte",
                    message_body("Kommentaren sparades inte",
                                 saved.error().code == ErrorCode::config
                                     ? "Enheten finns inte längre. Ladda om sidan Rapport."
                                     : "Kommentaren är för lång (högst " +
                                           std::to_string(report_comments::k_max_comment) +
                                           " tecken) eller innehåller otillåtna tecken."),
                    Nav::report, 400);
    }
    auto audited = audit(context.user.name, "report_comment", "unit:" + unit,
                         "period=" + code + "; " + std::to_string(clean.size()) + " bytes; web");
    if (!audited) {
        return failure(audited.error());
    }
    return redirect("/rapport?period=" + code + "&sparad=1#kommentarer");
}

Expected<rp::Report> ReviewApp::report_of(const rp::Period& period, std::int64_t now) {
    if (Store* station = m_db.station()) {
        return rp::build_report(*station, period, {}, now);
    }
    // The municipality's report: every unit of every station; comments stay at the
    // stations (firmware-notes/central.md).
    return rp::build_report(m_db.source(), period, {}, now, {});
}

} // namespace dockscan::agent::web
