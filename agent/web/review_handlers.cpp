// The review pages behind the login: lists, an item's findings with its one decision and
// sharper view, a scan with its decide-all and control. Each runs with the store lock
// held (dispatch), after the route checked the role (roles.hpp), and writes its audit row
// before it shows anything.

#include "agent/web/pages.hpp"
#include "agent/web/review_app.hpp"
#include "base/time.hpp"

#include <algorithm>
#include <tuple>

namespace dockscan::agent::web {

namespace {

constexpr std::size_t k_max_note = 1000;
constexpr std::size_t k_max_short_text = 200;
constexpr std::int64_t k_scan_list_limit = 200;
// Items (a photo, a message, a contact with all its findings) on one page of the queue
// and of the decided list: the page is read from the store alone, however long the list.
constexpr std::int64_t k_items_per_page = 50;

// The page a list's `?sida=` asks for: 1 unless it is a page number.
std::int64_t page_number(const Request& request) {
    const std::string text = param(request, "sida");
    if (text.empty() || text.size() > 6 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return 1;
    }
    return std::max<std::int64_t>(1, std::stoll(text));
}

// One line, for the audit log: line breaks and other control characters become spaces.
std::string one_line(std::string text) {
    for (char& c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            c = ' ';
        }
    }
    return text;
}

std::string join(const std::vector<std::string>& values) {
    std::string text;
    for (const auto& v : values) {
        text += (text.empty() ? "" : ",") + v;
    }
    return text.empty() ? "-" : text;
}

std::string finding_object(std::int64_t id) {
    return "finding:" + std::to_string(id);
}

std::string scan_object(std::int64_t id) {
    return "scan:" + std::to_string(id);
}

// Codes only: the note and the other action's text may name people.
std::string decision_detail(const DecisionForm& form) {
    return "decision=" + form.decision + " actions=" + join(form.actions) +
           (form.follow_up.empty() ? "" : " follow_up=" + form.follow_up);
}

review::NewDecision new_decision(const DecisionForm& form, const std::string& reviewer) {
    return review::NewDecision{
        0, form.decision, form.actions, form.other_action, form.follow_up, form.note, reviewer};
}

base::Date today_in_sweden() {
    return base::swedish_date(base::unix_now());
}

// The history of an item: its findings' decisions, newest first; a decision written to
// every finding of the item at once is shown once.
std::vector<review::Decision> merged_history(std::vector<std::vector<review::Decision>> lists) {
    std::vector<review::Decision> all;
    for (auto& list : lists) {
        all.insert(all.end(), std::make_move_iterator(list.begin()),
                   std::make_move_iterator(list.end()));
    }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.id > b.id; });
    const auto key = [](const review::Decision& d) {
        return std::tie(d.created_at, d.decision, d.actions, d.other_action, d.follow_up, d.note,
                        d.reviewer);
    };
    std::vector<review::Decision> shown;
    for (auto& d : all) {
        if (shown.empty() || key(shown.back()) != key(d)) {
            shown.push_back(std::move(d));
        }
    }
    return shown;
}

} // namespace

Response ReviewApp::findings_list(const Request& request, const Context& context,
                                  review::Filter filter) {
    const std::int64_t number = page_number(request);
    auto rows =
        review::findings_page(m_db.source(), context.viewer, filter, number, k_items_per_page);
    if (!rows) {
        return failure(rows.error());
    }
    const bool open = filter == review::Filter::open;
    auto audited = audit(context.user.name, open ? "view_queue" : "view_decided", "findings",
                         std::to_string(rows->rows.size()) + " findings shown (page " +
                             std::to_string(number) + ")");
    if (!audited) {
        return failure(audited.error());
    }
    return page(context, open ? "Att granska" : "Beslutade",
                findings_body(group_by_item(std::move(rows->rows)), filter, context.show,
                              PageOf{number, rows->more}),
                open ? Nav::queue : Nav::decided);
}

Response ReviewApp::scans_list(const Context& context) {
    auto rows = review::scans(m_db.source(), context.viewer, k_scan_list_limit);
    if (!rows) {
        return failure(rows.error());
    }
    return page(context, "Skanningar", scans_body(*rows), Nav::scans);
}

Response ReviewApp::admin_home(const Context& context) {
    return page(context, "Administration", admin_body(), Nav::none);
}

