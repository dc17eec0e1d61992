#pragma once

// Login rate limiting: after too many failed logins for one user name or from one
// address, logins are refused for a while, whatever the password. Thread-safe.

#include "agent/web/sessions.hpp"

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace dockscan::agent::web {

struct LimitPolicy {
    int max_failures;             // failures within `window` that lock
    std::chrono::seconds window;  // failures older than this are forgotten
    std::chrono::seconds lockout; // how long a lock lasts
};

// Five failures for one name lock that name for five minutes. An address gets more
// room: staff share workstations and a municipality's network may show many people
// behind one address.
inline constexpr LimitPolicy k_per_name{5, std::chrono::minutes(15), std::chrono::minutes(5)};
inline constexpr LimitPolicy k_per_address{20, std::chrono::minutes(15), std::chrono::minutes(5)};

class LoginLimiter {
public:
    explicit LoginLimiter(LimitPolicy per_name = k_per_name,
                          LimitPolicy per_address = k_per_address, std::size_t max_entries = 10000);

    // How long logins for this name or from this address stay refused, or nothing
    // when a login may be tried.
    [[nodiscard]] std::optional<std::chrono::seconds>
    locked(std::string_view name, std::string_view address, Clock::time_point now);

    // Records a failed login.
    void failed(std::string_view name, std::string_view address, Clock::time_point now);

    // A successful login forgets the name's failures (not the address's: one right
    // password must not reset a guessing run against other names).
    void succeeded(std::string_view name);

private:
    struct Entry {
        int failures = 0;
        Clock::time_point first_failure;
        Clock::time_point last_failure;
        Clock::time_point locked_until;
    };

    void fail_key(const std::string& key, const LimitPolicy& policy, Clock::time_point now);
    void make_room(Clock::time_point now);

    LimitPolicy m_per_name;
    LimitPolicy m_per_address;
    std::size_t m_max_entries;
    std::mutex m_mutex;
    std::map<std::string, Entry, std::less<>> m_entries;
};

} // namespace dockscan::agent::web
