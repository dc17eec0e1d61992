// Login rate limiting: guessing a supervisor's password must stall, and a colleague
// at the same workstation must not be locked out by someone else's typos.

#include "agent/web/login_limiter.hpp"

#include <catch2/catch.hpp>

using namespace dockscan::agent::web;
using namespace std::chrono_literals;

namespace {

const Clock::time_point k_t0 = Clock::time_point{} + 1000h;

void fail_times(LoginLimiter& limiter, int n, const std::string& name, const std::string& address,
                Clock::time_point at) {
    for (int i = 0; i < n; ++i) {
        limiter.failed(name, address, at);
    }
}

} // namespace

TEST_CASE("five failed logins lock the name for five minutes, from any address") {
    LoginLimiter limiter;
    fail_times(limiter, 4, "anna.berg", "10.0.0.5", k_t0);
    CHECK_FALSE(limiter.locked("anna.berg", "10.0.0.5", k_t0));
    limiter.failed("anna.berg", "10.0.0.6", k_t0 + 1min);

    const auto left = limiter.locked("anna.berg", "10.0.0.5", k_t0 + 1min);
    REQUIRE(left);
    CHECK(*left == 5min);
    CHECK(limiter.locked("anna.berg", "192.168.1.9", k_t0 + 5min));
    CHECK(limiter.locked("anna.berg", "10.0.0.5", k_t0 + 5min + 59s));
    CHECK_FALSE(limiter.locked("anna.berg", "10.0.0.5", k_t0 + 6min));
    // Another name from the same address may still log in.
    CHECK_FALSE(limiter.locked("bo.ek", "10.0.0.5", k_t0 + 2min));
}

TEST_CASE("an address is locked after 20 failures across names") {
    LoginLimiter limiter;
    for (int i = 0; i < 19; ++i) {
        limiter.failed("user" + std::to_string(i), "10.0.0.99", k_t0);
    }
    CHECK_FALSE(limiter.locked("someone", "10.0.0.99", k_t0));
    limiter.failed("user19", "10.0.0.99", k_t0);
    CHECK(limiter.locked("someone", "10.0.0.99", k_t0));
    CHECK_FALSE(limiter.locked("someone", "10.0.0.100", k_t0));
}

TEST_CASE("failures further apart than the window do not add up") {
    LoginLimiter limiter;
    auto t = k_t0;
    for (int i = 0; i < 10; ++i) {
        limiter.failed("anna.berg", "10.0.0.5", t);
        CHECK_FALSE(limiter.locked("anna.berg", "10.0.0.5", t));
        t += 16min;
    }
}

TEST_CASE("a successful login forgets the name's failures") {
    LoginLimiter limiter;
    fail_times(limiter, 4, "anna.berg", "10.0.0.5", k_t0);
    limiter.succeeded("anna.berg");
    fail_times(limiter, 4, "anna.berg", "10.0.0.5", k_t0);
    CHECK_FALSE(limiter.locked("anna.berg", "10.0.0.5", k_t0));
    limiter.failed("anna.berg", "10.0.0.5", k_t0);
    CHECK(limiter.locked("anna.berg", "10.0.0.5", k_t0));
}

TEST_CASE("a flood of made-up names neither grows the table nor stops the limiter") {
    LoginLimiter limiter(k_per_name, k_per_address, 100);
    for (int i = 0; i < 1000; ++i) {
        limiter.failed("guess" + std::to_string(i), "10.1." + std::to_string(i % 250) + ".1", k_t0);
    }
    fail_times(limiter, 5, "anna.berg", "10.0.0.5", k_t0 + 1s);
    CHECK(limiter.locked("anna.berg", "10.0.0.5", k_t0 + 1s));
    CHECK_FALSE(limiter.locked("bo.ek", "10.0.0.5", k_t0 + 1s));
    // A lock outlives a second flood.
    for (int i = 0; i < 1000; ++i) {
        limiter.failed("more" + std::to_string(i), "10.2.0.1", k_t0 + 2s);
    }
    CHECK(limiter.locked("anna.berg", "10.0.0.9", k_t0 + 3s));
}
