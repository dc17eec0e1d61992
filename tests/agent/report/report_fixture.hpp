#pragma once

// A store with a known quarter's worth of sekretesskontroll: four units in three
// areas, 23 phones (one registered to no unit), scans in 2026 Q2, Q3, Q4 and 2027 Q1
// (some exactly at the Swedish quarter boundaries), findings, decisions and controls.
// The expected numbers are worked out by hand in report_fixture.cpp, next to the data.

#include "agent/store/store.hpp"
#include "tests/support/temp_dir.hpp"

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::agent::report_test {

// Text that is in the store and must never reach a report: every fixture finding
// carries this masked number and excerpt, and its item this label.
inline constexpr std::string_view k_masked = "450411-****";
inline constexpr std::string_view k_excerpt = "Ring Karin L. om B.A. 450411-****";
inline constexpr std::string_view k_item_label = "SMS från Karin Lindqvist";

enum class Fill { known_quarter, nothing };

inline constexpr std::string_view k_decided_at = "2026-12-28T09:00:00Z";

class ReportStore {
public:
    // Creates the store in `dir` and, unless told otherwise, fills it with the fixture.
    explicit ReportStore(const testing::TempDir& dir, Fill fill = Fill::known_quarter);

    [[nodiscard]] Store& store() { return m_store; }
    [[nodiscard]] const std::filesystem::path& store_path() const { return m_store_path; }
    [[nodiscard]] const std::filesystem::path& key_path() const { return m_key_path; }

    std::int64_t unit(std::string_view name, std::string_view area);
    std::int64_t phone(std::string_view label, std::optional<std::int64_t> unit_id);
    // A scan of `phone_id` that started at `started_at` (UTC) with one finding per
    // category; returns the scan id, and the finding ids in `findings`.
    std::int64_t scan(std::int64_t phone_id, std::string_view started_at, ScanStatus status,
                      std::initializer_list<std::string_view> categories,
                      std::vector<std::int64_t>* findings = nullptr);
    // Decisions and controls are made at `at` (UTC); the fixture's default is late in
    // 2026 Q4, so that Q4's controls are completed within the quarter.
    void review(std::int64_t finding_id, std::string_view decision, std::string_view actions_json,
                std::string_view follow_up, std::string_view other_action = "",
                std::string_view at = k_decided_at);
    void control(std::int64_t scan_id, std::string_view result, std::string_view at = k_decided_at);

private:
    std::filesystem::path m_store_path;
    std::filesystem::path m_key_path;
    Store m_store;
    int m_items = 0;
};

// Runs `sql` on the store, failing the test on error.
void exec(Store& store, const std::string& sql);

} // namespace dockscan::agent::report_test
