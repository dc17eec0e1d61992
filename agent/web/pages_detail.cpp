// The finding page (one item: decision, history, sharper view) and the scan page
// (decide all at once, control).

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

// A field the refused form points at: marked for assistive technology, with the message
// beside it (ids are "PREFIXFIELD-fel").
std::string invalid(const std::optional<FieldError>& error, std::string_view prefix,
                    std::string_view field) {
    if (!error || error->field != field) {
        return "";
    }
    return " aria-invalid=\"true\" aria-describedby=\"" + std::string(prefix) + std::string(field) +
           "-fel\"";
}

std::string field_message(const std::optional<FieldError>& error, std::string_view prefix,
                          std::string_view field) {
    if (!error || error->field != field) {
        return "";
    }
    return "<p class=\"field-error\" id=\"" + std::string(prefix) + std::string(field) + "-fel\">" +
           escape(error->message) + "</p>";
}

// Radio buttons for a decision or a control result, named `name`.
std::string decision_radios(std::string_view name, std::string_view selected,
                            std::string_view invalid_attrs = "") {
    std::string html;
    for (const std::string_view code : review::k_decisions) {
        html += "<label class=\"inline\"><input type=\"radio\" name=\"" + std::string(name) +
                "\" value=\"" + std::string(code) + "\" required" + checked(code == selected) +
                std::string(invalid_attrs) + "> " + escape(decision_label(code)) + "</label>";
    }
    return html;
}

// The fields of a decision, filled with `values`; `prefix` keeps ids unique when a page
// has two such forms.
std::string decision_fields(const DecisionForm& values, const std::optional<FieldError>& error,
                            std::string_view prefix) {
    const std::string p(prefix);
    std::string html = "<fieldset" + invalid(error, p, "decision") + "><legend>Bedömning</legend>" +
                       field_message(error, p, "decision") +
                       decision_radios("decision", values.decision, invalid(error, p, "decision")) +
                       "</fieldset><fieldset" + invalid(error, p, "action") +
                       "><legend>Åtgärder</legend>" + field_message(error, p, "action");
    for (const std::string_view code : review::k_actions) {
        html += "<label class=\"inline\"><input type=\"checkbox\" name=\"action\" value=\"" +
                std::string(code) + "\"" + checked(contains(values.actions, code)) + "> " +
                escape(action_label(code)) + "</label>";
    }
    html += "<label for=\"" + p + "other_action\">Annan åtgärd</label>" +
            field_message(error, p, "other_action") + "<input type=\"text\" id=\"" + p +
            "other_action\" name=\"other_action\" maxlength=\"200\" value=\"" +
            escape(values.other_action) + "\"" + invalid(error, p, "other_action") +
            "></fieldset><label for=\"" + p +
            "follow_up\">Uppföljning (datum efter i dag)</label>" +
            field_message(error, p, "follow_up") + "<input type=\"date\" id=\"" + p +
            "follow_up\" name=\"follow_up\" value=\"" + escape(values.follow_up) + "\"" +
            invalid(error, p, "follow_up") + "><label for=\"" + p + "note\">Anteckning</label>" +
            field_message(error, p, "note") + "<textarea id=\"" + p +
            "note\" name=\"note\" maxlength=\"1000\"" + invalid(error, p, "note") + ">" +
            escape(values.note) +
            "</textarea><p class=\"hint\">Skriv inte personnummer eller namn på brukare i "
            "anteckningen.</p>";
    return html;
}

