// The supervisor's follow-up list (/uppfoljning): decided findings with a removal
// action or a follow-up date, and where each stands: still there (open again), overdue,
// waiting for the phone's next docking, due, or verified gone with the date and the
// docking. Unit-scoped like the queue; no evidence on it (no number, excerpt or label).

#include "agent/store/follow_up.hpp"
#include "agent/web/pages_internal.hpp"
#include "agent/web/review_app.hpp"
#include "base/time.hpp"

#include <cstdio>

namespace dockscan::agent::web {

namespace {

using namespace pages_detail;

std::string date_text(const base::Date& date) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", date.year, date.month, date.day);
    return text;
}

// The state as a badge in the colours the supervisor already reads: red for what needs
// action now, yellow for what is waiting, green for what is done.
std::string state_badge(const follow_up::Entry& e) {
    switch (e.state) {
    case follow_up::State::still_there:
        return "<span class=\"sev sev-allvarlig_avvikelse\">Finns kvar</span>";
    case follow_up::State::overdue:
        return "<span class=\"sev sev-allvarlig_avvikelse\">Försenad</span>";
    case follow_up::State::awaiting_check:
        return "<span class=\"sev sev-avvikelse\">Väntar på dockning</span>";
    case follow_up::State::due:
        return "<span class=\"sev sev-avvikelse\">Att följa upp</span>";
    case follow_up::State::verified:
        return "<span class=\"sev sev-ingen_avvikelse\">Verifierad</span>";
    }
    return "";
}

// What the phone said, in a sentence: when, and by which docking or scan.
std::string check_text(const follow_up::Entry& e) {
    std::string where;
    if (e.check_docking_id) {
        where = "dockning " + std::to_string(*e.check_docking_id);
    } else if (e.check_scan_id) {
        where = "skanning " + std::to_string(*e.check_scan_id);
    }
    const std::string when = escape(display_time(e.checked_at));
    std::string link = e.check_scan_id ? " (<a href=\"" + scan_href(*e.check_scan_id) + "\">" +
                                             escape(where) + "</a>)"
                                       : std::string();
    switch (e.state) {
    case follow_up::State::still_there:
        return "Fanns kvar på telefonen " + when + link + ". Fyndet är öppet igen.";
    case follow_up::State::verified:
        return "Borta från telefonen " + when + link + ".";
    case follow_up::State::awaiting_check:
        return "Kontrolleras när telefonen dockas nästa gång.";
    case follow_up::State::overdue:
    case follow_up::State::due:
        break;
    }
    return e.check_scan_id ? "Kontrollerad " + when + link + "." : "–";
}

std::string actions_text(const follow_up::Entry& e) {
    std::string text;
    for (const std::string& action : e.actions) {
        text += (text.empty() ? "" : ", ") + escape(action_label(action));
    }
    return text.empty() ? "–" : text;
}

std::string followup_body(const std::vector<follow_up::Entry>& entries) {
    std::string html =
        "<h1>Uppföljning</h1><p class=\"meta\">Beslutade fynd med åtgärden &quot;Raderat "
        "från telefonen&quot; eller ett uppföljningsdatum. Telefonen kontrolleras vid nästa "
        "dockning: finns det som skulle raderas kvar öppnas fyndet igen.</p>";
    if (entries.empty()) {
        return html + "<p>Inget att följa upp.</p>";
    }
    html += "<div class=\"card\"><table><thead><tr><th scope=\"col\">Läge</th><th "
            "scope=\"col\">Telefon</th><th scope=\"col\">Kategori</th><th scope=\"col\">Beslut "
            "och åtgärder</th><th scope=\"col\">Uppföljning</th><th scope=\"col\">Kontroll på "
            "telefonen</th><th scope=\"col\"><span class=\"sr-only\">Öppna</span></th></tr>"
            "</thead><tbody>";
    for (const follow_up::Entry& e : entries) {
        html += "<tr data-state=\"" + std::string(to_string(e.state)) + "\"><td>" + state_badge(e) +
                "</td><td>" + escape(e.phone) +
                (e.unit.empty() ? std::string()
                                : "<br><span class=\"hint\">" + escape(e.unit) + "</span>") +
                "</td><td>" + escape(category_label(e.category)) + "<br><span class=\"hint\">" +
                escape(item_type_label(e.item_type)) + "</span></td><td>" + badge(e.decision) +
                " <span class=\"hint\">" + escape(display_time(e.decided_at)) + "</span><br>" +
                actions_text(e) + "</td><td>" + (e.follow_up.empty() ? "–" : escape(e.follow_up)) +
                "</td><td>" + check_text(e) + "</td><td><a href=\"" + finding_href(e.finding_id) +
                "\">Visa<span class=\"sr-only\"> fynd " + std::to_string(e.finding_id) +
                "</span></a></td></tr>";
    }
    return html + "</tbody></table></div>";
}

} // namespace

Response ReviewApp::followup_list(const Context& context) {
    const std::string today = date_text(base::swedish_date(base::unix_now()));
    auto rows = follow_up::entries(m_db.source(), context.viewer, today);
    if (!rows) {
        return failure(rows.error());
    }
    auto audited = audit(context.user.name, "view_followups", "findings",
                         std::to_string(rows->size()) + " follow-ups shown");
    if (!audited) {
        return failure(audited.error());
    }
    return page(context, "Uppföljning", followup_body(*rows), Nav::followup);
}

} // namespace dockscan::agent::web
