#include "docking/vcard.hpp"

#include <catch2/catch.hpp>
#include <optional>
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

namespace dockscan::docking {
namespace {

// A small JPEG's first bytes and its base64, to see photo data come through.
const std::string k_photo_bytes =
    "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x00\x01\xFF\xD9"s;
const std::string k_photo_base64 = "/9j/4AAQSkZJRgABAQAAAAH/2Q==";

std::vector<Expected<Contact>> read_in_chunks(const std::string& text, std::size_t chunk,
                                              VcardOptions options = {}) {
    std::vector<Expected<Contact>> cards;
    VcardReader reader(options);
    const auto keep = [&](VcardCard& card) -> Expected<void> {
        cards.push_back(std::move(card.contact));
        return {};
    };
    for (std::size_t at = 0; at < text.size(); at += chunk) {
        REQUIRE(reader.feed(std::string_view(text).substr(at, chunk), keep));
    }
    REQUIRE(reader.finish(keep));
    return cards;
}

// An iPhone's "Share contact" export as real ones come: CR CR LF line ends.
const std::string k_ios_export =
    "BEGIN:VCARD\r\r\nVERSION:3.0\r\r\nPRODID:-//Apple Inc.//iPhone OS "
    "17.4//EN\r\r\nN:Lindqvist;Elsa;;;\r\r\nFN:Elsa Lindqvist\r\r\n"
    "TEL;type=CELL;type=VOICE;type=pref:070-174 06 05\r\r\n"
    "END:VCARD\r\r\nBEGIN:VCARD\r\r\nVERSION:3.0\r\r\n"
    "N:Berg;Nils;;;\r\r\nFN:Nils Berg\r\r\nEND:VCARD\r\r\n";

} // namespace

TEST_CASE("every line end real exporters write", "[vcard]") {
    const auto [name, file] = GENERATE(
        std::pair{"CR CR LF (iOS)", k_ios_export},
        std::pair{"CR LF", std::string("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lindqvist;Elsa;;;\r\n"
                                       "FN:Elsa Lindqvist\r\nEND:VCARD\r\nBEGIN:VCARD\r\n"
                                       "FN:Nils Berg\r\nEND:VCARD\r\n")},
        std::pair{"LF", std::string("BEGIN:VCARD\nVERSION:3.0\nN:Lindqvist;Elsa;;;\n"
                                    "FN:Elsa Lindqvist\nEND:VCARD\nBEGIN:VCARD\n"
                                    "FN:Nils Berg\nEND:VCARD\n")},
        std::pair{"CR (old Macs)", std::string("BEGIN:VCARD\rVERSION:3.0\rN:Lindqvist;Elsa;;;\r"
                                               "FN:Elsa Lindqvist\rEND:VCARD\rBEGIN:VCARD\r"
                                               "FN:Nils Berg\rEND:VCARD\r")});
    INFO(name);
    const auto cards = parse_vcards(file);
    REQUIRE(cards.size() == 2);
    REQUIRE(cards[0]);
    CHECK(cards[0]->formatted_name == "Elsa Lindqvist");
    CHECK(cards[0]->family_name == "Lindqvist");
    REQUIRE(cards[1]);
    CHECK(cards[1]->formatted_name == "Nils Berg");
}

TEST_CASE("cards read in chunks of any size are the cards of the whole file", "[vcard]") {
    const std::string file =
        "\xEF\xBB\xBF" + k_ios_export +
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=96hman;=\r\n"
        "=C3=85ke;;;\r\nFN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:=C5ke =D6hman\r\n"
        "PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQSkZJ\r\n RgABAQAAAAH/2Q==\r\n\r\nEND:VCARD\r\n";
    const auto whole = parse_vcards(file);
    REQUIRE(whole.size() == 3);
    const std::size_t chunk = GENERATE(as<std::size_t>{}, 1, 2, 3, 7, 64, 4096);
    VcardOptions options;
    options.keep_photo = true;
    const auto chunked = read_in_chunks(file, chunk, options);
    REQUIRE(chunked.size() == whole.size());
    for (std::size_t i = 0; i < whole.size(); ++i) {
        REQUIRE(chunked[i]);
        CHECK(render_contact(*chunked[i]) == render_contact(*whole[i]));
    }
    CHECK(chunked[2]->formatted_name == "Åke Öhman");
    CHECK(chunked[2]->given_name == "Åke");
    REQUIRE(chunked[2]->photo);
    CHECK(chunked[2]->photo->data == k_photo_bytes);
}

TEST_CASE("a card's offset leads back to it", "[vcard]") {
    std::vector<std::uint64_t> offsets;
    VcardReader reader;
    const auto keep = [&](VcardCard& card) -> Expected<void> {
        offsets.push_back(card.offset);
        return {};
    };
    REQUIRE(reader.feed(k_ios_export, keep));
    REQUIRE(reader.finish(keep));
    REQUIRE(offsets.size() == 2);
    CHECK(offsets[0] == 0);
    CHECK(k_ios_export.substr(offsets[1], 11) == "BEGIN:VCARD");
}

TEST_CASE("names are judged on FN and N whatever their case", "[vcard]") {
    // A BlackBerry export: the given name typed in lower case, FN as the phone shows it.
    const Contact c = only_card("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;john;;;\r\n"
                                "FN:John Doe\r\nEND:VCARD\r\n");
    const ItemContent content = contact_content(c);
    REQUIRE(content.name);
    CHECK(content.name->given == "John");
    CHECK(content.name->family == "Doe");
    CHECK(content.name->formatted == "John Doe");
    // Fields are not changed where FN does not have the word.
    const Contact other = only_card("BEGIN:VCARD\nN:doe;john\nFN:Jonny\nEND:VCARD\n");
    CHECK(contact_content(other).name->given == "john");
}

TEST_CASE("embedded photos of 2.1, 3.0 and 4.0 are kept when asked", "[vcard]") {
    const std::string file = GENERATE(
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Elsa L\r\nPHOTO;ENCODING=BASE64;TYPE=JPEG:\r\n"
        " /9j/4AAQSkZJRgABAQAA\r\n AAH/2Q==\r\n\r\nEND:VCARD\r\n"s,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Elsa L\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgAB\r\n"
        " AQAAAAH/2Q==\r\nEND:VCARD\r\n"s,
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Elsa L\r\nPHOTO:data:image/jpeg;base64,/9j/4AAQSkZJRgAB"
        "AQAAAAH/2Q==\r\nEND:VCARD\r\n"s);
    VcardOptions options;
    options.keep_photo = true;
    const auto cards = read_in_chunks(file, 5, options);
    REQUIRE(cards.size() == 1);
    REQUIRE(cards[0]);
    CHECK(cards[0]->formatted_name == "Elsa L");
    REQUIRE(cards[0]->photo);
    CHECK(cards[0]->photo->data == k_photo_bytes);
    CHECK(cards[0]->photo->size == k_photo_bytes.size());
    // Not asked to keep it: the photo is measured only.
    const Contact measured = only_card(file);
    REQUIRE(measured.photo);
    CHECK(measured.photo->data.empty());
    CHECK(measured.photo->size == k_photo_bytes.size());
}

TEST_CASE("a photo by URI is no data, and a photo over the limit is only measured", "[vcard]") {
    const Contact by_uri =
        only_card("BEGIN:VCARD\nVERSION:4.0\nFN:A B\nPHOTO:https://example.org/a.jpg\nEND:VCARD\n");
    CHECK(!by_uri.photo);
    VcardOptions options;
    options.keep_photo = true;
    options.max_photo_bytes = 10;
    const auto cards = read_in_chunks(
        "BEGIN:VCARD\nFN:A B\nPHOTO;ENCODING=b:" + k_photo_base64 + "\nEND:VCARD\n", 4096, options);
    REQUIRE(cards.size() == 1);
    REQUIRE(cards[0]->photo);
    CHECK(cards[0]->photo->size == k_photo_bytes.size());
    CHECK(cards[0]->photo->data.empty());
}

} // namespace dockscan::docking

namespace dockscan::docking {

TEST_CASE("a photo with a stray '=' after its last quantum is still read", "[vcard]") {
    using namespace std::string_literals;
    // As a BlackBerry export ends its PHOTO: a whole quantum, then one '='.
    VcardOptions options;
    options.keep_photo = true;
    VcardReader reader(options);
    std::optional<Contact> contact;
    const auto keep = [&](VcardCard& card) -> Expected<void> {
        contact = card.contact.value();
        return {};
    };
    REQUIRE(reader.feed("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:John Doe\r\n"
                        "PHOTO;ENCODING=BASE64:/9j/4AAQ=\r\n\r\nEND:VCARD\r\n",
                        keep));
    REQUIRE(reader.finish(keep));
    REQUIRE(contact);
    REQUIRE(contact->photo);
    CHECK(contact->photo->data == "\xFF\xD8\xFF\xE0\x00\x10"s);
}

} // namespace dockscan::docking
