#include "detectors/number_context.hpp"

#include <catch2/catch.hpp>
#include <string>

using dockscan::detectors::By;
using dockscan::detectors::continues_list;
using dockscan::detectors::Cue;
using dockscan::detectors::ListOf;
using dockscan::detectors::Place;
using dockscan::detectors::read_meaning;

namespace {

// The meaning of the one number written as "NUM" in `pattern`; the digits do not
// matter to read_meaning, only where the number stands.
dockscan::detectors::Meaning meaning_in(std::string pattern, bool dialable) {
    const std::size_t at = pattern.find("NUM");
    REQUIRE(at != std::string::npos);
    pattern.replace(at, 3, "0000000000");
    return read_meaning(pattern, Place{at, at + 10, dialable}, 0, pattern.size());
}

} // namespace

TEST_CASE("a word names the number beside it", "[number_context]") {
    struct Case {
        const char* text;
        bool dialable;
        Cue cue;
        By by;
        const char* stem;
    };
    const Case c = GENERATE(values<Case>({
        {"tel NUM", true, Cue::phone, By::naming_word, "tel"},
        {"Ring mig på NUM", true, Cue::phone, By::naming_word, "ring"},
        {"NUM är mitt nummer", true, Cue::phone, By::naming_word, "nummer"},
        {"NUM (mobil)", true, Cue::phone, By::naming_word, "mob"},
        {"OCR: NUM", false, Cue::other_number, By::naming_word, "ocr"},
        {"Pnr är NUM", true, Cue::identity, By::naming_word, "pnr"},
        // Not the number's: a word elsewhere in the sentence, a word past a digit or a
        // sentence end, a phone word before a number that cannot be dialled.
        {"Ring sjuksköterskan om NUM", true, Cue::none, By::nothing, ""},
        {"tel 13 NUM", true, Cue::none, By::nothing, ""},
        {"Ring mig. NUM", true, Cue::none, By::nothing, ""},
        {"Hennes nummer är NUM", false, Cue::none, By::nothing, ""},
        // After the number a word counts things rather than naming them.
        {"NUM paket", false, Cue::none, By::nothing, ""},
        // An identity word further back still counts.
        {"Personnummer till remissen för Alva Berg: NUM", true, Cue::identity,
         By::nearby_identity_word, "personnum"},
    }));
    INFO(c.text);
    const auto meaning = meaning_in(c.text, c.dialable);
    CHECK(meaning.cue == c.cue);
    CHECK(meaning.by == c.by);
    CHECK(meaning.stem == c.stem);
}

TEST_CASE("a list is numbers with at most a name between them", "[number_context]") {
    const std::string list = "Alva 120315-2382, Nils 0701012395";
    CHECK(continues_list(list, 16, 23, ListOf::identity_numbers));
    const std::string clause = "Oskar 0701012395 har möte med kuratorn 20241027 1020";
    CHECK_FALSE(continues_list(clause, 16, 39, ListOf::identity_numbers));
    const std::string sentence = "070-123 45 67. Nils 0701012395";
    CHECK_FALSE(continues_list(sentence, 13, 20, ListOf::phone_numbers));
    const std::string phones = "070-123 45 67 eller 0701012395";
    CHECK(continues_list(phones, 13, 20, ListOf::phone_numbers));
}
