#include "agent/web/sessions.hpp"

#include "agent/web/random.hpp"

#include <algorithm>

namespace dockscan::agent::web {

namespace {

constexpr std::size_t k_token_bytes = 32; // 256 bits

} // namespace

SessionStore::SessionStore(SessionLimits limits) : m_limits(limits) {}

std::optional<Session> SessionStore::create(std::int64_t user_id, std::string user,
                                            std::int64_t generation, Clock::time_point now) {
    Session session{random_hex(k_token_bytes),
                    random_hex(k_token_bytes),
                    user_id,
                    std::move(user),
                    generation,
                    now,
                    now};
    const std::lock_guard lock(m_mutex);
    if (!make_room(user_id, now)) {
        return std::nullopt;
    }
    m_sessions[session.id] = session;
    return session;
}

SessionLookup SessionStore::touch(std::string_view id, Clock::time_point now) {
    const std::lock_guard lock(m_mutex);
    const auto it = m_sessions.find(id);
    if (it == m_sessions.end()) {
        return {SessionState::missing, std::nullopt};
    }
    if (expired(it->second, now)) {
        m_sessions.erase(it);
        return {SessionState::expired, std::nullopt};
    }
    it->second.last_seen = now;
    return {SessionState::active, it->second};
}

void SessionStore::end(std::string_view id) {
    const std::lock_guard lock(m_mutex);
    if (const auto it = m_sessions.find(id); it != m_sessions.end()) {
        m_sessions.erase(it);
    }
}

void SessionStore::end_user(std::int64_t user_id) {
    const std::lock_guard lock(m_mutex);
    std::erase_if(m_sessions,
                  [user_id](const auto& entry) { return entry.second.user_id == user_id; });
}

std::size_t SessionStore::size() const {
    const std::lock_guard lock(m_mutex);
    return m_sessions.size();
}

bool SessionStore::expired(const Session& session, Clock::time_point now) const {
    return now - session.last_seen >= m_limits.idle || now - session.created >= m_limits.absolute;
}

// Keeps the map bounded without ending another user's live session: expired sessions
// go first, then this user's least recently used beyond their own cap. False when the
// table is still full.
bool SessionStore::make_room(std::int64_t user_id, Clock::time_point now) {
    std::erase_if(m_sessions, [&](const auto& entry) { return expired(entry.second, now); });
    while (true) {
        auto oldest = m_sessions.end();
        std::size_t own = 0;
        for (auto it = m_sessions.begin(); it != m_sessions.end(); ++it) {
            if (it->second.user_id != user_id) {
                continue;
            }
            ++own;
            if (oldest == m_sessions.end() || it->second.last_seen < oldest->second.last_seen) {
                oldest = it;
            }
        }
        if (own < m_limits.max_per_user || oldest == m_sessions.end()) {
            break;
        }
        m_sessions.erase(oldest);
    }
    return m_sessions.size() < m_limits.max_sessions;
}

bool csrf_matches(const Session& session, std::string_view token) {
    return !token.empty() && constant_time_equal(session.csrf, token);
}

} // namespace dockscan::agent::web
