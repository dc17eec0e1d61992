#pragma once

// The page frame of the review UI (Swedish, server-rendered, no JavaScript) and HTML
// escaping. Everything from the store or a form passes through `escape`.

#include <optional>
#include <string>
#include <string_view>

namespace dockscan::agent::web {

// Escapes & < > " ' for text and attribute values.
[[nodiscard]] std::string escape(std::string_view text);

// The hidden field that carries the session's CSRF token in a form.
[[nodiscard]] std::string csrf_field(std::string_view token);

// Who is logged in, for the header (name, role, logout form).
struct PageUser {
    std::string display_name;
    std::string role; // already a label ("Enhetschef")
    std::string csrf;
    bool findings_nav = true; // the admin's header has no links to findings
    bool reports = false;     // a quality lead: the nav links the report page
};

enum class Nav { none, queue, decided, scans, followup, report };

struct Page {
    std::string title; // plain text
    std::string body;  // HTML
    std::optional<PageUser> user;
    Nav nav = Nav::none;
};

[[nodiscard]] std::string render_page(const Page& page);

// A notice box: kind "ok" or "error" (role="status" / role="alert").
[[nodiscard]] std::string notice(std::string_view kind, std::string_view text);

} // namespace dockscan::agent::web
