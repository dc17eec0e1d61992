#pragma once

// Server-side sessions of the review UI: a random 256-bit id in an HttpOnly cookie,
// a CSRF token per session, an idle timeout and an absolute lifetime. Thread-safe.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace dockscan::agent::web {

using Clock = std::chrono::steady_clock;

struct SessionLimits {
    std::chrono::seconds idle{15 * 60};
    std::chrono::seconds absolute{8 * 60 * 60};
    std::size_t max_sessions = 1000;
    // One user's sessions at most (browsers, devices): a new login beyond it ends that
    // user's least recently used session, never anyone else's.
    std::size_t max_per_user = 10;
};

struct Session {
    std::string id;   // 64 hex digits
    std::string csrf; // 64 hex digits, in every form of the session
    std::int64_t user_id = 0;
    std::string user; // user name
    // The user's credentials generation at the login: a later password change or
    // disabling counts it up in the store, and the session has ended.
    std::int64_t generation = 0;
    Clock::time_point created;
    Clock::time_point last_seen;
};

enum class SessionState { active, missing, expired };

struct SessionLookup {
    SessionState state;
    std::optional<Session> session; // when active
};

class SessionStore {
public:
    explicit SessionStore(SessionLimits limits = {});

    // Starts a session for a user who has just logged in (always a new id, so that
    // an id set before the login is never promoted). Nothing when the table is full of
    // other users' live sessions: a login is refused rather than someone logged out.
    [[nodiscard]] std::optional<Session> create(std::int64_t user_id, std::string user,
                                                std::int64_t generation, Clock::time_point now);

    // The session with this id, marked as used now. An idle or too old session ends.
    [[nodiscard]] SessionLookup touch(std::string_view id, Clock::time_point now);

    // Ends a session (logout); unknown ids are ignored.
    void end(std::string_view id);

    // Ends every session of a user (disabled, password changed).
    void end_user(std::int64_t user_id);

    [[nodiscard]] std::size_t size() const;

private:
    [[nodiscard]] bool expired(const Session& session, Clock::time_point now) const;
    bool make_room(std::int64_t user_id, Clock::time_point now);

    SessionLimits m_limits;
    mutable std::mutex m_mutex;
    std::map<std::string, Session, std::less<>> m_sessions;
};

// True when the form's token is the session's (constant time).
[[nodiscard]] bool csrf_matches(const Session& session, std::string_view token);

} // namespace dockscan::agent::web
