// The sampling policy: every docking, or a per-unit quota per quarter that is met by
// the quarter's end and spread across it.

#include "agent/daemon/sampling.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <vector>

using namespace dockscan::agent::daemon;
using dockscan::agent::dockings::UnitQuarter;
using dockscan::base::Date;

TEST_CASE("quarters of the calendar", "[daemon][sampling]") {
    struct Case {
        Date today;
        Date first;
        int days;
        int left;
    };
    const auto c = GENERATE(
        Case{{2026, 1, 1}, {2026, 1, 1}, 90, 90}, Case{{2028, 2, 29}, {2028, 1, 1}, 91, 32},
        Case{{2026, 6, 30}, {2026, 4, 1}, 91, 1}, Case{{2026, 11, 22}, {2026, 10, 1}, 92, 40},
        Case{{2026, 12, 31}, {2026, 10, 1}, 92, 1});
    const Quarter q = quarter_of(c.today);
    CHECK(q.first_day == c.first);
    CHECK(q.days == c.days);
    CHECK(q.days_left == c.left);
    CHECK(quarter_start_iso(q).substr(0, 10) == std::to_string(c.first.year) +
                                                    (c.first.month < 10 ? "-0" : "-") +
                                                    std::to_string(c.first.month) + "-01");
}

TEST_CASE("every_docking controls every docking", "[daemon][sampling]") {
    Sampler sampler(SamplingConfig{SamplingMode::every_docking, 0.2, 1});
    for (int i = 0; i < 20; ++i) {
        CHECK(sampler.decide(UnitQuarter{10, 10, true}, 50) == Decision::control);
    }
}

TEST_CASE("the quota's chance of a control", "[daemon][sampling]") {
    const SamplingConfig quota{SamplingMode::quota, 0.2, 1};
    // A phone controlled already this quarter is not controlled again.
    CHECK(control_probability(quota, {10, 0, true}, 60) == 0.0);
    // The unit met its quota (2 of 10): no more controls needed.
    CHECK(control_probability(quota, {10, 2, false}, 60) == 0.0);
    // A unit with 3 phones needs one control (20 % rounded up).
    CHECK(control_probability(quota, {3, 0, false}, 60) > 0.0);
    CHECK(control_probability(quota, {3, 1, false}, 60) == 0.0);
    // The last two weeks: every unchecked phone until the quota is met.
    CHECK(control_probability(quota, {10, 1, false}, k_final_days) == 1.0);
    CHECK(control_probability(quota, {10, 1, false}, 1) == 1.0);
    // The chance rises as the quarter runs out.
    const double early = control_probability(quota, {10, 0, false}, 90);
    const double later = control_probability(quota, {10, 0, false}, 40);
    CHECK(early > 0.0);
    CHECK(early < later);
    CHECK(later < 1.0);
    // No phones registered: nothing to control.
    CHECK(control_probability(quota, {0, 0, false}, 40) == 0.0);
}

namespace {

// A quarter of a unit whose phones dock every working day: the days on which each
// phone got its control, or -1.
std::vector<int> simulate_quarter(std::uint64_t seed, int phones, double share) {
    Sampler sampler(SamplingConfig{SamplingMode::quota, share, seed});
    std::vector<int> controlled_on(static_cast<std::size_t>(phones), -1);
    const int days = 91;
    for (int day = 0; day < days; ++day) {
        if (day % 7 >= 5) {
            continue; // the weekend
        }
        std::int64_t controlled = 0;
        for (int when : controlled_on) {
            controlled += when >= 0 ? 1 : 0;
        }
        for (int p = 0; p < phones; ++p) {
            auto& when = controlled_on[static_cast<std::size_t>(p)];
            const UnitQuarter state{phones, controlled, when >= 0};
            if (sampler.decide(state, days - day) == Decision::control) {
                when = day;
                ++controlled;
            }
        }
    }
    return controlled_on;
}

} // namespace

TEST_CASE("the quota is met every quarter, and spread across it", "[daemon][sampling]") {
    std::set<int> first_days;
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
        const auto days = simulate_quarter(seed, 34, 0.20);
        int controlled = 0;
        int first = 1000;
        for (int d : days) {
            if (d >= 0) {
                ++controlled;
                first = std::min(first, d);
            }
        }
        INFO("seed " << seed);
        // At least 20 % of 34 phones: 7.
        CHECK(controlled >= 7);
        // And not beyond it: the rest of the unit is not controlled for nothing.
        CHECK(controlled <= 7);
        first_days.insert(first);
    }
    // The first control falls on different days from quarter to quarter.
    CHECK(first_days.size() > 5);
}

TEST_CASE("a seeded sampler draws the same decisions", "[daemon][sampling]") {
    CHECK(simulate_quarter(99, 20, 0.2) == simulate_quarter(99, 20, 0.2));
    CHECK(simulate_quarter(99, 20, 0.2) != simulate_quarter(100, 20, 0.2));
}
