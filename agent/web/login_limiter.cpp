#include "agent/web/login_limiter.hpp"

#include <algorithm>

namespace dockscan::agent::web {

namespace {

// A typed name can be anything; only so much of it is kept as a key.
constexpr std::size_t k_max_key = 128;

std::string name_key(std::string_view name) {
    return "name:" + std::string(name.substr(0, k_max_key));
}

std::string address_key(std::string_view address) {
    return "addr:" + std::string(address.substr(0, k_max_key));
}

} // namespace

LoginLimiter::LoginLimiter(LimitPolicy per_name, LimitPolicy per_address, std::size_t max_entries)
    : m_per_name(per_name), m_per_address(per_address), m_max_entries(max_entries) {}

std::optional<std::chrono::seconds>
LoginLimiter::locked(std::string_view name, std::string_view address, Clock::time_point now) {
    const std::lock_guard lock(m_mutex);
    Clock::duration left{0};
    for (const std::string& key : {name_key(name), address_key(address)}) {
        if (const auto it = m_entries.find(key); it != m_entries.end()) {
            left = std::max(left, it->second.locked_until - now);
        }
    }
    if (left <= Clock::duration::zero()) {
        return std::nullopt;
    }
    // Rounded up, so that "0 seconds left" is never shown while still locked.
    return std::chrono::ceil<std::chrono::seconds>(left);
}

void LoginLimiter::failed(std::string_view name, std::string_view address, Clock::time_point now) {
    const std::lock_guard lock(m_mutex);
    make_room(now);
    fail_key(name_key(name), m_per_name, now);
    fail_key(address_key(address), m_per_address, now);
}

void LoginLimiter::succeeded(std::string_view name) {
    const std::lock_guard lock(m_mutex);
    if (const auto it = m_entries.find(name_key(name)); it != m_entries.end()) {
        m_entries.erase(it);
    }
}

void LoginLimiter::fail_key(const std::string& key, const LimitPolicy& policy,
                            Clock::time_point now) {
    Entry& entry = m_entries[key];
    if (entry.failures == 0 || now - entry.first_failure > policy.window) {
        entry.failures = 0;
        entry.first_failure = now;
    }
    entry.last_failure = now;
    if (++entry.failures >= policy.max_failures) {
        entry.locked_until = now + policy.lockout;
        entry.failures = 0;
    }
}

// Keeps the table bounded: entries neither locked nor counting go first, then the
// ones whose last failure is oldest, locks last. (A flood of made-up names can still
// push out a real name's count; it cannot lift a lock while there is anything else
// to drop.)
void LoginLimiter::make_room(Clock::time_point now) {
    if (m_entries.size() < m_max_entries) {
        return;
    }
    const auto window = std::max(m_per_name.window, m_per_address.window);
    std::erase_if(m_entries, [&](const auto& item) {
        return item.second.locked_until <= now && now - item.second.first_failure > window;
    });
    while (m_entries.size() >= m_max_entries) {
        const auto victim = std::min_element(
            m_entries.begin(), m_entries.end(), [now](const auto& a, const auto& b) {
                const bool a_locked = a.second.locked_until > now;
                const bool b_locked = b.second.locked_until > now;
                if (a_locked != b_locked) {
                    return !a_locked;
                }
                return a.second.last_failure < b.second.last_failure;
            });
        m_entries.erase(victim);
    }
}

} // namespace dockscan::agent::web