std::string facts(const FindingView& view) {
    const review::ReviewFinding& f = view.item.first();
    const FindingRow& r = f.row;
    // The central review shows which station's docking found it.
    std::string html = "<dl class=\"facts\">" +
                       (f.station.empty() ? std::string() : fact("Station", escape(f.station))) +
                       fact("Telefon", escape(r.phone)) +
                       fact("Enhet", escape(f.unit.empty() ? "–" : f.unit)) +
                       fact("Skanning", "<a href=\"" + scan_href(r.scan_id) + "\">" +
                                            escape(display_time(f.scan_started_at)) + "</a>");
    if (view.show.evidence) {
        html += fact("Vad", item_description(f));
    } else {
        html += fact("Typ", escape(item_type_label(r.item_type)));
    }
    html += fact("Kategori", escape(categories(view.item))) +
            fact("Föreslagen bedömning", badge(view.item.severity()));
    if (view.show.evidence) {
        html += fact("Bild", view.thumbnail ? thumbnail_image(r.id, view.thumbnail->width,
                                                              view.thumbnail->height)
                                            : thumbnail());
    }
    if (!f.purged_at.empty()) {
        html += fact("Bevis", "Gallrade " + escape(display_time(f.purged_at)) +
                                  " när lagringstiden gått ut; kategori, bedömning och "
                                  "åtgärder finns kvar för rapporterna");
    }
    html += "</dl>";
    if (!view.show.evidence) {
        return html;
    }
    // Each finding of the item, with what it found.
    html += "<h3>Fynd i samma " +
            std::string(r.item_type == "photo"     ? "bild"
                        : r.item_type == "message" ? "meddelande"
                                                   : "sak") +
            " (" + std::to_string(view.item.findings.size()) +
            ")</h3><table class=\"stack\"><thead><tr><th scope=\"col\">Kategori</th><th "
            "scope=\"col\">Föreslagen bedömning</th><th scope=\"col\">Underlag</th></tr></thead>"
            "<tbody>";
    for (const auto& one : view.item.findings) {
        std::string proof = evidence(one.row);
        if (one.row.occurrences > 1) {
            proof += "<div class=\"hint\">Samma nummer " + std::to_string(one.row.occurrences) +
                     " gånger på samma ställe</div>";
        }
        html += "<tr>" + cell("Kategori", escape(category_label(one.row.category))) +
                cell("Föreslagen bedömning", badge(one.row.severity)) +
                cell("Underlag", proof.empty() ? "–" : proof) + "</tr>";
    }
    return html + "</tbody></table>";
}

std::string decision_form(const FindingView& view) {
    const auto latest = view.item.latest();
    DecisionForm values;
    if (view.typed) {
        values = *view.typed;
    } else if (latest) {
        values = DecisionForm{latest->decision, latest->actions, latest->other_action,
                              latest->follow_up, latest->note};
    }
    const std::size_t n = view.item.findings.size();
    return "<form class=\"card\" method=\"post\" action=\"" +
           finding_href(view.item.first().row.id) + "/beslut\" novalidate>" +
           csrf_field(view.csrf) + "<h2 id=\"beslut\">" + (latest ? "Ändra beslut" : "Beslut") +
           "</h2>" +
           (n > 1 ? "<p class=\"hint\">Beslutet gäller alla " + std::to_string(n) +
                        " fynd i samma sak.</p>"
                  : std::string()) +
           decision_fields(values, view.error, "") +
           "<p><button type=\"submit\">Spara beslut</button></p></form>";
}

std::string history(const std::vector<review::Decision>& decisions, Show show) {
    std::string html = "<h2>Beslutshistorik</h2>";
    if (decisions.empty()) {
        return html + "<p>Inget beslut ännu.</p>";
    }
    html += "<div class=\"card\"><table class=\"stack\"><thead><tr><th scope=\"col\">Tid</th>"
            "<th scope=\"col\">Beslut</th><th scope=\"col\">Åtgärder</th><th scope=\"col\">"
            "Uppföljning</th>";
    // The note is the supervisor's free text: it may name people, so it is evidence.
    if (show.evidence) {
        html += "<th scope=\"col\">Anteckning</th>";
    }
    html += "<th scope=\"col\">Av</th></tr></thead><tbody>";
    for (const auto& d : decisions) {
        std::string actions;
        for (const auto& a : d.actions) {
            actions += (actions.empty() ? "" : ", ") + escape(action_label(a));
            if (a == "annat" && !d.other_action.empty() && show.evidence) {
                actions += " (" + escape(d.other_action) + ")";
            }
        }
        html += "<tr>" + cell("Tid", escape(display_time(d.created_at))) +
                cell("Beslut", badge(d.decision)) +
                cell("Åtgärder", actions.empty() ? "–" : actions) +
                cell("Uppföljning", escape(d.follow_up.empty() ? "–" : d.follow_up));
        if (show.evidence) {
            html += cell("Anteckning", escape(d.note.empty() ? "–" : d.note));
        }
        html += cell("Av", escape(d.reviewer_name)) + "</tr>";
    }
    return html + "</tbody></table></div>";
}

