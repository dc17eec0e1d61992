#pragma once

// Pieces the page renderers share. Not for use outside agent/web/pages*.cpp.

#include "agent/store/review_queries.hpp"
#include "agent/web/html.hpp"
#include "agent/web/labels.hpp"
#include "agent/web/pages.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::agent::web::pages_detail {

// A severity or decision as a coloured, labelled badge.
inline std::string badge(std::string_view code) {
    return "<span class=\"sev sev-" + escape(code) + "\">" + escape(decision_label(code)) +
           "</span>";
}

// The thumbnail slot of items without a picture (messages, contacts).
inline std::string thumbnail() {
    return "<div class=\"thumb\">Ingen bild</div>";
}

// A finding's evidence thumbnail, served by the finding's own route (`?bild`), which
// checks the viewer's units and role as the page does.
inline std::string thumbnail_image(std::int64_t finding_id, std::int64_t width,
                                   std::int64_t height) {
    return "<img class=\"thumb\" src=\"/fynd/" + std::to_string(finding_id) + "?bild=1\" width=\"" +
           std::to_string(width) + "\" height=\"" + std::to_string(height) +
           "\" alt=\"Suddig miniatyr av bilden\">";
}

// A table cell that names its column, so that narrow screens can show rows as cards.
inline std::string cell(std::string_view label, const std::string& html) {
    return "<td data-label=\"" + escape(label) + "\">" + html + "</td>";
}

// The masked number and the redacted excerpt, or a dash.
inline std::string evidence(const FindingRow& row) {
    std::string html;
    if (!row.masked.empty()) {
        html += "<span class=\"masked\">" + escape(row.masked) + "</span>";
    }
    if (!row.excerpt.empty()) {
        html += "<q class=\"excerpt\">" + escape(row.excerpt) + "</q>";
    }
    return html;
}

// "Avvikelse, av Anna Berg 2026-11-21 09:14" with the actions below.
inline std::string decision_summary(const review::Decision& decision) {
    std::string html = badge(decision.decision) + " <span class=\"hint\">av " +
                       escape(decision.reviewer_name) + ", " +
                       escape(display_time(decision.created_at)) + "</span>";
    if (!decision.actions.empty()) {
        html += "<br>";
        for (std::size_t i = 0; i < decision.actions.size(); ++i) {
            html += (i > 0 ? ", " : "") + escape(action_label(decision.actions[i]));
        }
    }
    if (!decision.follow_up.empty()) {
        html += "<br><span class=\"hint\">Uppföljning " + escape(decision.follow_up) + "</span>";
    }
    return html;
}

// "/fynd/12"
inline std::string finding_href(std::int64_t id) {
    return "/fynd/" + std::to_string(id);
}

inline std::string scan_href(std::int64_t id) {
    return "/skanningar/" + std::to_string(id);
}

// The item's categories, in Swedish, each once.
[[nodiscard]] std::string categories(const ItemFindings& item);

// What the item is, so that the supervisor finds it on the phone with the staff member:
// a photo's file name and date, a message's sender label and date.
[[nodiscard]] std::string item_description(const review::ReviewFinding& finding);

// Items as a table; with a decision column unless they are all open.
[[nodiscard]] std::string findings_table(const std::vector<ItemFindings>& items,
                                         review::Filter filter, Show show);

} // namespace dockscan::agent::web::pages_detail
