// The review app's front door: security headers, sessions, CSRF, login and logout,
// and the routing table. The pages themselves are in review_handlers.cpp.

#include "agent/web/review_app.hpp"

#include "agent/web/labels.hpp"
#include "agent/web/pages.hpp"
#include "agent/web/random.hpp"

#include <spdlog/spdlog.h>

namespace dockscan::agent::web {

namespace {

constexpr std::string_view k_session_cookie = "dockscan_session";
constexpr std::string_view k_login_cookie = "dockscan_login";

// Only what the pages need: inline styles, forms to this server, no scripts, no frames.
constexpr std::string_view k_csp = "default-src 'none'; style-src 'unsafe-inline'; "
                                   "img-src 'self' data:; form-action 'self'; "
                                   "frame-ancestors 'none'; base-uri 'none'";

constexpr std::string_view k_bad_login = "Fel användarnamn eller lösenord.";

std::vector<std::string_view> segments(std::string_view path) {
    std::vector<std::string_view> parts;
    while (!path.empty()) {
        const std::size_t slash = path.find('/');
        if (slash != 0) {
            parts.push_back(path.substr(0, slash));
        }
        if (slash == std::string_view::npos) {
            break;
        }
        path.remove_prefix(slash + 1);
    }
    return parts;
}

// What of a request path goes into the audit log: short, printable.
std::string path_for_audit(std::string_view path) {
    std::string text;
    for (const char c : path.substr(0, 100)) {
        const auto byte = static_cast<unsigned char>(c);
        text += byte < 0x20 || byte >= 0x7f ? '?' : c;
    }
    return text;
}

} // namespace

std::optional<std::int64_t> parse_id(std::string_view text) {
    if (text.empty() || text.size() > 18) {
        return std::nullopt;
    }
    std::int64_t id = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        id = id * 10 + (c - '0');
    }
    return id;
}

ReviewApp::ReviewApp(Store& store, ReviewOptions options)
    : m_own_database(std::make_unique<review::StationDatabase>(store)), m_db(*m_own_database),
      m_options(options), m_sessions(options.sessions),
      m_dummy_hash(users::hash_password("dockscan: no such user").value_or("")) {}

ReviewApp::ReviewApp(review::Database& database, ReviewOptions options)
    : m_db(database), m_options(options), m_sessions(options.sessions),
      m_dummy_hash(users::hash_password("dockscan: no such user").value_or("")) {}

Response ReviewApp::handle(const Request& request) {
    Response response = dispatch(request);
    response.headers.emplace_back("Content-Security-Policy", std::string(k_csp));
    response.headers.emplace_back("X-Content-Type-Options", "nosniff");
    response.headers.emplace_back("X-Frame-Options", "DENY");
    response.headers.emplace_back("Referrer-Policy", "no-referrer");
    // Pages carry client data (masked, but still): never in a cache or the back button.
    response.headers.emplace_back("Cache-Control", "no-store");
    if (m_options.secure_cookies) {
        response.headers.emplace_back("Strict-Transport-Security", "max-age=31536000");
    }
    return response;
}

