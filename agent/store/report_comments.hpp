#pragma once

// The quality lead's comment per unit and report period: the analysis the report is
// sent to the nämnd with. Append-only (report_comments); the newest row counts, so
// an earlier wording stays on record.

#include "agent/error.hpp"
#include "agent/store/store.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::agent::report_comments {

struct Comment {
    std::int64_t unit_id{};
    std::string unit;
    std::string text;
    std::string author;
    std::string written_at; // UTC, store form
};

inline constexpr std::size_t k_max_comment = 4000; // bytes: a few paragraphs

// The newest comment of every unit for `period` ("2026Q4", "2026-delar", "2026"),
// by unit name; units whose newest comment is empty are left out.
[[nodiscard]] Expected<std::vector<Comment>> for_period(Store& store, std::string_view period);

// Sets the comment of unit `unit` (by name) for `period`; an empty text clears it.
// ErrorCode::config for an unknown unit, ErrorCode::usage for a text over
// k_max_comment bytes or not valid UTF-8.
[[nodiscard]] Expected<void> set(Store& store, std::string_view unit, std::string_view period,
                                 std::string_view text, std::string_view author);

} // namespace dockscan::agent::report_comments
