#include "agent/scan/evidence.hpp"

#include "base/text.hpp"

#include <algorithm>
#include <cstdint>
#include <set>

namespace dockscan::agent {
namespace {

bool is_continuation(char c) {
    return (static_cast<std::uint8_t>(c) & 0xc0) == 0x80;
}

// Moves `pos` back to the start of the UTF-8 character it is in.
std::size_t char_start(std::string_view s, std::size_t pos) {
    while (pos > 0 && pos < s.size() && is_continuation(s[pos])) {
        --pos;
    }
    return pos;
}

bool is_word_byte(char c) {
    const auto b = static_cast<std::uint8_t>(c);
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b >= 0x80;
}

// Capitalised words that are not names: the words Swedish messages commonly start
// a sentence with, and the keywords that give a finding its context. Every other
// capitalised word is taken for a name, since in these messages it mostly is.
bool is_common_word(std::string_view lower) {
    static const std::set<std::string_view> k_words = {
        "hej",
        "hejsan",
        "hallå",
        "tack",
        "mvh",
        "hälsningar",
        "jag",
        "du",
        "vi",
        "ni",
        "han",
        "hon",
        "hans",
        "hennes",
        "det",
        "den",
        "de",
        "dem",
        "här",
        "nu",
        "kan",
        "ring",
        "ny",
        "nya",
        "nytt",
        "om",
        "och",
        "att",
        "till",
        "från",
        "med",
        "för",
        "på",
        "i",
        "är",
        "har",
        "min",
        "mitt",
        "mina",
        "din",
        "ditt",
        "vår",
        "er",
        "ang",
        "angående",
        "obs",
        "ok",
        "okej",
        "ja",
        "nej",
        "god",
        "natt",
        "morgon",
        "kväll",
        "personnummer",
        "pnr",
        "personnr",
        "samordningsnummer",
        "samordningsnr",
        "född",
        "patient",
        "patienten",
        "brukare",
        "brukaren",
        "sms",
        "mms",
        "namn",
        "förnamn",
        "efternamn",
        "telefon",
        "anteckning",
        "e-post",
        "adress",
        "födelsedag",
        "organisation",
        "titel",
    };
    return k_words.count(lower) == 1;
}

// Redacts one stretch of context: digits to '#', names to initials.
std::string redact_context(std::string_view text, std::size_t from, std::size_t to) {
    std::string out;
    std::size_t i = from;
    while (i < to) {
        const char c = text[i];
        if (c >= '0' && c <= '9') {
            out += '#';
            ++i;
            continue;
        }
        const bool word_begins = is_word_byte(c) && (i == 0 || !is_word_byte(text[i - 1]));
        if (word_begins) {
            std::size_t j = i;
            while (j < to && is_word_byte(text[j])) {
                ++j;
            }
            const std::string_view word = text.substr(i, j - i);
            if (base::is_upper_sv_at(text, i) && !is_common_word(base::to_lower_sv(word))) {
                const std::size_t first_len = static_cast<std::uint8_t>(c) >= 0x80 ? 2 : 1;
                out.append(text.substr(i, first_len));
                out += '.';
            } else {
                out.append(word);
            }
            i = j;
            continue;
        }
        // Line breaks would make a one-line excerpt hard to read.
        out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
        ++i;
    }
    return out;
}

} // namespace

std::string redacted_excerpt(std::string_view text, std::size_t start, std::size_t end,
                             std::string_view masked, const ExcerptOptions& options) {
    start = std::min(start, text.size());
    end = std::clamp(end, start, text.size());
    std::size_t from =
        char_start(text, start > options.context_bytes ? start - options.context_bytes : 0);
    // A word cut in half at the left edge would escape the name rule ("nna" of
    // "Anna"): leave it out.
    while (from > 0 && from < start && is_word_byte(text[from - 1]) && is_word_byte(text[from])) {
        ++from;
    }
    from = char_start(text, from);
    std::size_t to = std::min(text.size(), end + options.context_bytes);
    to = char_start(text, to);

    std::string out;
    if (from > 0) {
        out += "…";
    }
    out += redact_context(text, from, start);
    out += masked.empty() ? std::string_view("[…]") : masked;
    out += redact_context(text, end, to);
    if (to < text.size()) {
        out += "…";
    }
    return out;
}

} // namespace dockscan::agent
