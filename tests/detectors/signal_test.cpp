#include "detectors/signal.hpp"

#include <catch2/catch.hpp>

using dockscan::detectors::Kind;
using dockscan::detectors::to_string;

TEST_CASE("kinds have their contract names", "[signal]") {
    struct Case {
        Kind kind;
        const char* name;
    };
    // `dockscan inspect --jsonl` prints these; a renamed kind breaks its readers.
    const Case c = GENERATE(values<Case>({
        {Kind::personnummer, "personnummer"},
        {Kind::samordningsnummer, "samordningsnummer"},
        {Kind::interimsnummer, "interimsnummer"},
        {Kind::full_name, "full_name"},
        {Kind::health_term, "health_term"},
        {Kind::document, "document"},
        {Kind::screenshot, "screenshot"},
        {Kind::face, "face"},
        {Kind::person, "person"},
        {Kind::barcode, "barcode"},
        {Kind::skin_closeup, "skin_closeup"},
        {Kind::group, "group"},
    }));
    CHECK(to_string(c.kind) == c.name);
}
