#include "agent/web/pages.hpp"

#include "agent/web/pages_internal.hpp"
#include "base/time.hpp"

#include <algorithm>

namespace dockscan::agent::web {

namespace {

using namespace pages_detail;

int severity_rank(std::string_view code) {
    const auto* it = std::find(review::k_decisions.begin(), review::k_decisions.end(), code);
    return it == review::k_decisions.end() ? -1
                                           : static_cast<int>(it - review::k_decisions.begin());
}

std::string group_heading(const review::ReviewFinding& first, std::size_t count) {
    std::string html = "<h2>Telefon " + escape(first.row.phone);
    if (!first.unit.empty()) {
        html += " <span class=\"hint\">· " + escape(first.unit) + "</span>";
    }
    html += "</h2><p class=\"meta\">Skanning " + escape(display_time(first.scan_started_at)) +
            " · " + std::to_string(count) + (count == 1 ? " sak" : " saker") + " · <a href=\"" +
            scan_href(first.row.scan_id) + "\">Skanningen och kontrollen</a></p>";
    return html;
}

std::string picture(const ItemFindings& item) {
    const review::ReviewFinding& f = item.first();
    return f.thumbnail_width > 0 ? thumbnail_image(f.row.id, f.thumbnail_width, f.thumbnail_height)
                                 : thumbnail();
}

std::string item_row(const ItemFindings& item, review::Filter filter, Show show) {
    const review::ReviewFinding& f = item.first();
    const auto latest = item.latest();
    std::string html = "<tr>";
    if (show.evidence) {
        html += cell("Bild", picture(item)) + cell("Vad", item_description(f));
    } else {
        html += cell("Vad", escape(item_type_label(f.row.item_type)));
    }
    // Reopened because what was to be removed is still on the phone (follow_up.hpp).
    const bool still_there =
        std::any_of(item.findings.begin(), item.findings.end(),
                    [](const review::ReviewFinding& one) { return !one.still_there_at.empty(); });
    html += cell("Kategori", escape(categories(item)) +
                                 (still_there ? "<br><span class=\"sev sev-allvarlig_avvikelse\">"
                                                "Finns kvar på telefonen</span>"
                                              : std::string())) +
            cell("Föreslagen bedömning", badge(item.severity()));
    if (show.evidence) {
        std::string proof;
        for (const auto& finding : item.findings) {
            const std::string one = evidence(finding.row);
            proof += one.empty() ? "" : "<div>" + one + "</div>";
        }
        html += cell("Underlag", proof.empty() ? "–" : proof);
    }
    if (filter != review::Filter::open) {
        html += cell("Beslut", latest ? decision_summary(*latest) : std::string("Öppen"));
    }
    const bool review_it = item.open() && show.decide;
    html += "<td class=\"go\"><a href=\"" + finding_href(f.row.id) + "\">" +
            (review_it ? "Granska" : "Visa") + "<span class=\"sr-only\"> fynd " +
            std::to_string(f.row.id) + "</span></a></td></tr>";
    return html;
}

std::string table_head(review::Filter filter, Show show) {
    std::string html = "<table class=\"stack\"><thead><tr>";
    if (show.evidence) {
        html += "<th scope=\"col\">Bild</th><th scope=\"col\">Vad</th>";
    } else {
        html += "<th scope=\"col\">Vad</th>";
    }
    html += "<th scope=\"col\">Kategori</th><th scope=\"col\">Föreslagen bedömning</th>";
    if (show.evidence) {
        html += "<th scope=\"col\">Underlag</th>";
    }
    if (filter != review::Filter::open) {
        html += "<th scope=\"col\">Beslut</th>";
    }
    return html + "<th scope=\"col\"><span class=\"sr-only\">Öppna</span></th></tr></thead><tbody>";
}

} // namespace

std::string ItemFindings::severity() const {
    std::string best = findings.front().row.severity;
    for (const auto& f : findings) {
        if (severity_rank(f.row.severity) > severity_rank(best)) {
            best = f.row.severity;
        }
    }
    return best;
}

std::optional<review::Decision> ItemFindings::latest() const {
    std::optional<review::Decision> newest;
    for (const auto& f : findings) {
        // By time first: centrally a station's decisions and the review server's have no
        // common order of ids.
        if (f.latest && (!newest || std::tie(f.latest->created_at, f.latest->id) >
                                        std::tie(newest->created_at, newest->id))) {
            newest = f.latest;
        }
    }
    return newest;
}

bool ItemFindings::open() const {
    return std::any_of(findings.begin(), findings.end(), [](const review::ReviewFinding& f) {
        return !f.latest || !f.still_there_at.empty();
    });
}

std::vector<std::int64_t> ItemFindings::ids() const {
    std::vector<std::int64_t> ids;
    for (const auto& f : findings) {
        ids.push_back(f.row.id);
    }
    return ids;
}

std::vector<ItemFindings> group_by_item(std::vector<review::ReviewFinding> findings) {
    std::vector<ItemFindings> items;
    for (auto& f : findings) {
        if (items.empty() || items.back().first().item_id != f.item_id ||
            items.back().first().row.scan_id != f.row.scan_id) {
            items.push_back(ItemFindings{});
        }
        items.back().findings.push_back(std::move(f));
    }
    return items;
}

std::string pages_detail::categories(const ItemFindings& item) {
    std::vector<std::string> seen;
    for (const auto& f : item.findings) {
        std::string label = category_label(f.row.category);
        if (std::find(seen.begin(), seen.end(), label) == seen.end()) {
            seen.push_back(std::move(label));
        }
    }
    std::string text;
    for (const auto& label : seen) {
        text += (text.empty() ? "" : ", ") + label;
    }
    return text;
}

std::string pages_detail::item_description(const review::ReviewFinding& f) {
    const FindingRow& r = f.row;
    const std::string when = f.item_mtime > 0 ? base::swedish_time_text(f.item_mtime) : "";
    if (r.item_type == "photo" || r.item_type == "file") {
        // "Bild DCIM/100APPLE/IMG_0002.PNG", "Anteckning Notes/a.txt": the first word says
        // what it is, the file name is what the gallery or the app shows.
        if (r.item_label.empty()) {
            return escape(item_type_label(r.item_type)) + " (gallrad)";
        }
        std::string kind = item_type_label(r.item_type);
        std::string path = r.item_label;
        const std::size_t space = path.find(' ');
        if (space != std::string::npos &&
            (path.find('/', space) != std::string::npos || path.rfind("Bild ", 0) == 0)) {
            kind = path.substr(0, space);
            path = path.substr(space + 1);
        }
        const std::size_t slash = path.rfind('/');
        const std::string file = slash == std::string::npos ? path : path.substr(slash + 1);
        const std::string folder = slash == std::string::npos ? "" : path.substr(0, slash);
        std::string html = escape(kind) + " <strong class=\"file\">" + escape(file) + "</strong>";
        std::string details = folder;
        if (!when.empty()) {
            details += (details.empty() ? "" : " · ") + std::string("daterad ") + when;
        }
        return html +
               (details.empty() ? "" : "<br><span class=\"hint\">" + escape(details) + "</span>");
    }
    std::string html = r.item_label.empty() ? escape(item_type_label(r.item_type)) + " (gallrat)"
                                            : escape(r.item_label);
    // Message labels carry their date already; other items get theirs from the phone.
    if (!when.empty() && r.item_label.find(when.substr(0, 10)) == std::string::npos) {
        html += "<br><span class=\"hint\">daterad " + escape(when) + "</span>";
    }
    return html;
}

std::string pages_detail::findings_table(const std::vector<ItemFindings>& items,
                                         review::Filter filter, Show show) {
    std::string html = table_head(filter, show);
    for (const auto& item : items) {
        html += item_row(item, filter, show);
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

std::string findings_body(const std::vector<ItemFindings>& items, review::Filter filter, Show show,
                          PageOf page) {
    const bool open = filter == review::Filter::open;
    std::string html = open ? "<h1>Att granska</h1><p class=\"meta\">Fynd som väntar på beslut, "
                              "per telefon och skanning, nyast först. Fynd i samma bild eller "
                              "meddelande beslutas tillsammans.</p>"
                            : "<h1>Beslutade fynd</h1><p class=\"meta\">Fynd med beslut, per "
                              "telefon och skanning, nyast först. Ett beslut kan ändras; "
                              "historiken finns kvar.</p>";
    if (!show.evidence) {
        html += "<p class=\"hint\">Du ser kategorier, bedömningar, åtgärder och uppföljningar. "
                "Underlaget visas bara för enhetens chef.</p>";
    }
    const std::string path = open ? "/granska" : "/beslutade";
    std::string pages;
    if (page.number > 1 || page.more) {
        pages = "<nav class=\"pages\" aria-label=\"Sidor\">";
        if (page.number > 1) {
            pages += "<a rel=\"prev\" href=\"" + path + "?sida=" + std::to_string(page.number - 1) +
                     "\">Föregående sida</a> ";
        }
        pages += "<span>Sida " + std::to_string(page.number) + "</span>";
        if (page.more) {
            pages += " <a rel=\"next\" href=\"" + path +
                     "?sida=" + std::to_string(page.number + 1) + "\">Nästa sida</a>";
        }
        pages += "</nav>";
    }
    if (items.empty()) {
        return html + "<p>" +
               (page.number > 1 ? "Sidan är tom."
                : open          ? "Inga fynd väntar på beslut."
                                : "Inga beslutade fynd ännu.") +
               "</p>" + pages;
    }
    std::size_t begin = 0;
    while (begin < items.size()) {
        std::size_t end = begin;
        while (end < items.size() &&
               items[end].first().row.scan_id == items[begin].first().row.scan_id) {
            ++end;
        }
        const std::vector<ItemFindings> group(items.begin() + static_cast<long>(begin),
                                              items.begin() + static_cast<long>(end));
        html += "<section class=\"group\">" + group_heading(group.front().first(), group.size()) +
                findings_table(group, filter, show) + "</section>";
        begin = end;
    }
    return html + pages;
}

std::string scans_body(const std::vector<review::ScanEntry>& scans) {
    std::string html = "<h1>Skanningar</h1><p class=\"meta\">Telefonernas skanningar, nyast "
                       "först. Registrera &quot;Kontroll genomförd&quot; på skanningens sida.</p>";
    if (scans.empty()) {
        return html + "<p>Inga skanningar ännu.</p>";
    }
    html += "<div class=\"card\"><table class=\"stack\"><thead><tr><th scope=\"col\">Telefon</th>"
            "<th scope=\"col\">Enhet</th><th scope=\"col\">Skanning</th><th scope=\"col\">Status"
            "</th><th scope=\"col\">Fynd</th><th scope=\"col\">Att granska</th><th scope=\"col\">"
            "Kontroll</th></tr></thead><tbody>";
    for (const auto& s : scans) {
        html += "<tr>" + cell("Telefon", escape(s.phone)) +
                cell("Enhet", escape(s.unit.empty() ? "–" : s.unit)) +
                cell("Skanning", "<a href=\"" + scan_href(s.scan_id) + "\">" +
                                     escape(display_time(s.started_at)) + "</a>") +
                cell("Status", escape(scan_status_label(s.status))) +
                cell("Fynd", std::to_string(s.findings)) +
                cell("Att granska", std::to_string(s.open_findings)) +
                cell("Kontroll", s.latest_control ? badge(s.latest_control->result)
                                                  : std::string("Ej kontrollerad")) +
                "</tr>";
    }
    return html + "</tbody></table></div>";
}

std::string admin_body() {
    return "<h1>Administration</h1><p>Som administratör hanterar du enheter, telefoner och "
           "användare med kommandot <code>dockscan</code> på stationen (<code>dockscan units"
           "</code>, <code>dockscan phones</code>, <code>dockscan users</code>).</p><p>Fynd, "
           "underlag och beslut visas inte för administratörer: de är enhetschefens och "
           "kvalitetsansvarigas.</p>";
}

std::string message_body(std::string_view heading, std::string_view text, std::string_view back) {
    return "<h1>" + escape(heading) + "</h1><p>" + escape(text) + "</p><p><a href=\"" +
           escape(back) + "\">" + (back == "/granska" ? "Till fynden att granska" : "Till start") +
           "</a></p>";
}

} // namespace dockscan::agent::web
