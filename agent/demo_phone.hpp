#pragma once

// The demo phone: a folder copy of a work phone in hemtjänst with the kinds of client
// data the seed reports found, and the look-alikes that must not be flagged.
// Identity numbers are Skatteverket's published test numbers.

#include <filesystem>
#include <string>
#include <vector>

#include "agent/error.hpp"

namespace dockscan::agent {

// Writes the demo phone into `folder` (created; must not exist yet).
[[nodiscard]] Expected<void> write_demo_phone(const std::filesystem::path& folder);

// The identity numbers written into the demo phone (12 digits), so a test can check
// that every one is a published test number and that each is found.
[[nodiscard]] std::vector<std::string> demo_identity_numbers();

} // namespace dockscan::agent
