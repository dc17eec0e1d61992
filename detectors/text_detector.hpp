#pragma once

// Finds identity numbers (and, later, names and health terms) in free text:
// SMS bodies, notes, contact fields, OCR output.

#include "base/time.hpp"
#include "detectors/signal.hpp"

#include <string_view>
#include <vector>

namespace dockscan::detectors {

struct TextOptions {
    // Signals below this confidence are not reported.
    double min_confidence = 0.5;
    // The date that decides the century of 10-digit numbers.
    base::Date today = base::today_utc();
};

// All identity numbers in `text` (UTF-8), in order of position. A match is never
// part of a longer run of digits; keywords nearby raise confidence, phone context
// lowers it.
[[nodiscard]] std::vector<Signal> find_identity_numbers(std::string_view text,
                                                        const TextOptions& options = {});

// Every text detector over `text`, in order of position.
[[nodiscard]] std::vector<Signal> scan_text(std::string_view text, const TextOptions& options = {});

} // namespace dockscan::detectors
