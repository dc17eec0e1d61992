#include "agent/web/html.hpp"

#include "base/text.hpp"

namespace dockscan::agent::web {

namespace {

// Plain, high-contrast, readable at 200 % zoom; focus is always visible.
constexpr std::string_view k_css = R"css(
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;font-size:1rem;
line-height:1.5;color:#1b1b1b;background:#f6f6f4}
a{color:#0b4f8a}a:hover{color:#06345c}
:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.5rem}
header{background:#0f3b5f;color:#fff;padding:.6rem 1.5rem;display:flex;flex-wrap:wrap;
gap:1rem 2rem;align-items:center}
header a{color:#fff}.brand{font-weight:700;text-decoration:none;font-size:1.1rem}
nav.pages{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}header nav{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;flex:1}header nav a[aria-current]{font-weight:700;
text-decoration-thickness:3px}
header form{display:flex;gap:.75rem;align-items:center;margin:0}
header button{background:#fff;color:#0f3b5f;border:0}
main{max-width:72rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:.25rem 0 1rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
section.group{background:#fff;border:1px solid #d6d6d0;border-radius:6px;padding:1rem 1.25rem;
margin:0 0 1.25rem}
section.group h2{margin-top:0}
.meta{color:#4a4a4a;margin:.25rem 0 .75rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:.5rem .6rem;border-bottom:1px solid #e2e2dc}
th{font-size:.9rem;color:#3a3a3a}
.thumb{width:64px;height:64px;background:#e8e8e3;color:#555;font-size:.75rem;display:flex;
align-items:center;justify-content:center;text-align:center;border-radius:4px}
.sev{display:inline-block;padding:.1rem .5rem;border-radius:999px;font-size:.85rem;
font-weight:600;border:1px solid;white-space:nowrap}
.sev-avvikelse{background:#fff4d6;color:#6b4a00;border-color:#c89a1e}
.sev-allvarlig_avvikelse{background:#fde4e1;color:#8a1c12;border-color:#c0392b}
.sev-ingen_avvikelse{background:#e3f3e6;color:#1d5b2c;border-color:#3c8d4f}
code,.masked{font-family:ui-monospace,"DejaVu Sans Mono",monospace}
q.excerpt{display:block;color:#333;font-style:italic;margin-top:.25rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1.25rem;margin:0}
dl.facts dt{font-weight:600}dl.facts dd{margin:0}
form.card,div.card{background:#fff;border:1px solid #d6d6d0;border-radius:6px;
padding:1rem 1.25rem;margin:0 0 1.25rem}
fieldset{border:1px solid #d6d6d0;border-radius:4px;margin:0 0 1rem;padding:.5rem 1rem}
legend{font-weight:600;padding:0 .25rem}
label{display:block;margin:.3rem 0}
label.inline{display:flex;gap:.5rem;align-items:center}
input[type=text],input[type=password],input[type=date],textarea{font:inherit;padding:.45rem;
border:1px solid #767676;border-radius:4px;width:100%;max-width:32rem;background:#fff}
textarea{min-height:4.5rem}
button{font:inherit;font-weight:600;padding:.5rem 1.1rem;border-radius:4px;border:1px solid
#0f3b5f;background:#0f3b5f;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0f3b5f}
.notice{padding:.75rem 1rem;border-radius:4px;margin:0 0 1rem;border:1px solid}
.notice.ok{background:#e3f3e6;border-color:#3c8d4f}
.notice.error{background:#fde4e1;border-color:#c0392b}
.hint{color:#4a4a4a;font-size:.9rem;margin:.25rem 0}
.login{max-width:26rem;margin:3rem auto}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
td,.notice{overflow-wrap:break-word}
td[data-label=Vad],td[data-label=Underlag],td[data-label="Var på telefonen"],td[data-label=Orsak],
td[data-label=Anteckning],dd,q{overflow-wrap:anywhere}
td.go,header nav a{overflow-wrap:normal;white-space:nowrap}
.field-error{color:#8a1c12;font-weight:600;margin:.25rem 0}
[aria-invalid=true]{border-color:#c0392b;outline:2px solid #c0392b}
fieldset[aria-invalid=true]{outline:2px solid #c0392b}
img.thumb{object-fit:cover}
h3{font-size:1.05rem;margin:1rem 0 .4rem}
@media (max-width:760px){
main{padding:1rem .75rem}
header{padding:.5rem .75rem}
section.group,form.card,div.card{padding:.75rem}
dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.4rem}
table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
table.stack tr{border-bottom:2px solid #d6d6d0;padding:.4rem 0}
table.stack td{border:0;padding:.2rem 0}
table.stack td[data-label]::before{content:attr(data-label) ": ";font-weight:600;color:#3a3a3a}
}
)css";

std::string nav_link(std::string_view href, std::string_view text, bool current) {
    return "<a href=\"" + std::string(href) + "\"" + (current ? " aria-current=\"page\"" : "") +
           ">" + std::string(text) + "</a>";
}

} // namespace

std::string escape(std::string_view text) {
    return base::html_escape(text);
}

std::string csrf_field(std::string_view token) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(token) + "\">";
}

std::string notice(std::string_view kind, std::string_view text) {
    const bool error = kind == "error";
    return "<div class=\"notice " + std::string(error ? "error" : "ok") + "\" role=\"" +
           (error ? "alert" : "status") + "\">" + escape(text) + "</div>";
}

std::string render_page(const Page& page) {
    std::string html = "<!doctype html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\">"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                       "<title>" +
                       escape(page.title) + " – dockscan</title><style>" + std::string(k_css) +
                       "</style></head><body><a class=\"skip\" href=\"#main\">Hoppa till "
                       "innehållet</a><header><a class=\"brand\" href=\"/\">dockscan · "
                       "Sekretesskontroll</a>";
    if (page.user) {
        html += "<nav aria-label=\"Huvudmeny\">" +
                (page.user->findings_nav
                     ? nav_link("/granska", "Att granska", page.nav == Nav::queue) +
                           nav_link("/beslutade", "Beslutade", page.nav == Nav::decided) +
                           nav_link("/skanningar", "Skanningar", page.nav == Nav::scans) +
                           nav_link("/uppfoljning", "Uppföljning", page.nav == Nav::followup)
                     : std::string()) +
                (page.user->reports ? nav_link("/rapport", "Rapport", page.nav == Nav::report)
                                    : std::string()) +
                "</nav><form method=\"post\" action=\"/logga-ut\">" + csrf_field(page.user->csrf) +
                "<span>" + escape(page.user->display_name) + " (" + escape(page.user->role) +
                ")</span><button type=\"submit\">Logga ut</button></form>";
    }
    html += "</header><main id=\"main\">" + page.body + "</main></body></html>\n";
    return html;
}

} // namespace dockscan::agent::web
