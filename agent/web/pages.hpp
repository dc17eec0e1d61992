#pragma once

// The review UI's pages as HTML bodies, from plain data: no store, no sessions.

#include "agent/store/review_queries.hpp"
#include "agent/web/decision_form.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::agent::web {

struct LoginView {
    std::string token; // the login form's CSRF token (double-submit cookie)
    std::string name;  // what was typed, shown again after a failure
    std::string error;
    std::string info;
};

[[nodiscard]] std::string login_body(const LoginView& view);

// What the viewer's role lets a page show (roles.hpp): a quality lead follows the
// decisions without evidence; only a supervisor decides.
struct Show {
    bool evidence = false;
    bool decide = false;
};

// The findings of one item in one scan (a photo with a document and a personnummer):
// reviewed together, as one decision.
struct ItemFindings {
    std::vector<review::ReviewFinding> findings; // at least one, by id

    [[nodiscard]] const review::ReviewFinding& first() const { return findings.front(); }
    // The item's proposed severity: the highest of its findings'.
    [[nodiscard]] std::string severity() const;
    // The newest decision on any of its findings, or nothing while all are open.
    [[nodiscard]] std::optional<review::Decision> latest() const;
    [[nodiscard]] bool open() const; // some finding has no decision
    [[nodiscard]] std::vector<std::int64_t> ids() const;
};

// Findings (in the order review::findings gives them) as items.
[[nodiscard]] std::vector<ItemFindings> group_by_item(std::vector<review::ReviewFinding> findings);

// Where a page of a long list stands: its number (1 the first) and whether one follows.
struct PageOf {
    std::int64_t number = 1;
    bool more = false;
};

// The open findings (queue) or the decided ones, grouped by phone and scan, one row per
// item, one page of them with links to the pages before and after.
[[nodiscard]] std::string findings_body(const std::vector<ItemFindings>& items,
                                        review::Filter filter, Show show, PageOf page = {});

[[nodiscard]] std::string scans_body(const std::vector<review::ScanEntry>& scans);

// The "sharper view" after a reason was given: per finding of the item, how many other
// phones have the same number.
struct RevealView {
    std::vector<std::int64_t> other_phones;
};

struct FindingView {
    ItemFindings item;
    std::vector<review::Decision> history; // newest first
    std::string csrf;
    Show show;
    std::optional<RevealView> reveal;
    std::string flash; // "the decision was saved"
    // A refused form: what was wrong, and what was typed (shown again as it was).
    std::optional<FieldError> error;
    std::optional<DecisionForm> typed;
    std::string typed_reason;
    // The item's evidence thumbnail (small and blurred), when the store has one.
    std::optional<Thumbnail> thumbnail;
};

[[nodiscard]] std::string finding_body(const FindingView& view);

struct ScanView {
    review::ScanEntry scan;
    std::vector<ItemFindings> items;
    std::vector<review::Control> controls; // newest first
    std::vector<FailedItem> failed;        // items the scan could not read, with the reason
    std::string csrf;
    Show show;
    std::string flash;
    // A refused form ("all" for the decide-all form, "control" for the control) and
    // what was typed in it.
    std::string error_form;
    std::optional<FieldError> error;
    std::optional<DecisionForm> typed;
    std::string typed_control_note;
};

[[nodiscard]] std::string scan_body(const ScanView& view);

// The admin's start page: what they do here and where (no client data).
[[nodiscard]] std::string admin_body();

// A short page for errors and refusals; `back` is where the link leads.
[[nodiscard]] std::string message_body(std::string_view heading, std::string_view text,
                                       std::string_view back = "/granska");

} // namespace dockscan::agent::web
