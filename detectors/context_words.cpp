#include "detectors/context_words.hpp"

#include "base/text.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace dockscan::detectors {
namespace {

// Stems are matched at the start of a word, so that inflections ("personnumret",
// "ringde") and abbreviations ("samordn.nr", "interimistiskt nr") match too. They stop
// short of "samordnare" (a coordinator), whose phone number is in many LSS messages.
constexpr std::array<std::string_view, 18> k_identity_prefixes = {
    "personnum",  "personum",   "personnr", "persnr",    "pnr",      "samordningsn",
    "samordnnr",  "samordnnum", "samnr",    "idnum",     "idnr",     "identitetsnum",
    "födelsenum", "födelsedat", "interim",  "reservnum", "reservnr", "prsnr",
};
constexpr std::array<std::string_view, 4> k_identity_words = {"pers", "född", "födda", "ssn"};

// Phone words also name only numbers that can be dialled (text_detector), so words
// that lead to a phone number in service texts are here too: "Frågor: ...",
// "Avboka ... på ...", "Larmcentralen ...", "Kontakt ...".
constexpr std::array<std::string_view, 17> k_phone_prefixes = {
    "tel",   "ring",   "mob", "sms",    "fax",   "växel", "vxl",     "swish", "nås",
    "nåbar", "samtal", "tfn", "frågor", "avbok", "larm",  "kontakt", "jour",
};
constexpr std::array<std::string_view, 2> k_phone_parts = {"telefon", "mobil"};
constexpr std::array<std::string_view, 5> k_phone_words = {"nummer", "numret", "numren", "nr",
                                                           "når"};

// Anywhere in a word: payment, order and other references.
// At the start of a word only: "ocr", "ocrnummer", "OCR-nr", but not "nocreate".
constexpr std::array<std::string_view, 1> k_other_prefixes = {"ocr"};
constexpr std::array<std::string_view, 26> k_other_parts = {
    "referens",   "faktura",  "giro",     "clearing", "order",    "beställning", "kod",
    "lgh",        "lägenhet", "bokning",  "ärende",   "diarie",   "belopp",      "summa",
    "artikel",    "serie",    "imei",     "lösen",    "medlem",   "avtal",       "kvitto",
    "följesedel", "paket",    "spårning", "leverans", "sändning",
};
// Whole words only. Times and dates ("kl", "tid", "datum") are not here: they never name
// a ten- or twelve-digit number, and care messages are full of them ("Ny tid för ...").
constexpr std::array<std::string_view, 10> k_other_words = {
    "ref", "bg", "pg", "dnr", "kr", "sek", "org", "orgnr", "box", "avi",
};
// Any other "...nummer" or "...nr" is some other number: "anställningsnr", "medlemsnummer".
constexpr std::array<std::string_view, 4> k_number_suffixes = {"nummer", "numret", "numren", "nr"};

constexpr std::array<std::string_view, 34> k_linking_words = {
    "på",     "till",  "mig",   "oss",  "dig",  "er",    "henne", "honom",  "dem",
    "är",     "blir",  "var",   "mitt", "min",  "mina",  "ditt",  "din",    "hans",
    "hennes", "deras", "vårt",  "vår",  "nya",  "nytt",  "ny",    "direkt", "gärna",
    "via",    "även",  "också", "bara", "hela", "samma", "det",
};

using Match = std::optional<std::string_view>;

Match starts_with_any(std::string_view key, std::span<const std::string_view> stems) {
    for (const std::string_view stem : stems) {
        if (key.starts_with(stem)) {
            return stem;
        }
    }
    return std::nullopt;
}

Match equals_any(std::string_view key, std::span<const std::string_view> words) {
    for (const std::string_view word : words) {
        if (key == word) {
            return word;
        }
    }
    return std::nullopt;
}

Match contains_any(std::string_view key, std::span<const std::string_view> parts) {
    for (const std::string_view part : parts) {
        if (key.find(part) != std::string_view::npos) {
            return part;
        }
    }
    return std::nullopt;
}

Match ends_with_any(std::string_view key, std::span<const std::string_view> suffixes) {
    for (const std::string_view suffix : suffixes) {
        if (key.ends_with(suffix)) {
            return suffix;
        }
    }
    return std::nullopt;
}

bool is_letter_at(std::string_view text, std::size_t i) {
    const auto b = static_cast<std::uint8_t>(text[i]);
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')) {
        return true;
    }
    // Å, Ä, Ö, É and the other Latin-1 letters are C3 xx in UTF-8.
    return b == 0xc3 ||
           (b >= 0x80 && b <= 0xbf && i > 0 && static_cast<std::uint8_t>(text[i - 1]) == 0xc3);
}

