#pragma once

// The demo phone: a folder copy of a work phone in hemtjänst with the kinds of client
// data the seed reports found, and the look-alikes that must not be flagged.
// Identity numbers are Skatteverket's published test numbers.

#include "agent/error.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace dockscan::agent {

// Writes the demo phone into `folder` (created; must not exist yet).
[[nodiscard]] Expected<void> write_demo_phone(const std::filesystem::path& folder);

// The demo phone's photo of a printed medication list lying on a table (a JPEG of
// 1600x1200, drawn with cairo and pango): OCR reads the patient's personnummer on it.
[[nodiscard]] Expected<std::string> demo_medication_list_photo();

// A PNG of a soft colour gradient, the size of a small photo (drawn with cairo).
[[nodiscard]] std::string demo_gradient_png(int width, int height, std::uint8_t tint);

// The identity numbers written into the demo phone (12 digits), so a test can check
// that every one is a published test number and that each is found.
[[nodiscard]] std::vector<std::string> demo_identity_numbers();

} // namespace dockscan::agent
