#include "agent/web/pages.hpp"

#include "agent/web/pages_internal.hpp"

namespace dockscan::agent::web {

namespace {

using namespace pages_detail;

std::string group_heading(const review::ReviewFinding& first, std::size_t count) {
    std::string html = "<h2>Telefon " + escape(first.row.phone);
    if (!first.unit.empty()) {
        html += " <span class=\"hint\">· " + escape(first.unit) + "</span>";
    }
    html += "</h2><p class=\"meta\">Skanning " + escape(display_time(first.scan_started_at)) +
            " · " + std::to_string(count) + " fynd · <a href=\"" + scan_href(first.row.scan_id) +
            "\">Skanningen och kontrollen</a></p>";
    return html;
}

std::string finding_row(const review::ReviewFinding& f, review::Filter filter) {
    // Reopened because what was to be removed is still on the phone (follow_up.hpp).
    const std::string still_there =
        f.still_there_at.empty()
            ? std::string()
            : "<br><span class=\"sev sev-allvarlig_avvikelse\">Finns kvar på telefonen</span>";
    std::string html = "<tr><td>" + thumbnail() + "</td><td>" +
                       escape(category_label(f.row.category)) + still_there + "</td><td>" +
                       badge(f.row.severity) + "</td><td>" + escape(f.row.item_label) +
                       "</td><td>" + evidence(f.row) + "</td>";
    if (filter != review::Filter::open) {
        html += "<td>" + (f.latest ? decision_summary(*f.latest) : std::string("Öppen")) + "</td>";
    }
    html += "<td><a href=\"" + finding_href(f.row.id) + "\">" + (f.latest ? "Visa" : "Granska") +
            "<span class=\"sr-only\"> fynd " + std::to_string(f.row.id) + "</span></a></td></tr>";
    return html;
}

std::string table_head(review::Filter filter) {
    std::string html = "<table><thead><tr><th scope=\"col\">Bild</th><th scope=\"col\">Kategori"
                       "</th><th scope=\"col\">Föreslagen bedömning</th><th scope=\"col\">Var på "
                       "telefonen</th><th scope=\"col\">Underlag</th>";
    if (filter != review::Filter::open) {
        html += "<th scope=\"col\">Beslut</th>";
    }
    return html + "<th scope=\"col\"><span class=\"sr-only\">Öppna</span></th></tr></thead><tbody>";
}

} // namespace

std::string pages_detail::findings_table(const std::vector<review::ReviewFinding>& findings,
                                         review::Filter filter) {
    std::string html = table_head(filter);
    for (const auto& f : findings) {
        html += finding_row(f, filter);
    }
    return html + "</tbody></table>";
}

std::string login_body(const LoginView& view) {
    std::string html = "<div class=\"login\"><h1>Logga in</h1>";
    if (!view.info.empty()) {
        html += notice("ok", view.info);
    }
    if (!view.error.empty()) {
        html += notice("error", view.error);
    }
    html += "<form class=\"card\" method=\"post\" action=\"/logga-in\">"
            "<input type=\"hidden\" name=\"login_token\" value=\"" +
            escape(view.token) +
            "\"><label for=\"name\">Användarnamn</label><input type=\"text\" id=\"name\" "
            "name=\"name\" autocomplete=\"username\" autocapitalize=\"none\" required value=\"" +
            escape(view.name) +
            "\"><label for=\"password\">Lösenord</label><input type=\"password\" id=\"password\" "
            "name=\"password\" autocomplete=\"current-password\" required>"
            "<p><button type=\"submit\">Logga in</button></p></form>"
            "<p class=\"hint\">Allt du gör här loggas (loggkontroll).</p></div>";
    return html;
}

std::string findings_body(const std::vector<review::ReviewFinding>& findings,
                          review::Filter filter) {
    const bool open = filter == review::Filter::open;
    std::string html = open ? "<h1>Att granska</h1><p class=\"meta\">Fynd som väntar på beslut, "
                              "per telefon och skanning, nyast först.</p>"
                            : "<h1>Beslutade fynd</h1><p class=\"meta\">Fynd med beslut, per "
                              "telefon och skanning, nyast först. Ett beslut kan ändras; "
                              "historiken finns kvar.</p>";
    if (findings.empty()) {
        return html + "<p>" + (open ? "Inga fynd väntar på beslut." : "Inga beslutade fynd ännu.") +
               "</p>";
    }
    std::size_t begin = 0;
    while (begin < findings.size()) {
        std::size_t end = begin;
        while (end < findings.size() && findings[end].row.scan_id == findings[begin].row.scan_id) {
            ++end;
        }
        const std::vector<review::ReviewFinding> group(findings.begin() + static_cast<long>(begin),
                                                       findings.begin() + static_cast<long>(end));
        html += "<section class=\"group\">" + group_heading(group.front(), group.size()) +
                findings_table(group, filter) + "</section>";
        begin = end;
    }
    return html;
}

std::string scans_body(const std::vector<review::ScanEntry>& scans) {
    std::string html = "<h1>Skanningar</h1><p class=\"meta\">Telefonernas skanningar, nyast "
                       "först. Registrera &quot;Kontroll genomförd&quot; på skanningens sida.</p>";
    if (scans.empty()) {
        return html + "<p>Inga skanningar ännu.</p>";
    }
    html += "<div class=\"card\"><table><thead><tr><th scope=\"col\">Telefon</th><th scope=\"col\">"
            "Enhet</th><th scope=\"col\">Skanning</th><th scope=\"col\">Status</th><th "
            "scope=\"col\">Fynd</th><th scope=\"col\">Att granska</th><th scope=\"col\">Kontroll"
            "</th></tr></thead><tbody>";
    for (const auto& s : scans) {
        html +=
            "<tr><td>" + escape(s.phone) + "</td><td>" + escape(s.unit.empty() ? "–" : s.unit) +
            "</td><td><a href=\"" + scan_href(s.scan_id) + "\">" +
            escape(display_time(s.started_at)) + "</a></td><td>" +
            escape(scan_status_label(s.status)) + "</td><td>" + std::to_string(s.findings) +
            "</td><td>" + std::to_string(s.open_findings) + "</td><td>" +
            (s.latest_control ? badge(s.latest_control->result) : std::string("Ej kontrollerad")) +
            "</td></tr>";
    }
    return html + "</tbody></table></div>";
}

std::string message_body(std::string_view heading, std::string_view text) {
    return "<h1>" + escape(heading) + "</h1><p>" + escape(text) +
           "</p><p><a href=\"/granska\">Till fynden att granska</a></p>";
}

} // namespace dockscan::agent::web