Response ReviewApp::dispatch(const Request& request) {
    const bool post = request.method == "POST";
    if (request.path == "/logga-in") {
        return post ? login(request) : login_form(request, "", 200);
    }
    if (request.path == "/favicon.ico") {
        // Browsers ask for it on their own; a redirect to the login would be wasted.
        Response none;
        none.status = 404;
        return none;
    }
    const auto cookie = request.cookies.find(std::string(k_session_cookie));
    const SessionLookup lookup = cookie == request.cookies.end()
                                     ? SessionLookup{SessionState::missing, std::nullopt}
                                     : m_sessions.touch(cookie->second, Clock::now());
    if (lookup.state != SessionState::active) {
        return redirect(lookup.state == SessionState::expired ? "/logga-in?utgangen=1"
                                                              : "/logga-in");
    }
    const Session& session = *lookup.session;
    const std::lock_guard lock(m_store_mutex);
    // The user is read again on every request: a disabled user or a changed unit
    // takes effect at once, not at the next login.
    auto credentials = m_db.credentials(session.user);
    if (!credentials) {
        return failure(credentials.error());
    }
    if (!*credentials || (*credentials)->user.disabled ||
        (*credentials)->user.id != session.user_id) {
        m_sessions.end(session.id);
        return redirect("/logga-in");
    }
    const users::User& user = (*credentials)->user;
    // A password change or disabling (perhaps by `dockscan users` in another process)
    // counted the generation up: every session started before it ends, not only this one.
    if (user.generation != session.generation) {
        m_sessions.end_user(user.id);
        auto audited = audit(user.name, "session_ended", "user:" + user.name,
                             "the password was changed or the user disabled");
        if (!audited) {
            return failure(audited.error());
        }
        return redirect("/logga-in?avslutad=1");
    }
    const Context context{
        session,
        user,
        review::Viewer{user.id, user.role != users::Role::supervisor},
        PageUser{user.display_name.empty() ? user.name : user.display_name,
                 role_label(users::to_string(user.role)), session.csrf,
                 may(user.role, Capability::follow_findings),
                 user.role == users::Role::quality_lead},
        request.client,
        Show{may(user.role, Capability::see_evidence), may(user.role, Capability::decide)}};
    if (post && !csrf_matches(session, param(request, "csrf"))) {
        auto audited = audit(user.name, "csrf_rejected", "path:" + path_for_audit(request.path),
                             "POST without a valid CSRF token");
        if (!audited) {
            return failure(audited.error());
        }
        return page(context, "Åtkomst nekad",
                    message_body("Formuläret kunde inte tas emot",
                                 "Säkerhetstoken saknas eller är fel. Ladda om sidan och försök "
                                 "igen."),
                    Nav::none, 403);
    }
    return route(request, context);
}

Response ReviewApp::route(const Request& request, const Context& context) {
    const auto parts = segments(request.path);
    const std::size_t n = parts.size();
    // Row ids start at 1: 0 stands for "no id in the path".
    const std::int64_t id = n >= 2 ? parse_id(parts[1]).value_or(0) : 0;
    const bool has_id = id > 0;
    // Every route names what the role must be allowed to do, before any handler runs:
    // a hidden link is not the control.
    const auto guarded = [&](Capability capability, auto&& handler) -> Response {
        if (auto refusal = refused(request, context, capability)) {
            return std::move(*refusal);
        }
        return handler();
    };
    if (request.method == "GET") {
        if (n == 0) {
            return redirect(std::string(home_path(context.user.role)));
        }
        if (n == 1 && parts[0] == "start") {
            return may(context.user.role, Capability::follow_findings)
                       ? redirect(std::string(home_path(context.user.role)))
                       : admin_home(context);
        }
        if (n == 1 && parts[0] == "granska") {
            return guarded(Capability::follow_findings,
                           [&] { return findings_list(request, context, review::Filter::open); });
        }
        if (n == 1 && parts[0] == "beslutade") {
            return guarded(Capability::follow_findings, [&] {
                return findings_list(request, context, review::Filter::decided);
            });
        }
        if (n == 1 && parts[0] == "skanningar") {
            return guarded(Capability::follow_findings, [&] { return scans_list(context); });
        }
        if (n == 1 && parts[0] == "uppfoljning") {
            return followup_list(context);
        }
        if (n == 2 && has_id && parts[0] == "skanningar") {
            return guarded(Capability::follow_findings,
                           [&] { return scan_page(request, context, id); });
        }
        if (n == 2 && has_id && parts[0] == "fynd") {
            // The thumbnail (`?bild`) needs evidence as well: finding_page checks it.
            return guarded(Capability::follow_findings,
                           [&] { return finding_page(request, context, id); });
        }
        if (parts[0] == "rapport" &&
            (n == 1 || (n == 2 && (parts[1] == "pdf" || parts[1] == "csv")))) {
            return n == 1 ? report_page(request, context)
                          : report_download(request, context, parts[1]);
        }
    } else if (request.method == "POST") {
        if (n == 1 && parts[0] == "logga-ut") {
            return logout(context);
        }
        if (n == 3 && has_id && parts[0] == "fynd" && parts[2] == "beslut") {
            return guarded(Capability::decide, [&] { return decide(request, context, id); });
        }
        if (n == 3 && has_id && parts[0] == "fynd" && parts[2] == "visa") {
            return guarded(Capability::see_evidence, [&] { return reveal(request, context, id); });
        }
        if (n == 3 && has_id && parts[0] == "skanningar" && parts[2] == "kontroll") {
            return guarded(Capability::decide, [&] { return control(request, context, id); });
        }
        if (n == 3 && has_id && parts[0] == "skanningar" && parts[2] == "beslut") {
            return guarded(Capability::decide, [&] { return decide_scan(request, context, id); });
        }
        if (n == 2 && parts[0] == "rapport" && parts[1] == "kommentar") {
            return report_comment(request, context);
        }
    }
    return page(context, "Sidan finns inte",
                message_body("Sidan finns inte", "Adressen leder inte till någon sida här.",
                             home_path(context.user.role)),
                Nav::none, 404);
}

