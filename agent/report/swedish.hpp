#pragma once

// The report's Swedish: how numbers and shares are written, the sentences that sum a
// quarter up, and the counting rules as the report states them to its readers.

#include "agent/report/report_model.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::agent::reports {

// A key that sorts names in Swedish order: letter case ignored, å ä ö after z.
[[nodiscard]] std::string swedish_sort_key(std::string_view text);

// "23 %" (with a no-break space), "–" when there are no phones. Rounded to whole
// percent, except that a share under 20 % is never shown as "20 %" ("19,6 %").
[[nodiscard]] std::string share_text(const Figures& figures);

// "23,3": the share with one decimal and a decimal comma, for CSV; empty when there
// are no phones.
[[nodiscard]] std::string share_decimal(const Figures& figures);

// The sentences that open the report, in the seed report's words: coverage, controls
// with deviation, units under 20 %, findings not yet reviewed.
[[nodiscard]] std::vector<std::string> summary_sentences(const Report& report);

// How the period's phones were selected: the station's rule and its share, and the
// scans made by hand.
[[nodiscard]] std::string selection_text(const Report& report);

// One sentence comparing the period with the previous one.
[[nodiscard]] std::string trend_sentence(const Report& report);

// What the two charts show, in words: their alternative text (HTML aria-label) and
// their caption in the PDF.
[[nodiscard]] std::string trend_description(const Report& report);
[[nodiscard]] std::string deviation_description(const Report& report);

// Which units the report covers: "Alla enheter" or their names.
[[nodiscard]] std::string scope_text(const Report& report);

// What the per-unit table's columns mean, printed under it.
[[nodiscard]] std::string unit_table_note();

// The counting rules (report_model.hpp) for the report's readers.
[[nodiscard]] std::vector<std::string> method_notes();

// "Sekretesskontroll 2026 kvartal 4".
[[nodiscard]] std::string report_title(const Report& report);

} // namespace dockscan::agent::reports