Expected<std::optional<review::ReviewFinding>>
ReviewApp::visible_finding(const Context& context, std::int64_t id, Response& refusal) {
    DOCKSCAN_TRY_ASSIGN(auto lookup, review::finding(m_db.source(), context.viewer, id));
    if (lookup.access == review::Access::visible) {
        return std::move(lookup.finding);
    }
    if (lookup.access == review::Access::denied) {
        DOCKSCAN_TRY(audit(context.user.name, "access_denied", finding_object(id),
                           "finding of a unit the user does not have"));
    }
    // The same answer for "not there" and "not yours": ids of other units' findings
    // are not confirmed to exist.
    refusal = page(context, "Fyndet finns inte",
                   message_body("Fyndet finns inte", "Fyndet finns inte, eller hör till en enhet "
                                                     "som du inte har tillgång till."),
                   Nav::none, 404);
    return std::nullopt;
}

Expected<std::optional<ItemFindings>> ReviewApp::visible_item(const Context& context,
                                                              std::int64_t id, Response& refusal) {
    DOCKSCAN_TRY_ASSIGN(auto finding, visible_finding(context, id, refusal));
    if (!finding) {
        return std::nullopt;
    }
    DOCKSCAN_TRY_ASSIGN(auto of_scan, review::findings(m_db.source(), context.viewer,
                                                       review::Filter::all, finding->row.scan_id));
    ItemFindings item;
    for (auto& f : of_scan) {
        if (f.item_id == finding->item_id) {
            item.findings.push_back(std::move(f));
        }
    }
    if (item.findings.empty()) {
        item.findings.push_back(std::move(*finding));
    }
    return item;
}

Expected<std::optional<std::int64_t>> ReviewApp::next_open_item(const Context& context,
                                                                const ItemFindings& item) {
    DOCKSCAN_TRY_ASSIGN(auto rows,
                        review::findings(m_db.source(), context.viewer, review::Filter::all));
    const auto items = group_by_item(std::move(rows));
    const auto same = [&](const ItemFindings& other) {
        return other.first().item_id == item.first().item_id &&
               other.first().row.scan_id == item.first().row.scan_id;
    };
    const auto here = std::find_if(items.begin(), items.end(), same);
    const std::size_t start =
        here == items.end() ? 0 : static_cast<std::size_t>(here - items.begin());
    for (std::size_t step = 1; step <= items.size(); ++step) {
        const ItemFindings& candidate = items[(start + step) % items.size()];
        if (!same(candidate) && candidate.open()) {
            return candidate.first().row.id;
        }
    }
    return std::nullopt;
}

Expected<std::optional<review::ScanEntry>>
ReviewApp::visible_scan(const Context& context, std::int64_t id, Response& refusal) {
    DOCKSCAN_TRY_ASSIGN(auto lookup, review::scan(m_db.source(), context.viewer, id));
    if (lookup.access == review::Access::visible) {
        return std::move(lookup.scan);
    }
    if (lookup.access == review::Access::denied) {
        DOCKSCAN_TRY(audit(context.user.name, "access_denied", scan_object(id),
                           "scan of a unit the user does not have"));
    }
    refusal = page(context, "Skanningen finns inte",
                   message_body("Skanningen finns inte", "Skanningen finns inte, eller hör till "
                                                         "en enhet som du inte har tillgång till."),
                   Nav::none, 404);
    return std::nullopt;
}

Expected<Response> ReviewApp::render_finding(const Context& context, FindingView view, int status) {
    std::vector<std::vector<review::Decision>> lists;
    for (const auto& f : view.item.findings) {
        DOCKSCAN_TRY_ASSIGN(auto list, review::decisions(m_db.source(), f.row.id));
        lists.push_back(std::move(list));
    }
    view.history = merged_history(std::move(lists));
    if (context.show.evidence) {
        DOCKSCAN_TRY_ASSIGN(view.thumbnail,
                            review::thumbnail(m_db.source(), view.item.first().row.id));
    }
    view.csrf = context.session.csrf;
    view.show = context.show;
    const std::string title = "Fynd " + review::finding_name(view.item.first());
    return page(context, title, finding_body(view), Nav::none, status);
}

namespace {

// The evidence thumbnail of a finding the viewer may see (the caller checked): a small,
// blurred JPEG, never cached by the browser. Audited like the page it belongs to.
Response thumbnail_response(sql::Source& source, std::int64_t id) {
    Response response;
    auto thumb = review::thumbnail(source, id);
    if (!thumb || !*thumb) {
        response.status = 404;
        response.content_type = "text/plain; charset=utf-8";
        response.body = "Ingen bild";
        return response;
    }
    response.content_type = "image/jpeg";
    response.body = std::move((*thumb)->jpeg);
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
}

} // namespace

