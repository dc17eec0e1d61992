#pragma once

// What a detector reports: a signal with its kind, confidence and place.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dockscan::detectors {

// Kinds are part of the `dockscan inspect --jsonl` contract; their names are fixed.
enum class Kind {
    personnummer,
    samordningsnummer,
    interimsnummer,
    full_name,
    health_term,
    document,
    screenshot,
    face,
    person,
    barcode,
    skin_closeup, // no longer produced (see image_detector.cpp); kept for stored findings
    group,        // two or more people in one photo
};

// The contract name of a kind ("personnummer", "full_name", ...).
[[nodiscard]] std::string_view to_string(Kind kind);

// A rectangle in image pixels.
struct Box {
    int x;
    int y;
    int width;
    int height;
};

struct Signal {
    Kind kind;
    double confidence; // 0..1
    // UTF-8 byte offsets of the match in the text, end exclusive (text signals).
    std::size_t start = 0;
    std::size_t end = 0;
    std::optional<Box> box; // image signals
    // Shown form: "YYMMDD-****" for identity numbers; empty where nothing is shown.
    std::string masked;
    // The normalised identity number ("YYYYMMDDNNNC"), kept in memory only so that the
    // agent can compute a keyed hash for matching. Never printed, logged or stored.
    std::string normalized;
    // The check digit did not match (reported at lower confidence after a keyword).
    bool check_digit_valid = true;
    // Why the detector reported this confidence, for a person reading the finding:
    // the written form, the checks, and the word list entry that decided ("tel", "pnr").
    // Never holds text from the item itself.
    std::string reason{};
    // How often the same number (same kind and normalized form) stands in the text when
    // the detector was asked to count repeats; the signal is the first of them.
    std::size_t occurrences = 1;
};

} // namespace dockscan::detectors
