#pragma once

// vCard 2.1, 3.0 and 4.0 as phones export their contacts (`*.vcf`).
//
// Read: line unfolding (a line starting with space or tab continues the previous one),
// QUOTED-PRINTABLE with its soft line breaks ("=" at the end of a line), CHARSET
// (a value declared UTF-8 is repaired with U+FFFD; any other or no CHARSET goes
// through legacy_to_utf8, so Latin-1 values from old phones keep their å ä ö and
// values that are UTF-8 despite their label stay UTF-8), backslash escapes
// (3.0/4.0: \\ \, \; \n \N; 2.1: \\ \;), property groups ("item1.TEL"), parameters
// in either form ("TEL;CELL" and "TEL;TYPE=CELL"), "tel:" URIs of 4.0.
// Not kept: PHOTO, LOGO, SOUND, KEY and every BASE64 value; their lines are skipped
// without being stored, however long they are.

#include "docking/error.hpp"
#include "docking/phone_source.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::docking {

// A logical line (after unfolding) longer than this makes the card malformed.
inline constexpr std::size_t k_max_vcard_line_bytes = 256u << 10;

// The fields of one contact that can hold client data.
struct Contact {
    std::string formatted_name;   // FN, the name as the phone shows it
    std::string family_name;      // N, first component
    std::string given_name;       // N, second component
    std::string additional_names; // N, third component (middle names)
    std::string nickname;
    std::vector<std::string> phones;
    std::vector<std::string> emails;
    std::vector<std::string> addresses; // ADR components joined with ", "
    std::string organization;           // ORG components joined with ", "
    std::string title;
    std::string birthday;
    std::vector<std::string> notes;
};

// Every BEGIN:VCARD in the file `bytes`, in order: element i is card number i + 1.
// A UTF-8 byte order mark is dropped; UTF-16 with a byte order mark is converted. A card that does
// not end (END:VCARD missing before the next BEGIN:VCARD or the end of the text) or has an overlong
// line is malformed; the cards after it are read all the same.
[[nodiscard]] std::vector<Expected<Contact>> parse_vcards(std::string_view bytes);

// The contact as text for the text detectors: one line per field that has a value,
// in this order and with these Swedish captions (a stable format; findings keep
// offsets into it):
//   Namn: <FN>
//   Förnamn: <given>
//   Mellannamn: <additional>
//   Efternamn: <family>
//   Smeknamn: <nickname>
//   Telefon: <number>          (one line per number)
//   E-post: <address>          (one line per address)
//   Adress: <components>       (one line per address)
//   Organisation: <org>
//   Titel: <title>
//   Födelsedag: <bday>
//   Anteckning: <note>         (one per NOTE; line breaks inside a note are kept)
// Every line ends with '\n'.
[[nodiscard]] std::string render_contact(const Contact& contact);

// The item content of a contact: its rendering and its name, field by field.
[[nodiscard]] ItemContent contact_content(const Contact& contact);

} // namespace dockscan::docking
