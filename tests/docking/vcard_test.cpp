#include "docking/vcard.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace dockscan::docking {
namespace {

using namespace std::string_literals;

// The one card in `file`, which must parse.
Contact only_card(const std::string& file) {
    auto cards = parse_vcards(file);
    REQUIRE(cards.size() == 1);
    REQUIRE(cards[0]);
    return *cards[0];
}

TEST_CASE("a vCard 3.0 from a phone gives every field", "[vcard]") {
    // Folded lines, escapes, groups with labels, a structured address.
    const std::string file = "BEGIN:VCARD\r\n"
                             "VERSION:3.0\r\n"
                             "N:Lindqvist;Märta;Elisabet;;\r\n"
                             "FN:Märta Lindqvist\r\n"
                             "item1.TEL;TYPE=CELL:+46 70-123 45 67\r\n"
                             "item1.X-ABLabel:mobil\r\n"
                             "TEL;TYPE=HOME:08-123 456\r\n"
                             "EMAIL;TYPE=INTERNET:marta.lindqvist@example.se\r\n"
                             "ADR;TYPE=HOME:;;Storgatan 1;Sundsvall;;852 30;Sverige\r\n"
                             "ORG:Hemtjänst Norr;Grupp 2\r\n"
                             "BDAY:1980-01-02\r\n"
                             "NOTE:Brukare\\, pnr 19800102-2386\\nnyckel i \r\n"
                             " kodlåset\\; ring först\r\n"
                             "END:VCARD\r\n";
    const Contact c = only_card(file);
    CHECK(c.formatted_name == "Märta Lindqvist");
    CHECK(c.family_name == "Lindqvist");
    CHECK(c.given_name == "Märta");
    CHECK(c.additional_names == "Elisabet");
    CHECK(c.phones == std::vector<std::string>{"+46 70-123 45 67", "08-123 456"});
    CHECK(c.emails == std::vector<std::string>{"marta.lindqvist@example.se"});
    CHECK(c.addresses == std::vector<std::string>{"Storgatan 1, Sundsvall, 852 30, Sverige"});
    CHECK(c.organization == "Hemtjänst Norr, Grupp 2");
    CHECK(c.birthday == "1980-01-02");
    CHECK(c.notes ==
          std::vector<std::string>{"Brukare, pnr 19800102-2386\nnyckel i kodlåset; ring först"});
}

TEST_CASE("a vCard 2.1 with quoted-printable UTF-8 as Android exports it", "[vcard]") {
    const std::string file =
        "BEGIN:VCARD\r\n"
        "VERSION:2.1\r\n"
        "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=96hman;=C3=85ke;;;\r\n"
        "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=85ke =C3=96hman\r\n"
        "TEL;CELL:0701234567\r\n"
        "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:G=C3=A5r till dagverksamhet m=C3=A5nd=\r\n"
        "ag och torsdag=0D=0APnr 198001032385\r\n"
        "END:VCARD\r\n";
    const Contact c = only_card(file);
    CHECK(c.formatted_name == "Åke Öhman");
    CHECK(c.family_name == "Öhman");
    CHECK(c.given_name == "Åke");
    CHECK(c.phones == std::vector<std::string>{"0701234567"});
    CHECK(c.notes == std::vector<std::string>{
                         "Går till dagverksamhet måndag och torsdag\r\nPnr 198001032385"});
}

TEST_CASE("vCard values decode by their charset", "[vcard]") {
    const auto [what, line, name] = GENERATE(table<std::string, std::string, std::string>({
        {"Latin-1 declared", "FN;CHARSET=ISO-8859-1:\xc5sa Nystr\xf6m", "Åsa Nyström"},
        {"Latin-1 undeclared", "FN:\xc5sa Nystr\xf6m", "Åsa Nyström"},
        {"UTF-8 labelled Latin-1", "FN;CHARSET=ISO-8859-1:Åsa Nyström", "Åsa Nyström"},
        {"Latin-1 quoted-printable", "FN;CHARSET=ISO-8859-1;QUOTED-PRINTABLE:=C5sa", "Åsa"},
        {"UTF-8 declared but broken", "FN;CHARSET=UTF-8:\xc5sa", "\xef\xbf\xbdsa"},
        {"2.1 keeps a backslash", "FN:C:\\new", "C:\\new"},
        {"quoted parameter with colon", "FN;X-A=\"a:b\":Åsa", "Åsa"},
        {"lower-case names", "fn:Åsa", "Åsa"},
    }));
    CAPTURE(what);
    const std::string file = "BEGIN:VCARD\r\nVERSION:2.1\r\n" + line + "\r\nEND:VCARD\r\n";
    CHECK(only_card(file).formatted_name == name);
}

TEST_CASE("a vCard 4.0 with tel: URIs and quoted parameters", "[vcard]") {
    const std::string file = "BEGIN:VCARD\nVERSION:4.0\n"
                             "FN:Sven Öhman\n"
                             "N:Öhman;Sven;;;\n"
                             "TEL;VALUE=uri;TYPE=\"voice,cell\":tel:+46-70-765-43-21\n"
                             "NICKNAME:Svenne\n"
                             "TITLE:Undersköterska\n"
                             "END:VCARD\n";
    const Contact c = only_card(file);
    CHECK(c.phones == std::vector<std::string>{"+46-70-765-43-21"});
    CHECK(c.nickname == "Svenne");
    CHECK(c.title == "Undersköterska");
}

TEST_CASE("photo data is skipped, the fields after it are read", "[vcard]") {
    const std::string base64 = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsL";
    const auto [what, photo] = GENERATE_COPY(table<std::string, std::string>({
        {"3.0 folded",
         "PHOTO;ENCODING=b;TYPE=JPEG:" + base64 + "\r\n " + base64 + "\r\n " + base64 + "\r\n"},
        {"2.1 unindented up to a blank line",
         "PHOTO;ENCODING=BASE64;JPEG:" + base64 + "\r\n" + base64 + "\r\n" + base64 + "\r\n\r\n"},
        {"4.0 data URI", "PHOTO:data:image/jpeg;base64," + base64 + "\r\n"},
        {"a huge photo line",
         "PHOTO;ENCODING=b:" + std::string(k_max_vcard_line_bytes * 2, 'A') + "\r\n"},
    }));
    CAPTURE(what);
    const std::string file = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Märta Lindqvist\r\n" + photo +
                             "TEL:0701234567\r\nEND:VCARD\r\n";
    const Contact c = only_card(file);
    CHECK(c.phones == std::vector<std::string>{"0701234567"});
    CHECK(render_contact(c).find("/9j/") == std::string::npos);
}

TEST_CASE("a broken card is an error and the next card is still read", "[vcard]") {
    const std::string good = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Åke Öhman\r\nEND:VCARD\r\n";
    const auto [what, broken, reason] = GENERATE_COPY(table<std::string, std::string, std::string>({
        {"no END", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Märta Lindqvist\r\n",
         "BEGIN:VCARD without END:VCARD"},
        {"huge NOTE line",
         "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:" + std::string(k_max_vcard_line_bytes + 1, 'x') +
             "\r\nEND:VCARD\r\n",
         "line longer than 262144 bytes"},
    }));
    CAPTURE(what);
    const auto cards = parse_vcards(broken + good);
    REQUIRE(cards.size() == 2);
    REQUIRE_FALSE(cards[0]);
    CHECK(cards[0].error().code == ErrorCode::malformed);
    CHECK(cards[0].error().message == reason);
    REQUIRE(cards[1]);
    CHECK(cards[1]->formatted_name == "Åke Öhman");
}

TEST_CASE("a file cut short ends in a broken card", "[vcard]") {
    const auto cards = parse_vcards("BEGIN:VCARD\nFN:Åke Öhman\nEND:VCARD\nBEGIN:VCARD\nFN:Sv");
    REQUIRE(cards.size() == 2);
    CHECK(cards[0]);
    CHECK_FALSE(cards[1]);
}

TEST_CASE("a UTF-16 contacts file with a byte order mark", "[vcard]") {
    const std::string utf8 = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Åsa\r\nEND:VCARD\r\n";
    std::string utf16 = "\xff\xfe";
    for (const char c : std::string("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:"s)) {
        utf16 += c;
        utf16 += '\0';
    }
    utf16 += "\xc5\0s\0a\0\r\0\n\0"s;
    for (const char c : std::string("END:VCARD\r\n"s)) {
        utf16 += c;
        utf16 += '\0';
    }
    CHECK(only_card(utf16).formatted_name == "Åsa");
    CHECK(only_card("\xef\xbb\xbf" + utf8).formatted_name == "Åsa");
}

TEST_CASE("text outside cards and empty files give no cards", "[vcard]") {
    const std::string file = GENERATE(as<std::string>{}, "", "\r\n", "hello\nworld\n",
                                      "\x89PNG\r\n\x1a\n"s, "END:VCARD\n");
    CHECK(parse_vcards(file).empty());
}

TEST_CASE("render_contact writes one captioned line per value", "[vcard]") {
    Contact c;
    c.formatted_name = "Märta Lindqvist";
    c.given_name = "Märta";
    c.family_name = "Lindqvist";
    c.phones = {"0701234567", "08-123 456"};
    c.emails = {"marta@example.se"};
    c.addresses = {"Storgatan 1, Sundsvall"};
    c.organization = "Hemtjänst Norr";
    c.birthday = "1980-01-02";
    c.notes = {"pnr 19800102-2386"};
    CHECK(render_contact(c) == "Namn: Märta Lindqvist\n"
                               "Förnamn: Märta\n"
                               "Efternamn: Lindqvist\n"
                               "Telefon: 0701234567\n"
                               "Telefon: 08-123 456\n"
                               "E-post: marta@example.se\n"
                               "Adress: Storgatan 1, Sundsvall\n"
                               "Organisation: Hemtjänst Norr\n"
                               "Födelsedag: 1980-01-02\n"
                               "Anteckning: pnr 19800102-2386\n");
    CHECK(render_contact(Contact{}).empty());
}

} // namespace
} // namespace dockscan::docking
