#include "detectors/context_words.hpp"

#include <catch2/catch.hpp>

using dockscan::detectors::classify_word;
using dockscan::detectors::Cue;
using dockscan::detectors::read_words;

TEST_CASE("words say what a number is", "[context_words]") {
    struct Case {
        const char* key;
        Cue cue;
    };
    const Case c = GENERATE(values<Case>({
        {"personnummer", Cue::identity},
        {"personnumret", Cue::identity},
        {"pnr", Cue::identity},
        {"personnr", Cue::identity},
        {"persnr", Cue::identity},
        {"samordningsnummer", Cue::identity},
        {"samordnnr", Cue::identity},
        {"idnummer", Cue::identity},
        {"född", Cue::identity},
        {"interimsnummer", Cue::identity},
        {"interimistisktnr", Cue::identity},
        {"tel", Cue::phone},
        {"telefonnummer", Cue::phone},
        {"ring", Cue::phone},
        {"ringde", Cue::phone},
        {"mobil", Cue::phone},
        {"jobbmobilen", Cue::phone},
        {"sms", Cue::phone},
        {"nummer", Cue::phone},
        {"swisha", Cue::phone},
        {"ocr", Cue::other_number},
        {"bankgiro", Cue::other_number},
        {"kundnummer", Cue::other_number},
        {"ordernr", Cue::other_number},
        {"portkod", Cue::other_number},
        {"fakturanummer", Cue::other_number},
        {"anställningsnr", Cue::other_number},
        {"organisationsnummer", Cue::other_number},
        {"kontonummer", Cue::other_number},
        // Everyday words that contain a cue's letters but are not cues.
        {"kontoret", Cue::none},
        {"samordnaren", Cue::none},
        {"kunde", Cue::none},
        // "ocr" only at the start of a word; times and dates are no cue.
        {"ocrnummer", Cue::other_number},
        {"nocreate", Cue::none},
        {"kl", Cue::none},
        {"datum", Cue::none},
        {"tid", Cue::none},
        {"persson", Cue::none},
        {"alva", Cue::none},
        {"hej", Cue::none},
    }));
    INFO(c.key);
    CHECK(classify_word(c.key) == c.cue);
}

TEST_CASE("read_words lower-cases, joins abbreviations and skips a cut word", "[context_words]") {
    const std::string text = "xyz Hej! P-nr och Pers.nr, pers nr, TEL nr: Född";
    const auto words = read_words(text, 1, text.size());
    REQUIRE(words.size() == 7);
    CHECK(words[0].key == "hej");
    CHECK(words[1].key == "pnr");
    CHECK(words[1].cue == Cue::identity);
    CHECK(words[2].key == "och");
    CHECK(words[3].key == "persnr");
    CHECK(words[4].key == "persnr");
    CHECK(words[4].cue == Cue::identity);
    CHECK(words[5].key == "telnr");
    CHECK(words[5].cue == Cue::phone);
    CHECK(words[6].key == "född");
    CHECK(words[6].start == text.size() - 5);
}

TEST_CASE("a cue keeps the word-list entry that matched it", "[context_words]") {
    using dockscan::detectors::match_cue;
    CHECK(match_cue("jobbmobilen").stem == "mobil");
    CHECK(match_cue("personnumret").stem == "personnum");
    CHECK(match_cue("anställningsnr").stem == "nr");
    CHECK(match_cue("hej").stem.empty());
}

TEST_CASE("a linking word does not join a following nummer", "[context_words]") {
    using dockscan::detectors::is_linking_word;
    CHECK(is_linking_word("på"));
    CHECK(is_linking_word("hennes"));
    CHECK_FALSE(is_linking_word("om"));
    const std::string text = "Hennes nummer, tel nr";
    const auto words = read_words(text, 0, text.size());
    REQUIRE(words.size() == 3);
    CHECK(words[0].key == "hennes");
    CHECK(words[1].key == "nummer");
    CHECK(words[1].cue == Cue::phone);
    CHECK(words[2].key == "telnr");
}
