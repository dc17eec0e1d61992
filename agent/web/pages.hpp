#pragma once

// The review UI's pages as HTML bodies, from plain data: no store, no sessions.

#include "agent/store/review_queries.hpp"

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

// The open findings (queue) or the decided ones, grouped by phone and scan.
[[nodiscard]] std::string findings_body(const std::vector<review::ReviewFinding>& findings,
                                        review::Filter filter);

[[nodiscard]] std::string scans_body(const std::vector<review::ScanEntry>& scans);

// The "sharper view" after a reason was given.
struct RevealView {
    std::int64_t other_phones;
};

struct FindingView {
    review::ReviewFinding finding;
    std::vector<review::Decision> history; // newest first
    std::string csrf;
    std::optional<RevealView> reveal;
    std::string flash; // "the decision was saved"
    std::string error; // what was wrong with the form
    // The item's evidence thumbnail (small and blurred), when the store has one.
    std::optional<Thumbnail> thumbnail;
};

[[nodiscard]] std::string finding_body(const FindingView& view);

struct ScanView {
    review::ScanEntry scan;
    std::vector<review::ReviewFinding> findings;
    std::vector<review::Control> controls; // newest first
    std::vector<FailedItem> failed;        // items the scan could not read, with the reason
    std::string csrf;
    std::string flash;
    std::string error;
};

[[nodiscard]] std::string scan_body(const ScanView& view);

// A short page for errors and refusals.
[[nodiscard]] std::string message_body(std::string_view heading, std::string_view text);

} // namespace dockscan::agent::web
