// The CSV form, for the municipality's follow-up systems and for Excel.
//
// Swedish Excel opens a file by double-click when it is UTF-8 with a byte order mark
// (otherwise å ä ö come out wrong) and separated by semicolons (the comma is the
// decimal separator in the Swedish locale, so shares are written "23,3"). Lines end
// in CRLF as RFC 4180 has it. One row per unit, a subtotal row per verksamhetsområde
// and the total. The column headers are in Swedish as readers see them (issue 17);
// new columns go at the end.

#include "agent/report/render.hpp"
#include "agent/report/swedish.hpp"

#include <string>
#include <vector>

namespace dockscan::agent::reports {

namespace {

constexpr std::string_view k_bom = "\xEF\xBB\xBF";

// A field as Excel reads it back: quoted when it holds a separator, a quote or a line
// break. A name that starts like a formula is prefixed with ' so that a spreadsheet
// shows it instead of evaluating it.
std::string field(std::string_view text) {
    std::string value(text);
    if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' ||
                           value[0] == '@' || value[0] == '\t' || value[0] == '\r')) {
        // Not value.insert(0, "'"): at -O3 GCC 12 reports a false -Wrestrict in that.
        std::string quoted;
        quoted.reserve(value.size() + 1);
        quoted += '\'';
        quoted += value;
        value = std::move(quoted);
    }
    if (value.find_first_of(";\"\r\n") == std::string::npos) {
        return value;
    }
    std::string quoted = "\"";
    for (const char c : value) {
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return quoted + "\"";
}

std::vector<std::string> header() {
    std::vector<std::string> columns = {"Period",
                                        "Nivå",
                                        "Verksamhetsområde",
                                        "Enhet",
                                        "Telefoner",
                                        "Skannade telefoner",
                                        "Genomförda kontroller",
                                        "Skannade endast delvis",
                                        "Andel genomförda kontroller (%)",
                                        "Under 20 %",
                                        "Kontroller med avvikelse",
                                        "Varav allvarlig avvikelse",
                                        "Fynd",
                                        "Fynd ej bedömda",
                                        "Kvarstående fynd"};
    for (const CodeName& category : k_categories) {
        columns.push_back("Fynd: " + std::string(category.swedish));
    }
    for (const CodeName& action : k_actions) {
        columns.push_back("Åtgärd: " + std::string(action.swedish));
    }
    for (const char* column :
         {"Planerade uppföljningar", "Föregående period: skannade",
          "Föregående period: genomförda kontroller", "Föregående period: med avvikelse",
          "Föregående period: allvarlig avvikelse", "Urval", "Kommentar"}) {
        columns.emplace_back(column);
    }
    return columns;
}

std::vector<std::string> row(const Report& report, std::string_view level, std::string_view area,
                             std::string_view unit, const Figures& now, const Figures& before,
                             std::string_view under, std::string_view comment) {
    const auto n = [](std::int64_t value) { return std::to_string(value); };
    std::vector<std::string> fields = {
        code(report.period), std::string(level),   std::string(area), std::string(unit),
        n(now.phones),       n(now.checked),       n(now.completed),  n(now.partial_only),
        share_decimal(now),  std::string(under),   n(now.deviations), n(now.serious),
        n(now.findings),     n(now.open_findings), n(now.remaining)};
    for (const CategoryCount& category : now.categories) {
        fields.push_back(n(category.findings));
    }
    for (const std::int64_t action : now.actions) {
        fields.push_back(n(action));
    }
    for (const std::int64_t value :
         {now.follow_ups, before.checked, before.completed, before.deviations, before.serious}) {
        fields.push_back(n(value));
    }
    fields.push_back(selection_text(report));
    fields.emplace_back(comment);
    return fields;
}

void append_line(std::string& out, const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        // Two appends: at -O3 GCC 12 reports a false -Wrestrict in `(…) + field(…)`.
        if (i > 0) {
            out += ';';
        }
        out += field(fields[i]);
    }
    out += "\r\n";
}

} // namespace

std::string render_csv(const Report& report) {
    std::string out(k_bom);
    append_line(out, header());
    for (const AreaReport& area : report.areas) {
        for (const UnitReport& unit : area.units) {
            // The rule column is empty where the rule does not apply: phones that belong
            // to no unit, and units without phones.
            const std::string_view under = !unit.registered || unit.current.phones == 0 ? ""
                                           : unit.under()                               ? "ja"
                                                                                        : "nej";
            append_line(out, row(report, unit.registered ? "enhet" : "ej registrerad", unit.area,
                                 unit.name, unit.current, unit.previous, under, unit.comment));
        }
        if (area.units.size() > 1 || area.units.front().name != area.name) {
            append_line(out, row(report, "verksamhetsområde", area.name, "Summa " + area.name,
                                 area.current, area.previous, "", ""));
        }
    }
    const std::string_view total_under = report.total.phones == 0            ? ""
                                         : !report.total_under_parts.empty() ? "ja"
                                                                             : "nej";
    append_line(out, row(report, "totalt", "", "Totalt", report.total, report.total_previous,
                         total_under, ""));
    return out;
}

} // namespace dockscan::agent::reports
