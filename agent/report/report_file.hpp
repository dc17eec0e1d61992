#pragma once

// Writes a rendered report to its file.

#include "agent/error.hpp"

#include <filesystem>
#include <string_view>

namespace dockscan::agent::reports {

// Writes `bytes` to `path` through a temporary file in the same folder and a rename,
// so that a reader never sees half a report and a failed run leaves the old one.
// ErrorCode::input when the folder cannot be written.
[[nodiscard]] Expected<void> write_report_file(const std::filesystem::path& path,
                                               std::string_view bytes);

} // namespace dockscan::agent::reports
