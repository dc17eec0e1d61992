#include "agent/report/report_tables.hpp"

#include "agent/report/swedish.hpp"

#include <optional>

namespace dockscan::agent::reports {

namespace {

std::string n(std::int64_t value) {
    return std::to_string(value);
}

// What the "Under 20 %" cell says: "Ja" in a quarter's report; the quarters it was
// under in ("K2, K4") in a delår's or a year's, where the rule is judged per quarter.
std::string under_text(const Report& report, const std::vector<std::string>& parts) {
    if (parts.empty()) {
        return "";
    }
    if (report.period.kind == PeriodKind::quarter) {
        return "Ja";
    }
    std::string text;
    for (const std::string& part : parts) {
        // "2026 K3 (jul–aug)" -> "K3 (jul–aug)": the year is the report's.
        const std::size_t space = part.find(' ');
        text += (text.empty() ? "" : ", ") +
                (space == std::string::npos ? part : part.substr(space + 1));
    }
    return text;
}

// `under`: what the rule cell says ("" when not under); nothing where the rule does not
// apply (phones in no unit, sums of areas). The share is marked only in a quarter's
// report: over several quarters it is not what the rule judges.
TableRow figures_row(const Report& report, RowKind kind, std::string name, const Figures& now,
                     const Figures& before, const std::optional<std::string>& under) {
    const bool is_under = under && !under->empty();
    const bool mark_share = is_under && report.period.kind == PeriodKind::quarter;
    const std::string rule = !under || now.phones == 0 ? "–" : *under;
    return TableRow{
        kind,
        {std::move(name), n(now.phones), n(now.checked), n(now.completed), share_text(now), rule,
         n(now.deviations), n(now.serious), n(now.open_findings),
         n(before.completed) + " / " + n(before.deviations) + " / " + n(before.serious)},
        {false, false, false, mark_share, mark_share, is_under, false, false, false, false}};
}

} // namespace

Table unit_table(const Report& report) {
    // The unit's name takes what the numbers leave.
    Table table{{{"Enhet", 4, Align::left},
                 {"Telefoner", 0.15, Align::right},
                 {"Skannade", 0.15, Align::right},
                 {"Genomförda", 0.15, Align::right},
                 {"Andel", 0.15, Align::right},
                 {"Under 20\u00a0%", 0.15, Align::right},
                 {"Med avvikelse", 0.15, Align::right},
                 {"varav allvarlig", 0.15, Align::right},
                 {"Öppna fynd", 0.15, Align::right},
                 {"Föreg. period", 0.15, Align::right}},
                {},
                ""};
    for (const AreaReport& area : report.areas) {
        // The unregistered phones are their own group; a heading would repeat the name.
        const bool single_named = area.units.size() == 1 && area.units[0].name == area.name;
        if (!single_named) {
            table.rows.push_back(TableRow{RowKind::group, {area.name}, {false}});
        }
        for (const UnitReport& unit : area.units) {
            table.rows.push_back(
                figures_row(report, RowKind::normal, unit.name, unit.current, unit.previous,
                            unit.registered ? std::optional(under_text(report, unit.under_parts))
                                            : std::nullopt));
        }
        if (area.units.size() > 1) {
            table.rows.push_back(figures_row(report, RowKind::sum, "Summa " + area.name,
                                             area.current, area.previous, std::nullopt));
        }
    }
    table.rows.push_back(figures_row(report, RowKind::total, "Totalt", report.total,
                                     report.total_previous,
                                     under_text(report, report.total_under_parts)));
    return table;
}

Table trend_table(const Report& report) {
    Table table{{{"Kvartal", 1.5, Align::left},
                 {"Telefoner", 1, Align::right},
                 {"Skannade", 1, Align::right},
                 {"Genomförda kontroller", 1.5, Align::right},
                 {"Andel", 1, Align::right},
                 {"Kontroller med avvikelse", 1.5, Align::right},
                 {"varav allvarlig", 1.2, Align::right}},
                {},
                ""};
    for (const TrendPoint& point : report.trend) {
        Figures figures;
        figures.phones = point.phones;
        figures.completed = point.completed;
        const bool last = &point == &report.trend.back();
        table.rows.push_back(
            TableRow{last ? RowKind::total : RowKind::normal,
                     {point.label, n(point.phones), n(point.checked), n(point.completed),
                      share_text(figures), n(point.deviations), n(point.serious)},
                     {}});
    }
    return table;
}

Table comment_table(const Report& report) {
    Table table{{{"Enhet", 1.4, Align::left}, {"Kommentar", 4, Align::left}},
                {},
                "Inga kommentarer till perioden."};
    for (const UnitReport* unit : report.units()) {
        if (!unit->comment.empty()) {
            table.rows.push_back(TableRow{RowKind::normal, {unit->name, unit->comment}, {}});
        }
    }
    return table;
}

Table category_table(const Report& report) {
    Table table{{{"Kategori", 2.6, Align::left},
                 {"Fynd", 0.8, Align::right},
                 {"Ej bedömda", 1, Align::right},
                 {"Bedömda som avvikelse", 1.3, Align::right},
                 {"varav allvarlig", 1.1, Align::right}},
                {},
                "Inga fynd under perioden."};
    const Figures& total = report.total;
    for (std::size_t i = 0; i < k_categories.size(); ++i) {
        const CategoryCount& c = total.categories[i];
        if (c.findings > 0) {
            table.rows.push_back(TableRow{RowKind::normal,
                                          {std::string(k_categories[i].swedish), n(c.findings),
                                           n(c.open), n(c.deviation), n(c.serious)},
                                          {}});
        }
    }
    if (!table.rows.empty()) {
        std::int64_t deviation = 0;
        std::int64_t serious = 0;
        for (const CategoryCount& c : total.categories) {
            deviation += c.deviation;
            serious += c.serious;
        }
        table.rows.push_back(TableRow{
            RowKind::total,
            {"Totalt", n(total.findings), n(total.open_findings), n(deviation), n(serious)},
            {}});
    }
    return table;
}

Table action_table(const Report& report) {
    Table table{{{"Åtgärd", 3, Align::left}, {"Kontroller", 1, Align::right}}, {}, ""};
    for (std::size_t i = 0; i < k_actions.size(); ++i) {
        table.rows.push_back(TableRow{
            RowKind::normal, {std::string(k_actions[i].swedish), n(report.total.actions[i])}, {}});
    }
    return table;
}

Table follow_up_table(const Report& report) {
    Table table{{{"Datum", 1.1, Align::left},
                 {"Enhet", 2, Align::left},
                 {"Telefon", 2, Align::left},
                 {"Bedömningar", 1, Align::right}},
                {},
                "Inga planerade uppföljningar."};
    for (const FollowUp& f : report.follow_ups) {
        table.rows.push_back(
            TableRow{RowKind::normal, {f.date, f.unit, f.phone, n(f.findings)}, {}});
    }
    return table;
}

Table not_checked_table(const Report& report) {
    Table table{{{"Enhet", 1.6, Align::left},
                 {"Utan genomförd kontroll", 1, Align::right},
                 {"Telefoner", 3.4, Align::left}},
                {},
                "Alla telefoner har en genomförd kontroll under perioden."};
    for (const UnitReport* unit : report.units()) {
        if (unit->not_checked.empty()) {
            continue;
        }
        std::string labels;
        for (const std::string& label : unit->not_checked) {
            labels += (labels.empty() ? "" : ", ") + label;
        }
        table.rows.push_back(TableRow{RowKind::normal,
                                      {unit->name,
                                       n(static_cast<std::int64_t>(unit->not_checked.size())) +
                                           " av " + n(unit->current.phones),
                                       labels},
                                      {}});
    }
    return table;
}

} // namespace dockscan::agent::reports
