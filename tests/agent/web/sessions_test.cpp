// Sessions and CSRF tokens of the review UI: what a logged-in supervisor would notice
// (being logged out too early or never) and what an attacker would use.

#include "agent/web/sessions.hpp"

#include <catch2/catch.hpp>
#include <set>

using namespace dockscan::agent::web;
using namespace std::chrono_literals;

namespace {

const Clock::time_point k_t0 = Clock::time_point{} + 1000h;

bool is_hex(const std::string& text) {
    return text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

} // namespace

TEST_CASE("a session id and its CSRF token are 256 random bits, new for every login") {
    SessionStore sessions;
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        const Session s = *sessions.create(i, "user" + std::to_string(i), 0, k_t0);
        CHECK(s.id.size() == 64);
        CHECK(s.csrf.size() == 64);
        CHECK(is_hex(s.id));
        CHECK(is_hex(s.csrf));
        CHECK(s.id != s.csrf);
        CHECK(seen.insert(s.id).second);
        CHECK(seen.insert(s.csrf).second);
    }
    CHECK(sessions.size() == 50);
}

TEST_CASE("a session ends after 15 idle minutes, and use keeps it alive") {
    SessionStore sessions;
    const Session s = *sessions.create(7, "anna.berg", 0, k_t0);

    auto found = sessions.touch(s.id, k_t0 + 14min);
    REQUIRE(found.state == SessionState::active);
    CHECK(found.session->user == "anna.berg");
    CHECK(found.session->user_id == 7);
    // 14 minutes after the last use, not after the login.
    CHECK(sessions.touch(s.id, k_t0 + 28min).state == SessionState::active);
    CHECK(sessions.touch(s.id, k_t0 + 28min + 15min).state == SessionState::expired);
    // Gone for good, not only refused once.
    CHECK(sessions.touch(s.id, k_t0 + 28min + 15min).state == SessionState::missing);
    CHECK(sessions.size() == 0);
}

TEST_CASE("a session ends after 8 hours even when it is used all the time") {
    SessionStore sessions;
    const Session s = *sessions.create(1, "anna.berg", 0, k_t0);
    auto t = k_t0;
    while (t < k_t0 + 8h - 10min) {
        t += 10min;
        REQUIRE(sessions.touch(s.id, t).state == SessionState::active);
    }
    CHECK(sessions.touch(s.id, k_t0 + 8h).state == SessionState::expired);
}

TEST_CASE("an unknown, empty or guessed session id finds nothing") {
    SessionStore sessions;
    const Session s = *sessions.create(1, "anna.berg", 0, k_t0);
    CHECK(sessions.touch("", k_t0).state == SessionState::missing);
    CHECK(sessions.touch(s.csrf, k_t0).state == SessionState::missing);
    CHECK(sessions.touch(s.id.substr(0, 63), k_t0).state == SessionState::missing);
    CHECK(sessions.touch(s.id + "0", k_t0).state == SessionState::missing);
    CHECK(sessions.touch(s.id, k_t0).state == SessionState::active);
}

TEST_CASE("logout ends one session, disabling a user ends all of theirs") {
    SessionStore sessions;
    const Session a1 = *sessions.create(1, "anna.berg", 0, k_t0);
    const Session a2 = *sessions.create(1, "anna.berg", 0, k_t0);
    const Session b = *sessions.create(2, "bo.ek", 0, k_t0);
    sessions.end(a1.id);
    CHECK(sessions.touch(a1.id, k_t0).state == SessionState::missing);
    CHECK(sessions.touch(a2.id, k_t0).state == SessionState::active);
    sessions.end("no-such-session");
    sessions.end_user(1);
    CHECK(sessions.touch(a2.id, k_t0).state == SessionState::missing);
    CHECK(sessions.touch(b.id, k_t0).state == SessionState::active);
}

TEST_CASE("one user's logins never end another user's session") {
    // 1,001 logins of one user used to fill the global table and log out everyone else.
    SessionStore sessions(SessionLimits{15min, 8h, 1000, 10});
    const Session other = *sessions.create(2, "b", 0, k_t0);
    std::vector<Session> mine;
    for (int i = 0; i < 1001; ++i) {
        mine.push_back(*sessions.create(1, "a", 0, k_t0 + std::chrono::milliseconds(i)));
    }
    CHECK(sessions.size() == 11);
    const auto later = k_t0 + 2s;
    CHECK(sessions.touch(other.id, later).state == SessionState::active);
    // The user keeps their ten newest sessions; older ones ended, oldest first.
    CHECK(sessions.touch(mine.back().id, later).state == SessionState::active);
    CHECK(sessions.touch(mine[991].id, later).state == SessionState::active);
    CHECK(sessions.touch(mine[990].id, later).state == SessionState::missing);
    CHECK(sessions.touch(mine.front().id, later).state == SessionState::missing);
}

TEST_CASE("a full table refuses a new login instead of ending someone's session") {
    SessionStore sessions(SessionLimits{15min, 8h, 3, 10});
    const Session first = *sessions.create(1, "a", 0, k_t0);
    const Session second = *sessions.create(2, "b", 0, k_t0 + 1min);
    const Session third = *sessions.create(3, "c", 0, k_t0 + 2min);
    CHECK_FALSE(sessions.create(4, "d", 0, k_t0 + 3min));
    CHECK(sessions.size() == 3);
    for (const Session* s : {&first, &second, &third}) {
        CHECK(sessions.touch(s->id, k_t0 + 4min).state == SessionState::active);
    }
    // Expired sessions make room.
    REQUIRE(sessions.touch(first.id, k_t0 + 4min).state == SessionState::active);
    REQUIRE(sessions.touch(second.id, k_t0 + 10min).state == SessionState::active);
    REQUIRE(sessions.touch(third.id, k_t0 + 10min).state == SessionState::active);
    const auto much_later = k_t0 + 4min + 16min; // the first idle for 16 minutes
    const auto fourth = sessions.create(4, "d", 0, much_later);
    REQUIRE(fourth);
    CHECK(sessions.touch(first.id, much_later).state == SessionState::missing);
    CHECK(sessions.touch(second.id, much_later).state == SessionState::active);
}

TEST_CASE("a form's CSRF token must be its own session's") {
    SessionStore sessions;
    const Session mine = *sessions.create(1, "anna.berg", 0, k_t0);
    const Session other = *sessions.create(2, "bo.ek", 0, k_t0);
    CHECK(csrf_matches(mine, mine.csrf));
    CHECK_FALSE(csrf_matches(mine, other.csrf));
    CHECK_FALSE(csrf_matches(mine, ""));
    CHECK_FALSE(csrf_matches(mine, mine.csrf.substr(1)));
    CHECK_FALSE(csrf_matches(mine, mine.id));
    std::string flipped = mine.csrf;
    flipped.back() = flipped.back() == '0' ? '1' : '0';
    CHECK_FALSE(csrf_matches(mine, flipped));
}
