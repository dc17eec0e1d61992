#pragma once

// What the words around a number in free text say it is: the word that names it
// ("tel 0701234567", "OCR 8212045036", "... är hans personnummer"), an identity word
// nearby, or the list it stands in.

#include "detectors/context_words.hpp"

#include <cstddef>
#include <string_view>

namespace dockscan::detectors {

// How a number's meaning was decided.
enum class By { nothing, naming_word, nearby_identity_word, list };

struct Meaning {
    Cue cue = Cue::none;
    By by = By::nothing;
    std::string_view stem; // the word-list entry that decided, for a finding's reason
};

// A number-like place in the text: UTF-8 byte offsets, end exclusive.
struct Place {
    std::size_t start;
    std::size_t end;
    // Ten digits starting with 0 and an area code: a phone word can name only these.
    bool dialable;
};

// The meaning the words around `place` give it, reading back to `previous_end` and
// on to `next_start` (the numbers beside it, whose own words those are): first a word
// that names the number (the first word other than a linking word within three words
// before it in its sentence, or a number word right after it in its clause), then an
// identity word anywhere in the 80 characters before it or close after it. Words of
// other kinds further away are not the number's: "Ring sjuksköterskan om 19980101-6685".
[[nodiscard]] Meaning read_meaning(std::string_view text, const Place& place,
                                   std::size_t previous_end, std::size_t next_start);

enum class ListOf { identity_numbers, phone_numbers };

// True when text[from, to) between two numbers continues a list: at most a name or a
// joining word ("Alva 120315-2382, Nils 0701012395", "070-123 45 67 eller 0701012395"),
// no sentence end, not a clause ("... har möte med kuratorn 20241027 1020").
[[nodiscard]] bool continues_list(std::string_view text, std::size_t from, std::size_t to,
                                  ListOf list);

} // namespace dockscan::detectors
