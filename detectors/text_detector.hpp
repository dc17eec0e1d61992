#pragma once

// Finds identity numbers (and, later, names and health terms) in free text:
// SMS bodies, notes, contact fields, OCR output.

#include "base/time.hpp"
#include "detectors/signal.hpp"

#include <string_view>
#include <vector>

namespace dockscan::detectors {

// Where the text comes from. OCR joins columns and table cells into one line, so a
// label read beside a number may belong to it even when the number's form alone would
// decide in typed text.
enum class TextSource { typed, ocr };

// Whether a number written many times in one text gives one signal per place or one
// signal with a count (Signal::occurrences).
enum class Repeats { each, counted };

struct TextOptions {
    // Signals below this confidence are not reported.
    double min_confidence = 0.5;
    // The date that decides the century of 10-digit numbers.
    base::Date today = base::today_utc();
    TextSource source = TextSource::typed;
    Repeats repeats = Repeats::each;
};

// All identity numbers in `text` (UTF-8), in order of position. A match is never part
// of a longer run of digits. A number written as identity numbers are and nothing else
// is (twelve digits with century, or a `-`/`+`/dash after the date) with a real date
// and check digit is reported whatever words stand near it; for the forms other numbers
// share (ten bare digits, spaced groups) the words that name the number decide. Each
// signal's `reason` says which rule decided. With min_confidence 0, numbers that were
// judged not to be identity numbers are returned too, with the reason why not.
[[nodiscard]] std::vector<Signal> find_identity_numbers(std::string_view text,
                                                        const TextOptions& options = {});

// Every text detector over `text`, in order of position.
[[nodiscard]] std::vector<Signal> scan_text(std::string_view text, const TextOptions& options = {});

} // namespace dockscan::detectors
