#pragma once

// The sampling policy: whether a docked, registered phone gets a full control now.
// `every_docking` controls every time. `quota` guarantees that at least `share` of each
// unit's registered phones get a complete control each quarter, and spreads those
// controls at random across the quarter: the chance of a control rises as the
// quarter's remaining days shrink against the unit's remaining quota, and in the last
// two weeks every phone still unchecked is controlled until the quota is met.

#include "agent/daemon/config.hpp"
#include "agent/store/dockings.hpp"
#include "base/time.hpp"

#include <cstdint>
#include <mutex>
#include <random>

namespace dockscan::agent::daemon {

struct Quarter {
    base::Date first_day;
    int days = 0;      // days in the quarter
    int days_left = 0; // days left, today included (1 on the last day)
};

// The calendar quarter `today` falls in.
[[nodiscard]] Quarter quarter_of(base::Date today);

// The quarter's first instant in the store's form ("2026-10-01T00:00:00Z").
[[nodiscard]] std::string quarter_start_iso(const Quarter& quarter);

// In the last this many days, every unchecked phone is controlled until the quota is met.
inline constexpr int k_final_days = 14;

// The chance (0..1) that a phone of a unit in `state` is controlled today.
[[nodiscard]] double control_probability(const SamplingConfig& config,
                                         const dockings::UnitQuarter& state, int days_left);

enum class Decision { control, not_sampled };

// Draws decisions; deterministic for a given seed. Thread-safe.
class Sampler {
public:
    explicit Sampler(SamplingConfig config);

    [[nodiscard]] Decision decide(const dockings::UnitQuarter& state, int days_left);
    [[nodiscard]] const SamplingConfig& config() const { return m_config; }

private:
    SamplingConfig m_config;
    std::mutex m_mutex;
    std::mt19937_64 m_random;
};

} // namespace dockscan::agent::daemon