std::string reveal_section(const FindingView& view) {
    const FindingRow& first = view.item.first().row;
    std::string html = "<h2 id=\"skarpare\">Skarpare vy</h2>";
    if (view.reveal) {
        html += "<div class=\"card\" role=\"region\" aria-labelledby=\"skarpare\">";
        for (std::size_t i = 0; i < view.item.findings.size(); ++i) {
            const FindingRow& r = view.item.findings[i].row;
            const std::int64_t others =
                i < view.reveal->other_phones.size() ? view.reveal->other_phones[i] : 0;
            const std::string same = r.match_hash.empty() ? "Inget nummer att jämföra"
                                     : others == 0
                                         ? "Finns inte på någon annan telefon"
                                         : "Finns på " + std::to_string(others) + " andra telefon" +
                                               (others == 1 ? "" : "er");
            html += "<h3>" + escape(category_label(r.category)) + "</h3><dl class=\"facts\">" +
                    fact("Typ", escape(item_type_label(r.item_type))) +
                    fact("Utdrag", r.excerpt.empty() ? "–" : "<q>" + escape(r.excerpt) + "</q>") +
                    (r.occurrences > 1
                         ? fact("Förekomster", "Samma nummer " + std::to_string(r.occurrences) +
                                                   " gånger på samma ställe")
                         : std::string()) +
                    fact("Hittat av", escape(detector_label(r.detector))) +
                    fact("Hur säkert", escape(confidence_label(r.confidence))) +
                    fact("Samma nummer", escape(same)) + "</dl>";
        }
        return html + "<p class=\"hint\">Visningen är loggad med din motivering.</p></div>";
    }
    const std::optional<FieldError>& error = view.error;
    return html + "<form class=\"card\" method=\"post\" action=\"" + finding_href(first.id) +
           "/visa\" novalidate>" + csrf_field(view.csrf) +
           "<p>Visar hur säker upptäckten är och om samma nummer finns på andra telefoner. "
           "Visningen loggas tillsammans med motiveringen.</p>"
           "<label for=\"reason\">Motivering</label>" +
           field_message(error, "", "reason") +
           "<input type=\"text\" id=\"reason\" name=\"reason\" maxlength=\"200\" required "
           "value=\"" +
           escape(view.typed_reason) + "\"" + invalid(error, "", "reason") +
           "><p class=\"hint\">Skriv inte personuppgifter i motiveringen.</p><p><button "
           "type=\"submit\" class=\"secondary\">Visa skarpare vy</button></p></form>";
}

std::string decide_all_form(const ScanView& view) {
    std::size_t open_findings = 0;
    std::size_t open_items = 0;
    for (const auto& item : view.items) {
        if (item.open()) {
            ++open_items;
            for (const auto& f : item.findings) {
                open_findings += f.latest ? 0U : 1U;
            }
        }
    }
    if (open_items == 0) {
        return "";
    }
    const bool mine = view.error_form == "all";
    const DecisionForm values = mine && view.typed ? *view.typed : DecisionForm{};
    return "<form class=\"card\" method=\"post\" action=\"" + scan_href(view.scan.scan_id) +
           "/beslut\" novalidate aria-labelledby=\"alla\">" + csrf_field(view.csrf) +
           "<h2 id=\"alla\">Samma beslut för alla som väntar</h2><p>Gäller " +
           std::to_string(open_findings) + " fynd i " + std::to_string(open_items) +
           (open_items == 1 ? " sak" : " saker") +
           " som inte har något beslut. Fynd med beslut ändras inte.</p>" +
           decision_fields(values, mine ? view.error : std::nullopt, "alla-") +
           "<p><button type=\"submit\">Spara beslut för alla</button></p></form>";
}

} // namespace

std::string finding_body(const FindingView& view) {
    std::string html = "<p><a href=\"/granska\">← Att granska</a></p><h1>Fynd " +
                       escape(review::finding_name(view.item.first())) + ": " +
                       escape(categories(view.item)) + "</h1>";
    if (!view.flash.empty()) {
        html += notice("ok", view.flash);
    }
    if (view.error) {
        html += notice("error", "Inte sparat: " + view.error->message);
    }
    // Reopened by the phone's next scan (follow_up.hpp): the removal was not done.
    for (const review::ReviewFinding& f : view.item.findings) {
        if (!f.still_there_at.empty()) {
            html += notice("error", "Finns kvar på telefonen: skanningen " +
                                        display_time(f.still_there_at) +
                                        " hittade det som skulle raderas. Fatta ett nytt beslut.");
            break;
        }
    }
    const auto latest = view.item.latest();
    html += "<div class=\"card\"><p><strong>Status:</strong> " +
            (latest ? decision_summary(*latest) : std::string("Öppen – inget beslut ännu")) +
            "</p>" + facts(view) + "</div>";
    if (view.show.decide) {
        html += decision_form(view);
    }
    html += history(view.history, view.show);
    if (view.show.evidence) {
        html += reveal_section(view);
    }
    return html;
}