Response ReviewApp::finding_page(const Request& request, const Context& context, std::int64_t id) {
    if (request.params.count("bild") > 0) {
        if (auto refusal = refused(request, context, Capability::see_evidence)) {
            return std::move(*refusal);
        }
        Response refusal;
        auto finding = visible_finding(context, id, refusal);
        if (!finding) {
            return failure(finding.error());
        }
        if (!*finding) {
            return refusal;
        }
        auto audited = audit(context.user.name, "view_thumbnail", finding_object(id), "");
        if (!audited) {
            return failure(audited.error());
        }
        return thumbnail_response(m_db.source(), id);
    }
    Response refusal;
    auto item = visible_item(context, id, refusal);
    if (!item) {
        return failure(item.error());
    }
    if (!*item) {
        return refusal;
    }
    auto audited = audit(context.user.name, "view_finding", finding_object(id), "");
    if (!audited) {
        return failure(audited.error());
    }
    FindingView view;
    view.item = std::move(**item);
    const std::string saved = param(request, "sparat");
    view.flash = saved == "nasta" ? "Beslutet är sparat. Här är nästa fynd som väntar på beslut."
                 : saved.empty() ? std::string()
                                 : "Beslutet är sparat.";
    auto response = render_finding(context, std::move(view), 200);
    return response ? std::move(*response) : failure(response.error());
}

Response ReviewApp::decide(const Request& request, const Context& context, std::int64_t id) {
    Response refusal;
    auto item = visible_item(context, id, refusal);
    if (!item) {
        return failure(item.error());
    }
    if (!*item) {
        return refusal;
    }
    const DecisionForm form = read_decision_form(request);
    if (auto error = check_decision_form(form, today_in_sweden())) {
        auto audited = audit(context.user.name, "view_finding", finding_object(id),
                             "decision form refused: " + error->field);
        if (!audited) {
            return failure(audited.error());
        }
        FindingView view;
        view.item = std::move(**item);
        view.error = std::move(error);
        view.typed = form;
        auto response = render_finding(context, std::move(view), 400);
        return response ? std::move(*response) : failure(response.error());
    }
    // One decision for the item, written as a review of each of its findings (the
    // reports count findings).
    auto added = m_db.add_decisions(new_decision(form, context.user.name), (*item)->ids());
    if (!added) {
        return failure(added.error());
    }
    for (const std::int64_t finding_id : (*item)->ids()) {
        auto audited =
            audit(context.user.name, "decide", finding_object(finding_id), decision_detail(form));
        if (!audited) {
            return failure(audited.error());
        }
    }
    auto next = next_open_item(context, **item);
    if (!next) {
        return failure(next.error());
    }
    return *next ? redirect("/fynd/" + std::to_string(**next) + "?sparat=nasta")
                 : redirect("/fynd/" + std::to_string(id) + "?sparat=1");
}

Response ReviewApp::reveal(const Request& request, const Context& context, std::int64_t id) {
    Response refusal;
    auto item = visible_item(context, id, refusal);
    if (!item) {
        return failure(item.error());
    }
    if (!*item) {
        return refusal;
    }
    const std::string reason = one_line(trimmed(param(request, "reason")));
    if (reason.empty() || reason.size() > k_max_short_text) {
        auto audited = audit(context.user.name, "view_finding", finding_object(id),
                             "sharper view refused: no reason given");
        if (!audited) {
            return failure(audited.error());
        }
        FindingView view;
        view.item = std::move(**item);
        view.error =
            FieldError{"reason", reason.empty() ? "Ange en motivering för den skarpare vyn."
                                                : "Motiveringen är för lång (högst 200 tecken)."};
        view.typed_reason = reason;
        auto response = render_finding(context, std::move(view), 400);
        return response ? std::move(*response) : failure(response.error());
    }
    RevealView shown;
    for (const auto& f : (*item)->findings) {
        auto others = review::other_phones_with_number(m_db.source(), f.row.match_hash, f.phone_id);
        if (!others) {
            return failure(others.error());
        }
        shown.other_phones.push_back(*others);
    }
    auto audited = audit(context.user.name, "reveal", finding_object(id), "reason: " + reason);
    if (!audited) {
        return failure(audited.error());
    }
    FindingView view;
    view.item = std::move(**item);
    view.reveal = std::move(shown);
    auto response = render_finding(context, std::move(view), 200);
    return response ? std::move(*response) : failure(response.error());
}

