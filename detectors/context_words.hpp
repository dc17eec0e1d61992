#pragma once

// The words around a number that say what it is: an identity number ("personnummer",
// "pnr", "född"), a phone number ("ring", "mobil", "nummer") or some other number
// ("OCR", "kundnummer", "portkod").

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::detectors {

enum class Cue { none, identity, phone, other_number };

// A cue and the entry of the word list that matched: a fixed string, never text from
// the message, so that it can be shown in a finding's reason ("tel", "ocr", "pnr").
struct CueMatch {
    Cue cue = Cue::none;
    std::string_view stem;
};

// What a word says about a number beside it. `key` is the word lower-cased with
// `-`, `.` and `:` taken out ("P-nr" -> "pnr", "Pers.nr" -> "persnr").
[[nodiscard]] CueMatch match_cue(std::string_view key);
[[nodiscard]] Cue classify_word(std::string_view key);

// Words that may stand between a number and the word that names it without breaking
// the link: "ring mig på 0701234567", "0701234567 är hans nummer", "pnr är ...".
[[nodiscard]] bool is_linking_word(std::string_view key);

struct Word {
    std::size_t start; // byte offsets in the text
    std::size_t end;
    std::string key;
    Cue cue;
    std::string_view stem; // the word-list entry that gave `cue`; empty for Cue::none
};

// The words in text[from, to), each classified; "pers nr" and "tel nr" are read as one
// word. `from` may fall inside a UTF-8 sequence or a word: the partial word is skipped.
[[nodiscard]] std::vector<Word> read_words(std::string_view text, std::size_t from, std::size_t to);

} // namespace dockscan::detectors