std::string scan_body(const ScanView& view) {
    const review::ScanEntry& s = view.scan;
    std::string html = "<p><a href=\"/skanningar\">← Skanningar</a></p><h1>Skanning av telefon " +
                       escape(s.phone) + "</h1>";
    if (!view.flash.empty()) {
        html += notice("ok", view.flash);
    }
    if (view.error) {
        html += notice("error", "Inte sparat: " + view.error->message);
    }
    html += "<div class=\"card\"><dl class=\"facts\">" +
            fact("Enhet", escape(s.unit.empty() ? "–" : s.unit)) +
            fact("Startad", escape(display_time(s.started_at))) +
            fact("Status", escape(scan_status_label(s.status))) +
            fact("Fynd", std::to_string(s.findings) + " (" + std::to_string(s.open_findings) +
                             " att granska)") +
            "</dl></div><h2>Fynd</h2>";
    html += view.items.empty()
                ? "<p>Skanningen hittade inget.</p>"
                : "<div class=\"card\">" +
                      findings_table(view.items, review::Filter::all, view.show) + "</div>";
    if (view.show.decide) {
        html += decide_all_form(view);
    }
    if (!view.failed.empty() && view.show.evidence) {
        // What could not be read is not known to be clean: the supervisor sees which
        // items and why, to look at them on the phone with the staff member.
        html += "<h2 id=\"kunde-inte-lasas\">Kunde inte läsas (" +
                std::to_string(view.failed.size()) +
                ")</h2><div class=\"card\"><table class=\"stack\"><thead><tr><th scope=\"col\">"
                "Var på telefonen</th><th scope=\"col\">Orsak</th></tr></thead><tbody>";
        for (const FailedItem& item : view.failed) {
            html += "<tr>" +
                    cell("Var på telefonen", escape(item.label.empty() ? item.ref : item.label)) +
                    cell("Orsak", escape(item.reason)) + "</tr>";
        }
        html += "</tbody></table></div>";
    }
    if (view.show.decide) {
        const bool mine = view.error_form == "control";
        html += "<form class=\"card\" method=\"post\" action=\"" + scan_href(s.scan_id) +
                "/kontroll\" novalidate>" + csrf_field(view.csrf) +
                "<h2 id=\"kontroll\">Kontroll genomförd</h2><fieldset" +
                invalid(mine ? view.error : std::nullopt, "", "result") +
                "><legend>Resultat</legend>" +
                field_message(mine ? view.error : std::nullopt, "", "result") +
                decision_radios("result", mine && view.typed ? view.typed->decision : "") +
                "</fieldset><label for=\"control_note\">Anteckning</label>" +
                field_message(mine ? view.error : std::nullopt, "control_", "note") +
                "<textarea id=\"control_note\" name=\"note\" maxlength=\"1000\"" +
                invalid(mine ? view.error : std::nullopt, "control_", "note") + ">" +
                escape(view.typed_control_note) +
                "</textarea><p><button type=\"submit\">Registrera kontroll</button></p></form>";
    }
    html += "<h2>Kontroller</h2>";
    if (view.controls.empty()) {
        return html + "<p>Ingen kontroll registrerad.</p>";
    }
    html += "<div class=\"card\"><table class=\"stack\"><thead><tr><th scope=\"col\">Tid</th>"
            "<th scope=\"col\">Resultat</th>";
    if (view.show.evidence) {
        html += "<th scope=\"col\">Anteckning</th>";
    }
    html += "<th scope=\"col\">Av</th></tr></thead><tbody>";
    for (const auto& c : view.controls) {
        html += "<tr>" + cell("Tid", escape(display_time(c.created_at))) +
                cell("Resultat", badge(c.result));
        if (view.show.evidence) {
            html += cell("Anteckning", escape(c.note.empty() ? "–" : c.note));
        }
        html += cell("Av", escape(c.reviewer_name)) + "</tr>";
    }
    return html + "</tbody></table></div>";
}

} // namespace dockscan::agent::web
