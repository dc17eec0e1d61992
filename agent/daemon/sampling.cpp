#include "agent/daemon/sampling.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace dockscan::agent::daemon {
namespace {

// Phones dock on about five days of seven; with a margin of two on top, the quota is
// reached well before the last weeks in most quarters, and the final weeks catch the rest.
constexpr double k_docking_days_share = 5.0 / 7.0;
constexpr double k_margin = 2.0;

std::chrono::sys_days to_days(base::Date d) {
    return std::chrono::sys_days(std::chrono::year{d.year} /
                                 std::chrono::month{static_cast<unsigned>(d.month)} /
                                 std::chrono::day{static_cast<unsigned>(d.day)});
}

} // namespace

Quarter quarter_of(base::Date today) {
    const int first_month = ((today.month - 1) / 3) * 3 + 1;
    const base::Date first{today.year, first_month, 1};
    const base::Date next = first_month == 10 ? base::Date{today.year + 1, 1, 1}
                                              : base::Date{today.year, first_month + 3, 1};
    Quarter q;
    q.first_day = first;
    q.days = static_cast<int>((to_days(next) - to_days(first)).count());
    q.days_left = static_cast<int>((to_days(next) - to_days(today)).count());
    return q;
}

std::string quarter_start_iso(const Quarter& quarter) {
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT00:00:00Z", quarter.first_day.year,
                  quarter.first_day.month, quarter.first_day.day);
    return text;
}

double control_probability(const SamplingConfig& config, const dockings::UnitQuarter& state,
                           int days_left) {
    if (config.mode == SamplingMode::every_docking) {
        return 1.0;
    }
    if (state.phone_controlled || state.registered <= 0) {
        return 0.0;
    }
    const auto target = std::max<std::int64_t>(
        1, static_cast<std::int64_t>(
               std::ceil(config.share * static_cast<double>(state.registered) - 1e-9)));
    const std::int64_t remaining = target - state.controlled;
    if (remaining <= 0) {
        return 0.0;
    }
    if (days_left <= k_final_days) {
        return 1.0;
    }
    // This phone is unchecked, so there is at least one.
    const auto unchecked = std::max<std::int64_t>(1, state.registered - state.controlled);
    const double dockings_left = static_cast<double>(unchecked) *
                                 static_cast<double>(days_left - k_final_days) *
                                 k_docking_days_share;
    return std::min(1.0, k_margin * static_cast<double>(remaining) / dockings_left);
}

Sampler::Sampler(SamplingConfig config)
    : m_config(config), m_random(config.seed ? *config.seed : std::random_device{}()) {}

Decision Sampler::decide(const dockings::UnitQuarter& state, int days_left) {
    const double p = control_probability(m_config, state, days_left);
    if (p >= 1.0) {
        return Decision::control;
    }
    if (p <= 0.0) {
        return Decision::not_sampled;
    }
    std::lock_guard lock(m_mutex);
    // 53 random bits as a fraction: the same on every standard library, unlike
    // std::uniform_real_distribution, so a seeded test is portable.
    const double draw = static_cast<double>(m_random() >> 11u) * 0x1.0p-53;
    return draw < p ? Decision::control : Decision::not_sampled;
}

} // namespace dockscan::agent::daemon