std::optional<Response> ReviewApp::refused(const Request& request, const Context& context,
                                           Capability capability) {
    if (may(context.user.role, capability)) {
        return std::nullopt;
    }
    auto audited = audit(context.user.name, "access_denied", "path:" + path_for_audit(request.path),
                         "role " + std::string(users::to_string(context.user.role)) + " may not " +
                             std::string(to_string(capability)));
    if (!audited) {
        return failure(audited.error());
    }
    return page(context, "Ingen behörighet",
                message_body("Ingen behörighet",
                             "Din roll (" + role_label(users::to_string(context.user.role)) +
                                 ") har inte tillgång till det här.",
                             home_path(context.user.role)),
                Nav::none, 403);
}

Response ReviewApp::login_form(const Request& request, std::string error, int status) {
    // Login CSRF: the form's token must come back with the cookie of the same value
    // (double submit), so another site cannot log a browser in as someone else.
    // An existing token is kept: a second tab, or the browser fetching something that
    // ends at the login page, must not invalidate the form already on screen.
    const auto cookie = request.cookies.find(std::string(k_login_cookie));
    const bool reuse = cookie != request.cookies.end() && cookie->second.size() == 64 &&
                       cookie->second.find_first_not_of("0123456789abcdef") == std::string::npos;
    LoginView view{reuse ? cookie->second : random_hex(32), param(request, "name"),
                   std::move(error), ""};
    if (request.method == "GET" && request.params.count("utgangen") > 0) {
        view.info = "Din session har gått ut. Logga in igen.";
    } else if (request.method == "GET" && request.params.count("utloggad") > 0) {
        view.info = "Du är utloggad.";
    } else if (request.method == "GET" && request.params.count("avslutad") > 0) {
        view.info = "Du har loggats ut: lösenordet har ändrats eller kontot har stängts.";
    }
    Response response;
    response.status = status;
    response.body = render_page(Page{"Logga in", login_body(view), std::nullopt, Nav::none});
    response.headers.emplace_back("Set-Cookie", std::string(k_login_cookie) + "=" + view.token +
                                                    "; Path=/logga-in; HttpOnly; SameSite=Strict" +
                                                    (m_options.secure_cookies ? "; Secure" : ""));
    return response;
}

