// The review pages behind the login: lists, a finding with its decision and sharper
// view, a scan with its control. Each runs with the store lock held (dispatch) and
// writes its audit row before it shows anything.

#include "agent/web/pages.hpp"
#include "agent/web/review_app.hpp"

#include <algorithm>

namespace dockscan::agent::web {

namespace {

constexpr std::size_t k_max_note = 1000;
constexpr std::size_t k_max_short_text = 200;
constexpr std::int64_t k_scan_list_limit = 200;

std::string trimmed(std::string text) {
    const auto not_space = [](unsigned char c) {
        return c != ' ' && c != '\t' && c != '\r' && c != '\n';
    };
    text.erase(text.begin(), std::find_if(text.begin(), text.end(), not_space));
    text.erase(std::find_if(text.rbegin(), text.rend(), not_space).base(), text.end());
    return text;
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

} // namespace

Response ReviewApp::findings_list(const Context& context, review::Filter filter) {
    auto rows = review::findings(m_store, context.viewer, filter);
    if (!rows) {
        return failure(rows.error());
    }
    const bool open = filter == review::Filter::open;
    auto audited = audit(context.user.name, open ? "view_queue" : "view_decided", "findings",
                         std::to_string(rows->size()) + " findings shown");
    if (!audited) {
        return failure(audited.error());
    }
    return page(context, open ? "Att granska" : "Beslutade", findings_body(*rows, filter),
                open ? Nav::queue : Nav::decided);
}

Response ReviewApp::scans_list(const Context& context) {
    auto rows = review::scans(m_store, context.viewer, k_scan_list_limit);
    if (!rows) {
        return failure(rows.error());
    }
    return page(context, "Skanningar", scans_body(*rows), Nav::scans);
}

Expected<std::optional<review::ReviewFinding>>
ReviewApp::visible_finding(const Context& context, std::int64_t id, Response& refusal) {
    DOCKSCAN_TRY_ASSIGN(auto lookup, review::finding(m_store, context.viewer, id));
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

Expected<std::optional<review::ScanEntry>>
ReviewApp::visible_scan(const Context& context, std::int64_t id, Response& refusal) {
    DOCKSCAN_TRY_ASSIGN(auto lookup, review::scan(m_store, context.viewer, id));
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

Expected<Response> ReviewApp::render_finding(const Context& context,
                                             const review::ReviewFinding& finding,
                                             std::optional<std::int64_t> reveal_count,
                                             std::string flash, std::string error, int status) {
    DOCKSCAN_TRY_ASSIGN(auto history, review::decisions(m_store, finding.row.id));
    DOCKSCAN_TRY_ASSIGN(auto thumbnail, m_store.finding_thumbnail(finding.row.id));
    FindingView view{finding,          std::move(history), context.session.csrf, std::nullopt,
                     std::move(flash), std::move(error),   std::move(thumbnail)};
    if (reveal_count) {
        view.reveal = RevealView{*reveal_count};
    }
    return page(context, "Fynd " + std::to_string(finding.row.id), finding_body(view), Nav::none,
                status);
}

namespace {

// The evidence thumbnail of a finding the viewer may see (the caller checked): a small,
// blurred JPEG, never cached by the browser. Audited like the page it belongs to.
Response thumbnail_response(Store& store, std::int64_t id) {
    Response response;
    auto thumb = store.finding_thumbnail(id);
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
    Response refusal;
    auto finding = visible_finding(context, id, refusal);
    if (!finding) {
        return failure(finding.error());
    }
    if (!*finding) {
        return refusal;
    }
    if (request.params.count("bild") > 0) {
        auto audited = audit(context.user.name, "view_thumbnail", finding_object(id), "");
        if (!audited) {
            return failure(audited.error());
        }
        return thumbnail_response(m_store, id);
    }
    auto audited = audit(context.user.name, "view_finding", finding_object(id), "");
    if (!audited) {
        return failure(audited.error());
    }
    const std::string flash =
        request.params.count("sparat") > 0 ? "Beslutet är sparat." : std::string();
    auto response = render_finding(context, **finding, std::nullopt, flash, "", 200);
    return response ? std::move(*response) : failure(response.error());
}

Response ReviewApp::decide(const Request& request, const Context& context, std::int64_t id) {
    Response refusal;
    auto finding = visible_finding(context, id, refusal);
    if (!finding) {
        return failure(finding.error());
    }
    if (!*finding) {
        return refusal;
    }
    review::NewDecision decision{id,
                                 param(request, "decision"),
                                 params(request, "action"),
                                 trimmed(param(request, "other_action")),
                                 trimmed(param(request, "follow_up")),
                                 trimmed(param(request, "note")),
                                 context.user.name};
    // Text under "annan åtgärd" is an action of its own.
    if (!decision.other_action.empty() &&
        std::find(decision.actions.begin(), decision.actions.end(), "annat") ==
            decision.actions.end()) {
        decision.actions.emplace_back("annat");
    }
    std::string error;
    if (!review::is_decision(decision.decision)) {
        error = "Välj en bedömning.";
    } else if (!std::all_of(decision.actions.begin(), decision.actions.end(),
                            [](const std::string& a) { return review::is_action(a); })) {
        error = "Okänd åtgärd.";
    } else if (std::find(decision.actions.begin(), decision.actions.end(), "annat") !=
                   decision.actions.end() &&
               decision.other_action.empty()) {
        error = "Beskriv den andra åtgärden.";
    } else if (decision.other_action.size() > k_max_short_text ||
               decision.note.size() > k_max_note) {
        error = "Texten är för lång.";
    }
    auto added =
        error.empty() ? review::add_decision(m_store, decision) : Expected<std::int64_t>{0};
    if (!added && added.error().code == ErrorCode::usage) {
        error = "Uppföljningen ska vara ett datum (ÅÅÅÅ-MM-DD).";
    } else if (!added) {
        return failure(added.error());
    }
    if (!error.empty()) {
        auto audited =
            audit(context.user.name, "view_finding", finding_object(id), "decision form refused");
        if (!audited) {
            return failure(audited.error());
        }
        auto response = render_finding(context, **finding, std::nullopt, "", error, 400);
        return response ? std::move(*response) : failure(response.error());
    }
    // Codes only: the note and the other action's text may name people.
    auto audited =
        audit(context.user.name, "decide", finding_object(id),
              "decision=" + decision.decision + " actions=" + join(decision.actions) +
                  (decision.follow_up.empty() ? "" : " follow_up=" + decision.follow_up));
    if (!audited) {
        return failure(audited.error());
    }
    return redirect("/fynd/" + std::to_string(id) + "?sparat=1");
}

Response ReviewApp::reveal(const Request& request, const Context& context, std::int64_t id) {
    Response refusal;
    auto finding = visible_finding(context, id, refusal);
    if (!finding) {
        return failure(finding.error());
    }
    if (!*finding) {
        return refusal;
    }
    const std::string reason = one_line(trimmed(param(request, "reason")));
    if (reason.empty() || reason.size() > k_max_short_text) {
        auto audited = audit(context.user.name, "view_finding", finding_object(id),
                             "sharper view refused: no reason given");
        if (!audited) {
            return failure(audited.error());
        }
        auto response = render_finding(context, **finding, std::nullopt, "",
                                       reason.empty() ? "Ange en motivering för den skarpare vyn."
                                                      : "Motiveringen är för lång.",
                                       400);
        return response ? std::move(*response) : failure(response.error());
    }
    const FindingRow& row = (*finding)->row;
    auto others = review::other_phones_with_number(m_store, row.match_hash, (*finding)->phone_id);
    if (!others) {
        return failure(others.error());
    }
    auto audited = audit(context.user.name, "reveal", finding_object(id), "reason: " + reason);
    if (!audited) {
        return failure(audited.error());
    }
    auto response = render_finding(context, **finding, *others, "", "", 200);
    return response ? std::move(*response) : failure(response.error());
}

Expected<Response> ReviewApp::render_scan(const Context& context, const review::ScanEntry& scan,
                                          std::string flash, std::string error, int status) {
    DOCKSCAN_TRY_ASSIGN(
        auto found, review::findings(m_store, context.viewer, review::Filter::all, scan.scan_id));
    DOCKSCAN_TRY_ASSIGN(auto controls, review::controls(m_store, scan.scan_id));
    DOCKSCAN_TRY_ASSIGN(auto failed, m_store.failed_items(scan.scan_id));
    DOCKSCAN_TRY(audit(context.user.name, "view_scan", scan_object(scan.scan_id),
                       std::to_string(found.size()) + " findings shown"));
    ScanView view{scan,
                  std::move(found),
                  std::move(controls),
                  std::move(failed),
                  context.session.csrf,
                  std::move(flash),
                  std::move(error)};
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
    const std::string flash =
        request.params.count("sparat") > 0 ? "Kontrollen är registrerad." : std::string();
    auto response = render_scan(context, **scan, flash, "", 200);
    return response ? std::move(*response) : failure(response.error());
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
        auto response =
            render_scan(context, **scan, "",
                        review::is_decision(control.result) ? "Anteckningen är för lång."
                                                            : "Välj ett resultat.",
                        400);
        return response ? std::move(*response) : failure(response.error());
    }
    auto added = review::add_control(m_store, control);
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
