#pragma once

// The report's tables as rows of text, built once for both the HTML and the PDF, so
// the two forms cannot disagree about a heading or a number.

#include "agent/report/report_model.hpp"

#include <string>
#include <vector>

namespace dockscan::agent::reports {

enum class Align { left, right };

// group: a heading row (only the first cell, spanning the table); sum: an area's
// subtotal; total: the report's total.
enum class RowKind { normal, group, sum, total };

struct TableColumn {
    std::string title;
    double weight; // share of the table's width
    Align align;
};

struct TableRow {
    RowKind kind = RowKind::normal;
    std::vector<std::string> cells;
    std::vector<bool> alert; // per cell: show as a warning (under 20 %)
};

struct Table {
    std::vector<TableColumn> columns;
    std::vector<TableRow> rows;
    std::string empty_text; // shown instead of the table when there are no rows
};

// Per unit, grouped by area, with subtotals and the total.
[[nodiscard]] Table unit_table(const Report& report);
// The trend quarters: checked, with deviation, serious.
[[nodiscard]] Table trend_table(const Report& report);
// Findings per category (only categories with findings).
[[nodiscard]] Table category_table(const Report& report);
// Controls per action.
[[nodiscard]] Table action_table(const Report& report);
// Planned follow-ups by date.
[[nodiscard]] Table follow_up_table(const Report& report);
// The quality lead's comment per unit, for the units that have one.
[[nodiscard]] Table comment_table(const Report& report);

// Phones without a completed control in the period, one row per unit.
[[nodiscard]] Table not_checked_table(const Report& report);

} // namespace dockscan::agent::reports
