// The finding page (decision, history, sharper view) and the scan page (control).

#include "agent/web/pages.hpp"
#include "agent/web/pages_internal.hpp"

namespace dockscan::agent::web {

namespace {

using namespace pages_detail;

std::string checked(bool on) {
    return on ? " checked" : "";
}

bool contains(const std::vector<std::string>& values, std::string_view value) {
    for (const auto& v : values) {
        if (v == value) {
            return true;
        }
    }
    return false;
}

std::string fact(std::string_view term, const std::string& html) {
    return "<dt>" + std::string(term) + "</dt><dd>" + html + "</dd>";
}

// Radio buttons for a decision or a control result, named `name`.
std::string decision_radios(std::string_view name, std::string_view selected) {
    std::string html;
    for (const std::string_view code : review::k_decisions) {
        html += "<label class=\"inline\"><input type=\"radio\" name=\"" + std::string(name) +
                "\" value=\"" + std::string(code) + "\" required" + checked(code == selected) +
                "> " + escape(decision_label(code)) + "</label>";
    }
    return html;
}

std::string facts(const review::ReviewFinding& f, const std::optional<Thumbnail>& thumb) {
    const FindingRow& r = f.row;
    return "<dl class=\"facts\">" + fact("Telefon", escape(r.phone)) +
           fact("Enhet", escape(f.unit.empty() ? "–" : f.unit)) +
           fact("Skanning", "<a href=\"" + scan_href(r.scan_id) + "\">" +
                                escape(display_time(f.scan_started_at)) + "</a>") +
           fact("Var på telefonen", escape(r.item_label)) +
           fact("Kategori", escape(category_label(r.category))) +
           fact("Föreslagen bedömning", badge(r.severity)) +
           fact("Maskerat nummer",
                r.masked.empty() ? "–" : "<span class=\"masked\">" + escape(r.masked) + "</span>") +
           fact("Utdrag", r.excerpt.empty() ? "–" : "<q>" + escape(r.excerpt) + "</q>") +
           (r.occurrences > 1
                ? fact("Förekomster",
                       "Samma nummer " + std::to_string(r.occurrences) + " gånger på samma ställe")
                : std::string()) +
           fact("Bild", thumb ? thumbnail_image(r.id, thumb->width, thumb->height) : thumbnail()) +
           (f.purged_at.empty()
                ? std::string()
                : fact("Bevis", "Gallrade " + escape(display_time(f.purged_at)) +
                                    " när lagringstiden gått ut; kategori, bedömning och "
                                    "åtgärder finns kvar för rapporterna")) +
           "</dl>";
}

std::string decision_form(const FindingView& view) {
    const auto& latest = view.finding.latest;
    const std::vector<std::string> actions = latest ? latest->actions : std::vector<std::string>{};
    std::string html = "<form class=\"card\" method=\"post\" action=\"" +
                       finding_href(view.finding.row.id) + "/beslut\">" + csrf_field(view.csrf) +
                       "<h2 id=\"beslut\">" + (latest ? "Ändra beslut" : "Beslut") + "</h2>" +
                       "<fieldset><legend>Bedömning</legend>" +
                       decision_radios("decision", latest ? latest->decision : "") +
                       "</fieldset><fieldset><legend>Åtgärder</legend>";
    for (const std::string_view code : review::k_actions) {
        html += "<label class=\"inline\"><input type=\"checkbox\" name=\"action\" value=\"" +
                std::string(code) + "\"" + checked(contains(actions, code)) + "> " +
                escape(action_label(code)) + "</label>";
    }
    html += "<label for=\"other_action\">Annan åtgärd</label><input type=\"text\" "
            "id=\"other_action\" name=\"other_action\" maxlength=\"200\" value=\"" +
            escape(latest ? latest->other_action : "") +
            "\"></fieldset><label for=\"follow_up\">Uppföljning (datum)</label><input "
            "type=\"date\" id=\"follow_up\" name=\"follow_up\" value=\"" +
            escape(latest ? latest->follow_up : "") +
            "\"><label for=\"note\">Anteckning</label><textarea id=\"note\" name=\"note\" "
            "maxlength=\"1000\">" +
            escape(latest ? latest->note : "") +
            "</textarea><p class=\"hint\">Skriv inte personnummer eller namn på brukare i "
            "anteckningen.</p><p><button type=\"submit\">Spara beslut</button></p></form>";
    return html;
}

std::string history(const std::vector<review::Decision>& decisions) {
    std::string html = "<h2>Beslutshistorik</h2>";
    if (decisions.empty()) {
        return html + "<p>Inget beslut ännu.</p>";
    }
    html += "<div class=\"card\"><table><thead><tr><th scope=\"col\">Tid</th><th scope=\"col\">"
            "Beslut</th><th scope=\"col\">Åtgärder</th><th scope=\"col\">Uppföljning</th><th "
            "scope=\"col\">Anteckning</th><th scope=\"col\">Av</th></tr></thead><tbody>";
    for (const auto& d : decisions) {
        std::string actions;
        for (const auto& a : d.actions) {
            actions += (actions.empty() ? "" : ", ") + escape(action_label(a));
            if (a == "annat" && !d.other_action.empty()) {
                actions += " (" + escape(d.other_action) + ")";
            }
        }
        html += "<tr><td>" + escape(display_time(d.created_at)) + "</td><td>" + badge(d.decision) +
                "</td><td>" + (actions.empty() ? "–" : actions) + "</td><td>" +
                escape(d.follow_up.empty() ? "–" : d.follow_up) + "</td><td>" +
                escape(d.note.empty() ? "–" : d.note) + "</td><td>" + escape(d.reviewer) +
                "</td></tr>";
    }
    return html + "</tbody></table></div>";
}

std::string reveal_section(const FindingView& view) {
    const FindingRow& r = view.finding.row;
    std::string html = "<h2 id=\"skarpare\">Skarpare vy</h2>";
    if (view.reveal) {
        const std::int64_t others = view.reveal->other_phones;
        const std::string same = r.match_hash.empty() ? "Inget nummer att jämföra"
                                 : others == 0        ? "Finns inte på någon annan telefon"
                                                      : "Finns på " + std::to_string(others) +
                                                     " andra telefon" + (others == 1 ? "" : "er");
        return html +
               "<div class=\"card\" role=\"region\" aria-labelledby=\"skarpare\">"
               "<dl class=\"facts\">" +
               fact("Typ", escape(item_type_label(r.item_type))) +
               fact("Referens på telefonen", "<code>" + escape(r.item_ref) + "</code>") +
               fact("Utdrag", r.excerpt.empty() ? "–" : "<q>" + escape(r.excerpt) + "</q>") +
               (r.occurrences > 1
                    ? fact("Förekomster", "Samma nummer " + std::to_string(r.occurrences) +
                                              " gånger på samma ställe")
                    : std::string()) +
               fact("Detektor", "<code>" + escape(r.detector) + "</code>") +
               fact("Säkerhet", escape(percent(r.confidence))) +
               fact("Samma nummer", escape(same)) +
               "</dl><p class=\"hint\">Visningen är loggad med din motivering.</p></div>";
    }
    return html + "<form class=\"card\" method=\"post\" action=\"" + finding_href(r.id) +
           "/visa\">" + csrf_field(view.csrf) +
           "<p>Visar var fyndet finns på telefonen, detektorns säkerhet och om samma nummer "
           "finns på andra telefoner. Visningen loggas tillsammans med motiveringen.</p>"
           "<label for=\"reason\">Motivering</label><input type=\"text\" id=\"reason\" "
           "name=\"reason\" maxlength=\"200\" required><p class=\"hint\">Skriv inte "
           "personuppgifter i motiveringen.</p><p><button type=\"submit\" "
           "class=\"secondary\">Visa skarpare vy</button></p></form>";
}

} // namespace

std::string finding_body(const FindingView& view) {
    const FindingRow& r = view.finding.row;
    std::string html = "<p><a href=\"/granska\">← Att granska</a></p><h1>Fynd " +
                       std::to_string(r.id) + ": " + escape(category_label(r.category)) + "</h1>";
    if (!view.flash.empty()) {
        html += notice("ok", view.flash);
    }
    if (!view.error.empty()) {
        html += notice("error", view.error);
    }
    // Reopened by the phone's next scan (follow_up.hpp): the removal was not done.
    if (!view.finding.still_there_at.empty()) {
        html += notice("error", "Finns kvar på telefonen: skanningen " +
                                    display_time(view.finding.still_there_at) +
                                    " hittade det som skulle raderas. Fatta ett nytt beslut.");
    }
    html += "<div class=\"card\"><p><strong>Status:</strong> " +
            (view.finding.latest ? decision_summary(*view.finding.latest)
                                 : std::string("Öppen – inget beslut ännu")) +
            "</p>" + facts(view.finding, view.thumbnail) + "</div>";
    return html + decision_form(view) + history(view.history) + reveal_section(view);
}

std::string scan_body(const ScanView& view) {
    const review::ScanEntry& s = view.scan;
    std::string html = "<p><a href=\"/skanningar\">← Skanningar</a></p><h1>Skanning av telefon " +
                       escape(s.phone) + "</h1>";
    if (!view.flash.empty()) {
        html += notice("ok", view.flash);
    }
    if (!view.error.empty()) {
        html += notice("error", view.error);
    }
    html += "<div class=\"card\"><dl class=\"facts\">" +
            fact("Enhet", escape(s.unit.empty() ? "–" : s.unit)) +
            fact("Startad", escape(display_time(s.started_at))) +
            fact("Status", escape(scan_status_label(s.status))) +
            fact("Fynd", std::to_string(s.findings) + " (" + std::to_string(s.open_findings) +
                             " att granska)") +
            "</dl></div><h2>Fynd</h2>";
    html += view.findings.empty()
                ? "<p>Skanningen hittade inget.</p>"
                : "<div class=\"card\">" + findings_table(view.findings, review::Filter::all) +
                      "</div>";
    if (!view.failed.empty()) {
        // What could not be read is not known to be clean: the supervisor sees which
        // items and why, to look at them on the phone with the staff member.
        html += "<h2 id=\"kunde-inte-lasas\">Kunde inte läsas (" +
                std::to_string(view.failed.size()) +
                ")</h2><div class=\"card\"><table><thead><tr><th scope=\"col\">Var på "
                "telefonen</th><th scope=\"col\">Orsak</th></tr></thead><tbody>";
        for (const FailedItem& item : view.failed) {
            html += "<tr><td>" + escape(item.label.empty() ? item.ref : item.label) + "</td><td>" +
                    escape(item.reason) + "</td></tr>";
        }
        html += "</tbody></table></div>";
    }
    html += "<form class=\"card\" method=\"post\" action=\"" + scan_href(s.scan_id) +
            "/kontroll\">" + csrf_field(view.csrf) +
            "<h2 id=\"kontroll\">Kontroll genomförd</h2><fieldset><legend>Resultat</legend>" +
            decision_radios("result", "") +
            "</fieldset><label for=\"control_note\">Anteckning</label><textarea "
            "id=\"control_note\" name=\"note\" maxlength=\"1000\"></textarea><p><button "
            "type=\"submit\">Registrera kontroll</button></p></form><h2>Kontroller</h2>";
    if (view.controls.empty()) {
        return html + "<p>Ingen kontroll registrerad.</p>";
    }
    html += "<div class=\"card\"><table><thead><tr><th scope=\"col\">Tid</th><th scope=\"col\">"
            "Resultat</th><th scope=\"col\">Anteckning</th><th scope=\"col\">Av</th></tr></thead>"
            "<tbody>";
    for (const auto& c : view.controls) {
        html += "<tr><td>" + escape(display_time(c.created_at)) + "</td><td>" + badge(c.result) +
                "</td><td>" + escape(c.note.empty() ? "–" : c.note) + "</td><td>" +
                escape(c.reviewer) + "</td></tr>";
    }
    return html + "</tbody></table></div>";
}

} // namespace dockscan::agent::web
