#include "agent/web/sessions.hpp"

#include "agent/web/random.hpp"

#include <algorithm>

namespace dockscan::agent::web {

namespace {

constexpr std::size_t k_token_bytes = 32; // 256 bits

} // namespace

SessionStore::SessionStore(SessionLimits limits) : m_limits(limits) {}

Session SessionStore::create(std::int64_t user_id, std::string user, std::int64_t generation,
                             Clock::time_point now) {
    Session session{random_hex(k_token_bytes),
                    random_hex(k_token_bytes),
                    user_id,
                    std::move(user),
                    generation,
                    now,
                    now};
    const std::lock_guard lock(m_mutex);
    make_room(now);
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

// Keeps the map bounded: expired sessions go first, then the least recently used.
void SessionStore::make_room(Clock::time_point now) {
    if (m_sessions.size() < m_limits.max_sessions) {
        return;
    }
    std::erase_if(m_sessions, [&](const auto& entry) { return expired(entry.second, now); });
    while (!m_sessions.empty() && m_sessions.size() >= m_limits.max_sessions) {
        const auto oldest = std::min_element(
            m_sessions.begin(), m_sessions.end(),
            [](const auto& a, const auto& b) { return a.second.last_seen < b.second.last_seen; });
        m_sessions.erase(oldest);
    }
}

bool csrf_matches(const Session& session, std::string_view token) {
    return !token.empty() && constant_time_equal(session.csrf, token);
}

} // namespace dockscan::agent::web
