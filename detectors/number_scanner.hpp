#pragma once

// Finds, by shape alone, where an identity number may be written in free text, and
// the other runs of digits around it (phone numbers, references, dates) that tell
// the context.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::detectors {

enum class Separator { none, hyphen, plus, space, dash };

struct NumberCandidate {
    std::size_t start; // UTF-8 byte offsets, end exclusive
    std::size_t end;
    // The number as parse_identity_number reads it: digits (and an interim letter)
    // with `-` or `+` in place of whatever separator was written.
    std::string canonical;
    Separator separator;
    bool twelve_digits;
    // Ten digits starting with 0 and an area-code digit, bare or spaced: how Swedish
    // phone numbers are written, and how children born 2001-2009 are.
    bool phone_shaped;
};

// Every place in `text` shaped like an identity number (6 or 8 date digits, an
// optional separator, 4 more), in order of position. A candidate is never part of a
// longer number or word: "12345120315-2383", "120315-2383-1" and "ab120315" give none.
[[nodiscard]] std::vector<NumberCandidate> find_number_candidates(std::string_view text);

struct DigitGroup {
    std::size_t start;
    std::size_t end;
    int digits;
    // Written like a phone number: +46/0046, or 0 and an area code with separators
    // (070-123 45 67, 08-123 456 78).
    bool phone_shaped;
};

// Runs of digits joined by single separators, as numbers are written: "070-123 45 67",
// "5050-1055", "2025-03-14". Spaces join only short runs, so that two numbers written
// side by side stay two groups. Only groups of five digits or more.
[[nodiscard]] std::vector<DigitGroup> find_digit_groups(std::string_view text);

} // namespace dockscan::detectors