bool is_inner_mark(char c) {
    return c == '-' || c == '.' || c == ':';
}

// Words that join with a following "nr" or "nummer": "pers nr", "tel nr", "order nr";
// not a linking word ("mitt nummer", "hennes nr").
bool joins_number_word(std::string_view key) {
    return key == "nr" || key == "nummer" || key == "numret";
}

} // namespace

CueMatch match_cue(std::string_view key) {
    Match m;
    if ((m = starts_with_any(key, k_identity_prefixes)) ||
        (m = equals_any(key, k_identity_words))) {
        return {Cue::identity, *m};
    }
    if ((m = starts_with_any(key, k_phone_prefixes)) || (m = contains_any(key, k_phone_parts)) ||
        (m = equals_any(key, k_phone_words))) {
        return {Cue::phone, *m};
    }
    if ((m = starts_with_any(key, k_other_prefixes)) || (m = contains_any(key, k_other_parts)) ||
        (m = equals_any(key, k_other_words)) || (m = ends_with_any(key, k_number_suffixes))) {
        return {Cue::other_number, *m};
    }
    // Accounts and customers, but not "kontoret" (the office) or "kunde" (could),
    // which are everywhere in staff messages.
    if (key.find("konto") != std::string_view::npos &&
        key.find("kontor") == std::string_view::npos) {
        return {Cue::other_number, "konto"};
    }
    if (key.find("kund") != std::string_view::npos && !key.starts_with("kunde")) {
        return {Cue::other_number, "kund"};
    }
    return {};
}

bool is_linking_word(std::string_view key) {
    return equals_any(key, k_linking_words).has_value();
}

Cue classify_word(std::string_view key) {
    return match_cue(key).cue;
}

std::vector<Word> read_words(std::string_view text, std::size_t from, std::size_t to) {
    std::vector<Word> words;
    std::size_t i = from;
    // Skip a word (or UTF-8 sequence) cut by the window's start: its key would mislead.
    if (i > 0 && i < to && (is_letter_at(text, i) || is_letter_at(text, i - 1))) {
        while (i < to && is_letter_at(text, i)) {
            ++i;
        }
    }
    while (i < to) {
        if (!is_letter_at(text, i)) {
            ++i;
            continue;
        }
        const std::size_t start = i;
        std::string raw;
        while (i < to) {
            if (is_letter_at(text, i)) {
                raw += text[i];
                ++i;
            } else if (is_inner_mark(text[i]) && i + 1 < to && is_letter_at(text, i + 1)) {
                ++i;
            } else {
                break;
            }
        }
        std::string key = base::to_lower_sv(raw);
        // "pers nr", "tel nr", "person nummer": the second word takes its meaning
        // from the first.
        if (joins_number_word(key) && !words.empty() && start - words.back().end <= 2 &&
            !is_linking_word(words.back().key)) {
            Word& previous = words.back();
            previous.key += key;
            previous.end = i;
            const CueMatch joined = match_cue(previous.key);
            previous.cue = joined.cue;
            previous.stem = joined.stem;
            continue;
        }
        const CueMatch match = match_cue(key);
        words.push_back(Word{start, i, std::move(key), match.cue, match.stem});
    }
    return words;
}

} // namespace dockscan::detectors
