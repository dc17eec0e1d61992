#include "agent/report/report_tables.hpp"

#include "agent/report/swedish.hpp"

#include <optional>

namespace dockscan::agent::reports {

namespace {

std::string n(std::int64_t value) {
    return std::to_string(value);
}

// `under`: whether the row is under the 20 % rule; nothing where the rule does not
// apply (phones in no unit, sums of areas).
TableRow figures_row(RowKind kind, std::string name, const Figures& now, const Figures& before,
                     std::optional<bool> under) {
    const bool is_under = under.value_or(false);
    const std::string rule = !under || now.phones == 0 ? "–" : is_under ? "Ja" : "";
    return TableRow{
        kind,
        {std::move(name), n(now.phones), n(now.checked), n(now.completed), share_text(now), rule,
         n(now.deviations), n(now.serious), n(now.open_findings),
         n(before.completed) + " / " + n(before.deviations) + " / " + n(before.serious)},
        {false, false, false, is_under, is_under, is_under, false, false, false, false}};
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
                figures_row(RowKind::normal, unit.name, unit.current, unit.previous,
                            unit.registered ? std::optional(unit.under()) : std::nullopt));
        }
        if (area.units.size() > 1) {
            table.rows.push_back(figures_row(RowKind::sum, "Summa " + area.name, area.current,
                                             area.previous, std::nullopt));
        }
    }
    table.rows.push_back(figures_row(RowKind::total, "Totalt", report.total, report.total_previous,
                                     !report.total_under_parts.empty()));
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
