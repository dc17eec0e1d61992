#include "docking/text_decode.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace dockscan::docking {
namespace {

using namespace std::string_literals;

TEST_CASE("decode_note reads the encodings notes come in", "[text_decode]") {
    const auto [what, bytes, text] = GENERATE(table<std::string, std::string, std::string>({
        {"UTF-8", "Åsa Öberg, född 1980\n", "Åsa Öberg, född 1980\n"},
        {"UTF-8 with BOM", "\xef\xbb\xbfÄrende: Märta", "Ärende: Märta"},
        {"UTF-16 LE with BOM",
         "\xff\xfe\xc5\x00s\x00"
         "a\x00 \x00\xf6\x00"s,
         "Åsa ö"},
        {"UTF-16 BE with BOM",
         "\xfe\xff\x00\xc5\x00s\x00"
         "a"s,
         "Åsa"},
        {"UTF-16 surrogate pair", "\xff\xfe\x3d\xd8\x00\xde"s, "\xf0\x9f\x98\x80"},
        {"UTF-16 unpaired surrogate", "\xff\xfe\x3d\xd8!\x00"s, "\xef\xbf\xbd!"},
        // Windows notes: Latin-1 / Windows-1252 bytes for å ä ö and the euro sign.
        {"Windows-1252",
         "\xc5sa \xd6"
         "berg bor p\xe5 \xc4ngsv\xe4gen, 50 \x80",
         "Åsa Öberg bor på Ängsvägen, 50 €"},
        {"Windows-1252 unassigned byte", "a\x81z", "a\xef\xbf\xbdz"},
        // Broken UTF-8 (valid sequences and a cut one) is repaired, not reinterpreted.
        {"broken UTF-8", "Åsa \xc3 ö", "Åsa \xef\xbf\xbd ö"},
        {"UTF-8 BOM, then broken", "\xef\xbb\xbf\xe5sa", "\xef\xbf\xbdsa"},
        {"empty", "", ""},
    }));
    CAPTURE(what);
    const auto decoded = decode_note(bytes);
    REQUIRE(decoded);
    CHECK(*decoded == text);
}

TEST_CASE("decode_note refuses binary content under a text name", "[text_decode]") {
    const auto [what, bytes] = GENERATE(table<std::string, std::string>({
        {"NUL byte", "PK\x03\x04\x00\x00 zip archive"s},
        {"JPEG bytes", "\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01"s},
        {"control bytes over 10 %", "ab\x01\x02\x03\x04\x05\x06\x07\x08 text text text"s},
        {"UTF-16 of binary", "\xff\xfe\x01\x00\x02\x00\x03\x00"s},
    }));
    CAPTURE(what);
    const auto decoded = decode_note(bytes);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code == ErrorCode::not_text);
    CHECK(decoded.error().message == "binary content, not text");
}

TEST_CASE("a few control bytes in real text are still text", "[text_decode]") {
    // 1 control byte in 20: a form feed in an old note.
    const std::string bytes = "Anteckning\x0c f\xf6r Per";
    const auto decoded = decode_note(bytes);
    REQUIRE(decoded);
    CHECK(*decoded == "Anteckning\x0c för Per");
}

TEST_CASE("a NUL far into a long text does not make it binary", "[text_decode]") {
    std::string bytes(k_nul_probe_bytes + 100, 'a');
    bytes.back() = '\0';
    CHECK_FALSE(looks_binary(bytes));
    bytes[10] = '\0';
    CHECK(looks_binary(bytes));
}

} // namespace
} // namespace dockscan::docking