Expected<Response> ReviewApp::render_scan(const Context& context, const review::ScanEntry& scan,
                                          std::string flash, ScanForm refused, int status) {
    DOCKSCAN_TRY_ASSIGN(auto found, review::findings(m_db.source(), context.viewer,
                                                     review::Filter::all, scan.scan_id));
    DOCKSCAN_TRY_ASSIGN(auto controls, review::controls(m_db.source(), scan.scan_id));
    DOCKSCAN_TRY_ASSIGN(auto failed, review::failed_items(m_db.source(), scan.scan_id));
    DOCKSCAN_TRY(audit(context.user.name, "view_scan", scan_object(scan.scan_id),
                       std::to_string(found.size()) + " findings shown"));
    ScanView view{scan,
                  group_by_item(std::move(found)),
                  std::move(controls),
                  std::move(failed),
                  context.session.csrf,
                  context.show,
                  std::move(flash),
                  std::move(refused.form),
                  std::move(refused.error),
                  std::move(refused.typed),
                  std::move(refused.control_note)};
    return page(context, "Skanning av " + scan.phone, scan_body(view), Nav::scans, status);
}

Response ReviewApp::scan_page(const Request& request, const Context& context, std::int64_t id) {
    Response refusal;
    auto scan = visible_scan(context, id, refusal);
    if (!scan) {
        return failure(scan.error());
    }
    if (!*scan) {
        return refusal;
    }
    const std::string saved = param(request, "sparat");
    const std::string flash = saved == "alla" ? "Beslutet är sparat för alla fynd som väntade."
                              : saved.empty() ? std::string()
                                              : "Kontrollen är registrerad.";
    auto response = render_scan(context, **scan, flash, {}, 200);
    return response ? std::move(*response) : failure(response.error());
}

Response ReviewApp::decide_scan(const Request& request, const Context& context, std::int64_t id) {
    Response refusal;
    auto scan = visible_scan(context, id, refusal);
    if (!scan) {
        return failure(scan.error());
    }
    if (!*scan) {
        return refusal;
    }
    const DecisionForm form = read_decision_form(request);
    if (auto error = check_decision_form(form, today_in_sweden())) {
        auto response =
            render_scan(context, **scan, "", ScanForm{"all", std::move(error), form, ""}, 400);
        return response ? std::move(*response) : failure(response.error());
    }
    auto open = review::findings(m_db.source(), context.viewer, review::Filter::open, id);
    if (!open) {
        return failure(open.error());
    }
    std::vector<std::int64_t> ids;
    for (const auto& f : *open) {
        ids.push_back(f.row.id);
    }
    auto added = m_db.add_decisions(new_decision(form, context.user.name), ids);
    if (!added) {
        return failure(added.error());
    }
    for (const std::int64_t finding_id : ids) {
        auto audited =
            audit(context.user.name, "decide", finding_object(finding_id), decision_detail(form));
        if (!audited) {
            return failure(audited.error());
        }
    }
    auto audited = audit(context.user.name, "decide_scan", scan_object(id),
                         decision_detail(form) + " findings=" + std::to_string(ids.size()));
    if (!audited) {
        return failure(audited.error());
    }
    return redirect("/skanningar/" + std::to_string(id) + "?sparat=alla");
}

Response ReviewApp::control(const Request& request, const Context& context, std::int64_t id) {
    Response refusal;
    auto scan = visible_scan(context, id, refusal);
    if (!scan) {
        return failure(scan.error());
    }
    if (!*scan) {
        return refusal;
    }
    const review::NewControl control{id, param(request, "result"), trimmed(param(request, "note")),
                                     context.user.name};
    if (!review::is_decision(control.result) || control.note.size() > k_max_note) {
        FieldError error = review::is_decision(control.result)
                               ? FieldError{"note", "Anteckningen är för lång (högst 1000 tecken)."}
                               : FieldError{"result", "Välj ett resultat."};
        auto response =
            render_scan(context, **scan, "",
                        ScanForm{"control", std::move(error),
                                 DecisionForm{control.result, {}, "", "", ""}, control.note},
                        400);
        return response ? std::move(*response) : failure(response.error());
    }
    auto added = m_db.add_control(control);
    if (!added) {
        return failure(added.error());
    }
    auto audited = audit(context.user.name, "control", scan_object(id), "result=" + control.result);
    if (!audited) {
        return failure(audited.error());
    }
    return redirect("/skanningar/" + std::to_string(id) + "?sparat=1");
}

} // namespace dockscan::agent::web
