#include "detectors/number_context.hpp"

#include <algorithm>
#include <optional>
#include <vector>

namespace dockscan::detectors {
namespace {

// How far an identity word is looked for. Keywords are written before the number
// ("pnr för Alva: 120315-2383") far more often than after it, so the window before is
// longer; after a number only a word close by describes it ("... är hans personnummer").
constexpr std::size_t k_window_before = 80;
constexpr std::size_t k_window_after = 25;
// A word names a number when at most this many words stand between it and the number,
// in the same sentence: "tel 0701234567", "ring mig på 0701234567", "0701234567 är mitt
// nummer". A word further away belongs to the sentence, not to the number: "Ring
// sjuksköterskan om 19980101-6685, provsvaren har kommit".
constexpr std::size_t k_naming_words = 3;
// A number in a list takes the meaning of the one before it when no word of its own
// says otherwise: identity numbers in a list of clients ("Alva 120315-2382, Nils
// 0701012395") and phone numbers side by side ("070-123 45 67 eller 0701012395").
constexpr std::size_t k_identity_list_gap = 30;
constexpr std::size_t k_phone_list_gap = 12;
constexpr std::size_t k_list_gap_words = 2;

bool ends_sentence(std::string_view text, std::size_t i) {
    const char c = text[i];
    if (c == '\n' || c == '!' || c == '?') {
        return true;
    }
    return c == '.' && (i + 1 >= text.size() || text[i + 1] == ' ' || text[i + 1] == '\n');
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool names_a_number(std::string_view key) {
    return key.ends_with("nummer") || key.ends_with("numret") || key.ends_with("nr");
}

// True when a number follows `from` with only spaces and punctuation before it: a word
// there is that number's label ("tel 070-...", "OCR: 8212..."), not the one before.
bool labels_a_following_number(std::string_view text, std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
        const char c = text[i];
        if (is_digit(c)) {
            return true;
        }
        if (c != ' ' && c != ':' && c != '.' && c != '(' && c != '+' && c != '#') {
            return false;
        }
    }
    return false;
}

// The word that names the number: the first word other than a linking word ("på",
// "är", "mitt"), looking away from the number, within a few words and without a
// digit, sentence end or comma in between. Empty when that word is no cue.
// A phone word names only a number that can be dialled: ten digits starting with 0
// and an area code. "Nummer 4501103297" is no phone number.
template <typename It>
std::optional<Meaning> naming_word(It first, It last, bool dialable) {
    std::size_t seen = 0;
    for (It it = first; it != last && seen < k_naming_words; ++it, ++seen) {
        if (it->cue == Cue::phone && !dialable) {
            break;
        }
        if (it->cue != Cue::none) {
            return Meaning{it->cue, By::naming_word, it->stem};
        }
        if (!is_linking_word(it->key)) {
            break;
        }
    }
    return std::nullopt;
}

} // namespace

Meaning read_meaning(std::string_view text, const Place& item, std::size_t previous_end,
                     std::size_t next_start) {
    const bool dialable = item.dialable;
    const std::size_t before_from =
        std::max(previous_end, item.start > k_window_before ? item.start - k_window_before : 0);
    // Naming words before the number: back to a sentence end or any digit.
    std::size_t naming_from = before_from;
    for (std::size_t i = item.start; i-- > before_from;) {
        if (ends_sentence(text, i) || is_digit(text[i])) {
            naming_from = i + 1;
            break;
        }
    }
    // After the number: its own clause only, up to any digit.
    std::size_t after_to = std::min({next_start, item.end + k_window_after, text.size()});
    for (std::size_t i = item.end; i < after_to; ++i) {
        if (ends_sentence(text, i) || text[i] == ',' || text[i] == ';' || is_digit(text[i])) {
            after_to = i;
            break;
        }
    }

    const std::vector<Word> before = read_words(text, before_from, item.start);
    std::vector<Word> after = read_words(text, item.end, after_to);
    // A word after the number that is the label of a number after it is not this one's.
    for (std::size_t k = 0; k < after.size(); ++k) {
        if (after[k].cue != Cue::none &&
            labels_a_following_number(text, after[k].end, std::min(next_start, text.size()))) {
            after.resize(k);
            break;
        }
    }

    std::vector<Word> naming_before;
    for (const Word& word : before) {
        if (word.start >= naming_from) {
            naming_before.push_back(word);
        }
    }
    if (auto named = naming_word(naming_before.rbegin(), naming_before.rend(), dialable)) {
        return *named;
    }
    // After a number, a word for a thing counts it ("1200 paket", "350 kr") rather than
    // naming it: only words for a number name one from behind ("... är mitt nummer",
    // "... (mobil)", "... är hans personnummer").
    for (Word& word : after) {
        if (word.cue == Cue::other_number && !names_a_number(word.key)) {
            word.cue = Cue::none;
        }
    }
    if (auto named = naming_word(after.begin(), after.end(), dialable)) {
        return *named;
    }
    // An identity word further back ("Personnummer till Alvas remiss: ...").
    for (auto it = before.rbegin(); it != before.rend(); ++it) {
        if (it->cue == Cue::identity) {
            return {Cue::identity, By::nearby_identity_word, it->stem};
        }
    }
    for (const Word& word : after) {
        if (word.cue == Cue::identity) {
            return {Cue::identity, By::nearby_identity_word, word.stem};
        }
    }
    return {};
}

bool continues_list(std::string_view text, std::size_t from, std::size_t to, ListOf list) {
    const std::size_t max_gap =
        list == ListOf::identity_numbers ? k_identity_list_gap : k_phone_list_gap;
    if (to < from || to - from > max_gap || read_words(text, from, to).size() > k_list_gap_words) {
        return false;
    }
    for (std::size_t i = from; i < to; ++i) {
        if (text[i] == '!' || text[i] == '?' ||
            (text[i] == '.' && i + 1 < to && text[i + 1] == ' ')) {
            return false;
        }
    }
    return true;
}

} // namespace dockscan::detectors