Response ReviewApp::login(const Request& request) {
    const std::string name = param(request, "name");
    const std::string password = param(request, "password");
    const auto cookie = request.cookies.find(std::string(k_login_cookie));
    if (cookie == request.cookies.end() || cookie->second.empty() ||
        !constant_time_equal(cookie->second, param(request, "login_token"))) {
        return login_form(request, "Inloggningssidan hade gått ut. Försök igen.", 403);
    }
    const auto now = Clock::now();
    // Attempts on a locked name are written once per lock, and counted: a script
    // hammering a locked name must not grow the audit log by a row per request.
    const std::string burst = name + "\n" + request.client;
    if (const auto left = m_limiter.locked(name, request.client, now)) {
        const auto minutes = (left->count() + 59) / 60;
        const std::lock_guard lock(m_store_mutex);
        auto known = users::check_name(name) ? m_db.credentials(name)
                                             : Expected<std::optional<users::Credentials>>{};
        if (!known) {
            return failure(known.error());
        }
        const auto [refused, first] = m_locked_refusals.try_emplace(burst, 0, known->has_value());
        ++refused->second.count;
        if (first) {
            auto audited =
                audit(*known ? name : "unknown", "login_locked", *known ? "user:" + name : "user",
                      "refused while locked, from " + request.client +
                          "; further attempts in this lock are counted in one row when it ends");
            if (!audited) {
                return failure(audited.error());
            }
        }
        return login_form(request,
                          "För många misslyckade inloggningar. Försök igen om " +
                              std::to_string(minutes) + (minutes == 1 ? " minut." : " minuter."),
                          429);
    }
    {
        const std::lock_guard lock(m_store_mutex);
        if (const auto ended = m_locked_refusals.find(burst); ended != m_locked_refusals.end()) {
            // The lock is over: the attempts it refused after the first, in one row.
            const LockedRefusals refusals = ended->second;
            m_locked_refusals.erase(ended);
            if (refusals.count > 1) {
                auto audited =
                    audit(refusals.known ? name : "unknown", "login_locked",
                          refusals.known ? "user:" + name : "user",
                          std::to_string(refusals.count - 1) +
                              " more attempts refused while locked, from " + request.client);
                if (!audited) {
                    return failure(audited.error());
                }
            }
        }
    }
    std::optional<users::Credentials> credentials;
    if (users::check_name(name)) {
        const std::lock_guard lock(m_store_mutex);
        auto found = m_db.credentials(name);
        if (!found) {
            return failure(found.error());
        }
        credentials = std::move(*found);
    }
    // Verified outside the store lock: argon2id takes a while and others may read.
    const bool password_ok =
        users::verify_password(credentials ? credentials->password_hash : m_dummy_hash, password);
    const std::lock_guard lock(m_store_mutex);
    if (!credentials || !password_ok || credentials->user.disabled) {
        m_limiter.failed(name, request.client, now);
        // The typed name is not logged when it is no user's: it may be a password
        // typed into the wrong field.
        const std::string why = !credentials   ? "unknown user"
                                : !password_ok ? "wrong password"
                                               : "account disabled";
        auto audited =
            audit(credentials ? name : "unknown", "login_failed",
                  credentials ? "user:" + name : "user", why + ", from " + request.client);
        if (!audited) {
            return failure(audited.error());
        }
        return login_form(request, std::string(k_bad_login), 401);
    }
    const std::optional<Session> created =
        m_sessions.create(credentials->user.id, name, credentials->user.generation, now);
    if (!created) {
        // Full of other people's live sessions: none of them is ended for this one.
        return login_form(request, "För många är inloggade just nu. Försök igen om en stund.", 503);
    }
    auto audited = audit(name, "login", "user:" + name, "from " + request.client);
    if (!audited) {
        m_sessions.end(created->id);
        return failure(audited.error());
    }
    m_limiter.succeeded(name);
    const Session& session = *created;
    Response response = redirect(std::string(home_path(credentials->user.role)));
    response.headers.emplace_back("Set-Cookie", session_cookie(session.id, false));
    response.headers.emplace_back("Set-Cookie", std::string(k_login_cookie) +
                                                    "=; Path=/logga-in; Max-Age=0; HttpOnly; "
                                                    "SameSite=Strict" +
                                                    (m_options.secure_cookies ? "; Secure" : ""));
    return response;
}

Response ReviewApp::logout(const Context& context) {
    m_sessions.end(context.session.id);
    auto audited = audit(context.user.name, "logout", "user:" + context.user.name, "");
    if (!audited) {
        return failure(audited.error());
    }
    Response response = redirect("/logga-in?utloggad=1");
    response.headers.emplace_back("Set-Cookie", session_cookie("", true));
    return response;
}

Expected<void> ReviewApp::audit(std::string actor, std::string action, std::string object,
                                std::string detail) {
    return m_db.audit(
        AuditEntry{std::move(actor), std::move(action), std::move(object), std::move(detail)});
}

Response ReviewApp::page(const Context& context, std::string title, std::string body, Nav nav,
                         int status) const {
    Response response;
    response.status = status;
    response.body = render_page(Page{std::move(title), std::move(body), context.page_user, nav});
    return response;
}

Response ReviewApp::failure(const Error& error) const {
    spdlog::error("review server: {}", error.message);
    Response response;
    response.status = 500;
    response.body = render_page(
        Page{"Fel", message_body("Något gick fel", "Försök igen. Kontakta IT om felet består."),
             std::nullopt, Nav::none});
    return response;
}

std::string ReviewApp::session_cookie(std::string_view value, bool clear) const {
    return std::string(k_session_cookie) + "=" + std::string(value) +
           "; Path=/; HttpOnly; SameSite=Strict" + (m_options.secure_cookies ? "; Secure" : "") +
           (clear ? "; Max-Age=0" : "");
}

} // namespace dockscan::agent::web
