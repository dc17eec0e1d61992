#include "detectors/full_name.hpp"

#include "base/text.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace dockscan::detectors {
namespace {

// Words that make a contact a role, a place or an organisation rather than a person.
// Compared in lower case.
constexpr std::array<std::string_view, 48> k_not_a_person = {
    "ab",
    "apotek",
    "apoteket",
    "vårdcentral",
    "vårdcentralen",
    "sjukhus",
    "sjukhuset",
    "akuten",
    "mottagning",
    "mottagningen",
    "kommun",
    "kommunen",
    "hemtjänst",
    "hemtjänsten",
    "planering",
    "planeringen",
    "kontor",
    "kontoret",
    "jour",
    "jouren",
    "larm",
    "larmet",
    "taxi",
    "färdtjänst",
    "chef",
    "enhetschef",
    "ssk",
    "sjuksköterska",
    "usk",
    "läkare",
    "arbetsterapeut",
    "fysioterapeut",
    "god",
    "man",
    "mamma",
    "pappa",
    "mormor",
    "morfar",
    "farmor",
    "farfar",
    "dotter",
    "son",
    "granne",
    "kollega",
    "jobb",
    "privat",
    "hem",
    "nattpatrull",
};

bool is_not_a_person_word(std::string_view word) {
    const std::string lower = base::to_lower_sv(word);
    for (const std::string_view w : k_not_a_person) {
        if (lower == w) {
            return true;
        }
    }
    return false;
}

// A name part: starts with a capital, then letters (any non-ASCII byte counts as a
// letter, for å ä ö é ü), hyphens and apostrophes; not all capitals (an
// abbreviation such as "SSK"); two to thirty bytes.
bool is_name_part(std::string_view word) {
    if (word.size() < 2 || word.size() > 30 || !base::is_upper_sv_at(word, 0)) {
        return false;
    }
    bool has_lower = false;
    for (const char c : word) {
        const auto b = static_cast<std::uint8_t>(c);
        const bool ascii_upper = b >= 'A' && b <= 'Z';
        const bool ascii_lower = b >= 'a' && b <= 'z';
        if (!(ascii_upper || ascii_lower || b >= 0x80 || c == '-' || c == '\'')) {
            return false;
        }
        has_lower = has_lower || ascii_lower || b >= 0x80;
    }
    return has_lower && !is_not_a_person_word(word);
}

std::vector<std::string_view> words_of(std::string_view text) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
            ++i;
        }
        const std::size_t start = i;
        while (i < text.size() && text[i] != ' ' && text[i] != '\t') {
            ++i;
        }
        if (i > start) {
            words.push_back(text.substr(start, i - start));
        }
    }
    return words;
}

bool all_name_parts(std::string_view text) {
    const auto words = words_of(text);
    if (words.empty()) {
        return false;
    }
    for (const std::string_view w : words) {
        if (!is_name_part(w)) {
            return false;
        }
    }
    return true;
}

std::string initials(const std::vector<std::string_view>& words) {
    std::string out;
    for (const std::string_view w : words) {
        if (!out.empty()) {
            out += ' ';
        }
        const std::size_t len = static_cast<std::uint8_t>(w[0]) >= 0x80 ? 2 : 1;
        out.append(w.substr(0, len));
        out += '.';
    }
    return out;
}

// Structured names are what the person typed into first and last name: more certain
// than a shown name split at spaces.
constexpr double k_structured_confidence = 0.9;
constexpr double k_shown_confidence = 0.75;

} // namespace

std::optional<Signal> find_full_name(const ContactName& name, std::string_view text) {
    std::vector<std::string_view> parts;
    double confidence = 0;
    if (!name.given.empty() && !name.family.empty() && all_name_parts(name.given) &&
        all_name_parts(name.family)) {
        parts = {words_of(name.given).front(), words_of(name.family).back()};
        confidence = k_structured_confidence;
    } else {
        // A field missing, or fields that fail the test: the shown name may still be
        // "First Last". Real cards do this: a BlackBerry export keeps "N:Doe;john" (the
        // given name in lower case) beside "FN:John Doe".
        const auto words = words_of(name.formatted);
        if (words.size() >= 2 && words.size() <= 4 && all_name_parts(name.formatted)) {
            parts = {words.front(), words.back()};
            confidence = k_shown_confidence;
        }
    }
    if (parts.empty()) {
        return std::nullopt;
    }
    Signal signal{Kind::full_name, confidence, 0, 0, std::nullopt, initials(parts), "", true};
    const std::string_view shown = !name.formatted.empty() ? name.formatted : name.given;
    if (const auto at = text.find(shown); !shown.empty() && at != std::string_view::npos) {
        signal.start = at;
        signal.end = at + shown.size();
    }
    return signal;
}

} // namespace dockscan::detectors
