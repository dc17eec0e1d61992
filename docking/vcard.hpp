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
// Line ends: LF, CR LF, CR CR LF (iOS exports) and CR alone.
// PHOTO: the first embedded photo of a card (2.1/3.0 ENCODING=BASE64/b, 4.0 "data:"
// URI) is measured, and decoded only when the reader is asked to keep it (within a
// limit); photos by URI are not data. Not kept: LOGO, SOUND, KEY and every other
// BASE64 value; their lines are skipped without being stored, however long they are.
//
// VcardReader reads a file in chunks: its memory is bounded by one card (its text and,
// when kept, its photo), not by the file.

#include "docking/error.hpp"
#include "docking/phone_source.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::docking {

// A logical line (after unfolding) longer than this makes the card malformed.
inline constexpr std::size_t k_max_vcard_line_bytes = 256u << 10;

// A photo embedded in a card.
struct ContactPhoto {
    std::uint64_t size = 0; // decoded bytes (from the base64 length when not kept)
    std::string data;       // the image file's bytes, when kept
    std::string error;      // why data is empty although it was to be kept
};

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
    std::optional<ContactPhoto> photo; // the card's first embedded PHOTO
};

struct VcardOptions {
    bool keep_photo = false;                   // decode the photo into ContactPhoto::data
    std::uint64_t max_photo_bytes = 64u << 20; // larger photos are only measured
};

// One card as the reader finishes it.
struct VcardCard {
    std::size_t number = 0;   // 1, 2, ... in the file
    std::uint64_t offset = 0; // of its BEGIN:VCARD line in the bytes fed
    Expected<Contact> contact;
};

// Called for every card; an error ends the reading with that error.
using VcardVisitor = std::function<Expected<void>(VcardCard&)>;

// Reads vCards from bytes fed in chunks of any size (UTF-8 or legacy bytes; convert
// UTF-16 before). Cards go to `visit` as soon as their END:VCARD is read.
class VcardReader {
public:
    explicit VcardReader(VcardOptions options = {});
    ~VcardReader();
    VcardReader(VcardReader&&) noexcept;
    VcardReader& operator=(VcardReader&&) noexcept;

    [[nodiscard]] Expected<void> feed(std::string_view bytes, const VcardVisitor& visit);
    // The end of the file: a card that has not ended is malformed.
    [[nodiscard]] Expected<void> finish(const VcardVisitor& visit);

private:
    struct State;
    [[nodiscard]] std::uint64_t max_kept_line_bytes() const;
    void keep_partial(std::string_view rest, std::uint64_t offset);
    [[nodiscard]] Expected<void> end_line(std::string_view tail, std::uint64_t offset,
                                          const VcardVisitor& visit);
    [[nodiscard]] Expected<void> line(std::string_view text, std::uint64_t offset,
                                      const VcardVisitor& visit);
    std::unique_ptr<State> m_state;
};

// True when `bytes` (a file's start) is UTF-16 with a byte order mark: such a file is
// converted whole (vcard_file_text) before it is fed.
[[nodiscard]] bool is_utf16_text(std::string_view bytes);

// A whole file as the reader takes it: UTF-16 with a byte order mark converted to UTF-8.
[[nodiscard]] std::string vcard_file_text(std::string_view bytes);

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

// The item content of a contact: its rendering and its name, field by field. When N's
// parts are FN's words but for case (a BlackBerry card: N:Doe;john, FN:John Doe), the
// name's parts are spelled as FN shows them.
[[nodiscard]] ItemContent contact_content(const Contact& contact);

} // namespace dockscan::docking
