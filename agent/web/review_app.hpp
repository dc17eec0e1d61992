#pragma once

// The supervisor's review: login, the queue of open findings, decisions, the
// "kontroll genomförd" per scan and the audited sharper view. Requests in, responses
// out; http_server.cpp puts it on a socket.

#include "agent/report/report_model.hpp"
#include "agent/store/review_queries.hpp"
#include "agent/store/store.hpp"
#include "agent/store/users.hpp"
#include "agent/web/html.hpp"
#include "agent/web/http.hpp"
#include "agent/web/login_limiter.hpp"
#include "agent/web/pages.hpp"
#include "agent/web/roles.hpp"
#include "agent/web/sessions.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace dockscan::agent::web {

struct ReviewOptions {
    bool secure_cookies = false; // served over TLS: cookies are Secure
    SessionLimits sessions{};
};

class ReviewApp {
public:
    // The review of a station's store.
    ReviewApp(Store& store, ReviewOptions options);
    // The review of any database (a station's, or the municipality's central one).
    ReviewApp(review::Database& database, ReviewOptions options);

    // Answers one request. Thread-safe: the store is used by one request at a time.
    [[nodiscard]] Response handle(const Request& request);

private:
    // The person behind an authenticated request.
    struct Context {
        Session session;
        users::User user;
        review::Viewer viewer;
        PageUser page_user;
        std::string client;
        Show show; // what the role lets the pages show
    };

    // A form the scan page shows again after it was refused.
    struct ScanForm {
        std::string form; // "all" (decide all) or "control"
        std::optional<FieldError> error;
        std::optional<DecisionForm> typed;
        std::string control_note;
    };

    [[nodiscard]] Response dispatch(const Request& request);
    [[nodiscard]] Response route(const Request& request, const Context& context);
    [[nodiscard]] Response login_form(const Request& request, std::string error, int status);
    [[nodiscard]] Response login(const Request& request);
    [[nodiscard]] Response logout(const Context& context);
    // The 403 for a role that may not do `capability` (audited), or nothing when it may.
    [[nodiscard]] std::optional<Response> refused(const Request& request, const Context& context,
                                                  Capability capability);
    [[nodiscard]] Response admin_home(const Context& context);

    [[nodiscard]] Response findings_list(const Request& request, const Context& context,
                                         review::Filter filter);
    [[nodiscard]] Response scans_list(const Context& context);
    [[nodiscard]] Response followup_list(const Context& context); // pages_followup.cpp
    [[nodiscard]] Response finding_page(const Request& request, const Context& context,
                                        std::int64_t id);
    [[nodiscard]] Response decide(const Request& request, const Context& context, std::int64_t id);
    [[nodiscard]] Response reveal(const Request& request, const Context& context, std::int64_t id);
    [[nodiscard]] Response scan_page(const Request& request, const Context& context,
                                     std::int64_t id);
    [[nodiscard]] Response control(const Request& request, const Context& context, std::int64_t id);
    [[nodiscard]] Response decide_scan(const Request& request, const Context& context,
                                       std::int64_t id);
    // The quality lead's report page and its downloads (pages_report.cpp).
    [[nodiscard]] Response report_page(const Request& request, const Context& context);
    [[nodiscard]] Response report_download(const Request& request, const Context& context,
                                           std::string_view format);
    [[nodiscard]] Response report_comment(const Request& request, const Context& context);
    // The report of `period`: the station's, or centrally the municipality's.
    [[nodiscard]] Expected<reports::Report> report_of(const reports::Period& period,
                                                      std::int64_t now);

    // A finding (or scan) the person may see, or the refusal to send: 404 for one that
    // does not exist and for one of another unit alike, the latter audited as denied.
    [[nodiscard]] Expected<std::optional<review::ReviewFinding>>
    visible_finding(const Context& context, std::int64_t id, Response& refusal);
    [[nodiscard]] Expected<std::optional<review::ScanEntry>>
    visible_scan(const Context& context, std::int64_t id, Response& refusal);
    // Every finding of the item the finding `id` belongs to (in the same scan), if the
    // person may see it.
    [[nodiscard]] Expected<std::optional<ItemFindings>>
    visible_item(const Context& context, std::int64_t id, Response& refusal);
    // The next item that waits for a decision after `item`, in the queue's order (wrapping
    // round), or nothing when no other item is open.
    [[nodiscard]] Expected<std::optional<std::int64_t>> next_open_item(const Context& context,
                                                                       const ItemFindings& item);
    [[nodiscard]] Expected<Response> render_finding(const Context& context, FindingView view,
                                                    int status);
    [[nodiscard]] Expected<Response> render_scan(const Context& context,
                                                 const review::ScanEntry& scan, std::string flash,
                                                 ScanForm refused, int status);

    [[nodiscard]] Expected<void> audit(std::string actor, std::string action, std::string object,
                                       std::string detail);
    [[nodiscard]] Response page(const Context& context, std::string title, std::string body,
                                Nav nav, int status = 200) const;
    [[nodiscard]] Response failure(const Error& error) const;
    [[nodiscard]] std::string session_cookie(std::string_view value, bool clear) const;

    // The database of the Store& constructor; m_db is the one requests use.
    std::unique_ptr<review::StationDatabase> m_own_database;
    review::Database& m_db;
    // The database's connection is single-threaded; the server's pool is not.
    std::mutex m_store_mutex;
    ReviewOptions m_options;
    SessionStore m_sessions;
    LoginLimiter m_limiter;
    // Attempts refused while a name was locked, per name and address, until the lock
    // ends (under m_store_mutex): one audit row when it starts, one with the count after.
    struct LockedRefusals {
        std::int64_t count = 0;
        bool known = false; // the name is a user's
    };
    std::map<std::string, LockedRefusals> m_locked_refusals;
    // A hash to verify against when the name is unknown, so that a login takes as long
    // for an unknown name as for a wrong password.
    std::string m_dummy_hash;
};

// A row id in a path ("12"): 1 to 18 digits, nothing else.
[[nodiscard]] std::optional<std::int64_t> parse_id(std::string_view text);

} // namespace dockscan::agent::web
