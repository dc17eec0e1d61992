#include "docking/vcard.hpp"

#include "base/text.hpp"
#include "docking/sms_export.hpp"
#include "docking/text_decode.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

namespace dockscan::docking {
namespace {

constexpr std::array<std::string_view, 4> k_binary_properties = {"PHOTO", "LOGO", "SOUND", "KEY"};

std::string upper_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return out;
}

bool is_marker(std::string_view line, std::string_view marker) {
    return upper_ascii(base::trim_blanks(line)) == marker;
}

// Positions of `sep` in `s` that are not inside double quotes.
std::vector<std::size_t> unquoted_positions(std::string_view s, char sep, std::size_t end) {
    std::vector<std::size_t> out;
    bool quoted = false;
    for (std::size_t i = 0; i < end && i < s.size(); ++i) {
        if (s[i] == '"') {
            quoted = !quoted;
        } else if (s[i] == sep && !quoted) {
            out.push_back(i);
        }
    }
    return out;
}

// The part of a content line before its value: "item1.TEL;TYPE=CELL:".
struct Head {
    bool valid = false;
    std::string name; // upper case, group removed
    bool quoted_printable = false;
    bool base64 = false;
    bool utf8 = false;           // CHARSET=UTF-8
    std::size_t value_start = 0; // after the ':'
};

Head parse_head(std::string_view line) {
    Head head;
    std::size_t colon = std::string_view::npos;
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '"') {
            quoted = !quoted;
        } else if (line[i] == ':' && !quoted) {
            colon = i;
            break;
        }
    }
    if (colon == std::string_view::npos || colon == 0) {
        return head;
    }
    std::vector<std::size_t> semis = unquoted_positions(line, ';', colon);
    semis.push_back(colon);
    std::string_view name = line.substr(0, semis.front());
    if (const auto dot = name.rfind('.'); dot != std::string_view::npos) {
        name = name.substr(dot + 1);
    }
    head.name = upper_ascii(base::trim_blanks(name));
    for (std::size_t k = 0; k + 1 < semis.size(); ++k) {
        const std::string param =
            upper_ascii(line.substr(semis[k] + 1, semis[k + 1] - semis[k] - 1));
        const auto eq = param.find('=');
        const std::string key = eq == std::string::npos ? "" : param.substr(0, eq);
        std::string value = eq == std::string::npos ? param : param.substr(eq + 1);
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
            value = value.substr(1, value.size() - 2);
        }
        if ((key.empty() || key == "ENCODING") && value == "QUOTED-PRINTABLE") {
            head.quoted_printable = true;
        } else if ((key.empty() || key == "ENCODING") && (value == "BASE64" || value == "B")) {
            head.base64 = true;
        } else if (key == "CHARSET" && (value == "UTF-8" || value == "UTF8")) {
            head.utf8 = true;
        }
    }
    head.valid = true;
    head.value_start = colon + 1;
    return head;
}

bool is_binary(const Head& head) {
    for (const std::string_view name : k_binary_properties) {
        if (head.name == name) {
            return true;
        }
    }
    return head.base64;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

std::string decode_quoted_printable(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '=') {
            out += s[i];
            continue;
        }
        const int hi = i + 1 < s.size() ? hex_digit(s[i + 1]) : -1;
        const int lo = i + 2 < s.size() ? hex_digit(s[i + 2]) : -1;
        if (hi >= 0 && lo >= 0) {
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += '='; // not an escape: keep what the phone wrote
        }
    }
    return out;
}

// Splits a structured value (N, ADR, ORG) at the ';' that are not escaped.
std::vector<std::string_view> split_components(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\') {
            ++i;
        } else if (s[i] == ';') {
            out.push_back(s.substr(start, i - start));
            start = i + 1;
        }
    }
    out.push_back(s.substr(start));
    return out;
}

std::string unescape(std::string_view s, bool version_21) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\' || i + 1 == s.size()) {
            out += s[i];
            continue;
        }
        const char next = s[i + 1];
        if (next == '\\' || next == ';') {
            out += next;
        } else if (!version_21 && next == ',') {
            out += ',';
        } else if (!version_21 && (next == 'n' || next == 'N')) {
            out += '\n';
        } else {
            out += '\\';
            out += next;
        }
        ++i;
    }
    return std::string(base::trim_blanks(out));
}

std::string join_components(std::string_view value, bool version_21) {
    std::string out;
    for (const std::string_view part : split_components(value)) {
        const std::string text = unescape(part, version_21);
        if (!text.empty()) {
            if (!out.empty()) {
                out += ", ";
            }
            out += text;
        }
    }
    return out;
}

std::string strip_tel_uri(std::string text) {
    if (upper_ascii(std::string_view(text).substr(0, 4)) == "TEL:") {
        text.erase(0, 4);
    }
    return text;
}

void set_once(std::string& field, std::string value) {
    if (field.empty()) {
        field = std::move(value);
    }
}

void add_if(std::vector<std::string>& list, std::string value) {
    if (!value.empty()) {
        list.push_back(std::move(value));
    }
}

Contact build_contact(const std::vector<std::string>& lines) {
    bool version_21 = false;
    for (const std::string& line : lines) {
        const Head head = parse_head(line);
        if (head.valid && head.name == "VERSION") {
            version_21 =
                base::trim_blanks(std::string_view(line).substr(head.value_start)) == "2.1";
        }
    }
    Contact contact;
    for (const std::string& line : lines) {
        const Head head = parse_head(line);
        if (!head.valid) {
            continue;
        }
        const std::string_view raw = std::string_view(line).substr(head.value_start);
        const std::string bytes =
            head.quoted_printable ? decode_quoted_printable(raw) : std::string(raw);
        const std::string value = head.utf8 ? base::to_valid_utf8(bytes) : legacy_to_utf8(bytes);
        const auto parts = split_components(value);
        const auto part = [&](std::size_t k) {
            return k < parts.size() ? unescape(parts[k], version_21) : std::string();
        };
        const std::string& name = head.name;
        if (name == "FN") {
            set_once(contact.formatted_name, unescape(value, version_21));
        } else if (name == "N") {
            if (contact.family_name.empty() && contact.given_name.empty()) {
                contact.family_name = part(0);
                contact.given_name = part(1);
                contact.additional_names = part(2);
            }
        } else if (name == "NICKNAME") {
            set_once(contact.nickname, unescape(value, version_21));
        } else if (name == "TEL") {
            add_if(contact.phones, strip_tel_uri(unescape(value, version_21)));
        } else if (name == "EMAIL") {
            add_if(contact.emails, unescape(value, version_21));
        } else if (name == "ADR") {
            add_if(contact.addresses, join_components(value, version_21));
        } else if (name == "ORG") {
            set_once(contact.organization, join_components(value, version_21));
        } else if (name == "TITLE") {
            set_once(contact.title, unescape(value, version_21));
        } else if (name == "BDAY") {
            set_once(contact.birthday, unescape(value, version_21));
        } else if (name == "NOTE") {
            add_if(contact.notes, unescape(value, version_21));
        }
    }
    return contact;
}

// The value of a PHOTO line as base64 text: "data:image/jpeg;base64,..." of 4.0 loses
// its prefix; a URI (VALUE=URI, http:) is no data.
std::optional<std::string_view> photo_base64(const Head& head, std::string_view value) {
    if (head.base64) {
        return value;
    }
    if (value.size() > 5 && upper_ascii(value.substr(0, 5)) == "DATA:") {
        const auto comma = value.find(',');
        if (comma != std::string_view::npos &&
            upper_ascii(value.substr(0, comma)).find(";BASE64") != std::string::npos) {
            return value.substr(comma + 1);
        }
    }
    return std::nullopt;
}

// Base64 with its padding as the data needs it: exporters write too much (a BlackBerry
// card ends a whole last quantum with a stray '='), and decoders such as Python's
// read such photos; so does this.
std::string with_usual_padding(std::string text) {
    while (!text.empty() && (text.back() == '=' || text.back() == ' ' || text.back() == '\t')) {
        text.pop_back();
    }
    std::size_t chars = 0;
    for (const char c : text) {
        chars += (c == ' ' || c == '\t') ? 0 : 1;
    }
    if (chars % 4 != 0) {
        text.append(4 - chars % 4, '=');
    }
    return text;
}

// Collects the logical lines of one card from its physical lines.
class CardLines {
public:
    explicit CardLines(const VcardOptions& options) : m_options(options) {}

    void add(std::string_view line) {
        if (!m_error.empty()) {
            return; // broken already: only its END matters now
        }
        const bool continuation = !line.empty() && (line[0] == ' ' || line[0] == '\t');
        if (m_skipping) {
            // Binary data goes on over folded lines, and in 2.1 over unindented base64
            // lines up to a blank line. A line with a ':' is the next property.
            if (continuation || (!line.empty() && line.find(':') == std::string_view::npos)) {
                add_photo_data(continuation ? line.substr(1) : line);
                return;
            }
            m_skipping = false;
            m_in_photo = false;
            if (line.empty()) {
                return;
            }
        } else if (continuation) {
            if (m_pending_qp && !m_pending.empty() && m_pending.back() == '=') {
                m_pending.pop_back();
            }
            append(line.substr(1));
            return;
        } else if (m_pending_qp && !m_pending.empty() && m_pending.back() == '=') {
            // A quoted-printable soft line break: the value goes on, unindented.
            m_pending.pop_back();
            append(line);
            return;
        }
        flush();
        if (line.empty()) {
            return;
        }
        const Head head = parse_head(line);
        if (head.valid && head.name == "PHOTO") {
            const auto data = photo_base64(head, line.substr(head.value_start));
            if (data) {
                m_in_photo = !m_photo; // the first photo of a card is the contact's
                if (m_in_photo) {
                    m_photo.emplace();
                }
                m_skipping = true;
                add_photo_data(*data);
                return;
            }
        }
        if (head.valid && is_binary(head)) {
            m_skipping = true;
            return;
        }
        m_pending_qp = head.quoted_printable;
        append(line);
    }

    // A physical line too long to keep, of which only its start and length are known.
    void add_overlong(std::string_view start, std::uint64_t length) {
        const Head head = parse_head(start);
        const bool continuation = !start.empty() && (start[0] == ' ' || start[0] == '\t');
        if ((head.valid && head.name == "PHOTO") || (m_skipping && m_in_photo && continuation)) {
            if (!m_photo) {
                m_photo.emplace();
            }
            m_skipping = true;
            m_in_photo = true;
            m_photo->size += length / 4 * 3;
            m_photo->data.clear();
            m_photo_dropped = true;
            return;
        }
        if ((head.valid && is_binary(head)) || m_skipping) {
            m_skipping = true;
            return;
        }
        m_error = "line longer than " + std::to_string(k_max_vcard_line_bytes) + " bytes";
    }

    [[nodiscard]] Expected<Contact> finish() {
        flush();
        if (!m_error.empty()) {
            return fail(ErrorCode::malformed, m_error);
        }
        Contact contact = build_contact(m_lines);
        if (m_photo && m_photo->size > 0) {
            contact.photo = std::move(m_photo);
            if (m_options.keep_photo && !m_photo_dropped &&
                contact.photo->size <= m_options.max_photo_bytes) {
                auto bytes = decode_base64(with_usual_padding(m_photo_text));
                if (bytes) {
                    contact.photo->data = std::move(*bytes);
                    contact.photo->size = contact.photo->data.size();
                } else {
                    contact.photo->error = bytes.error().message;
                }
            }
        }
        return contact;
    }

private:
    void add_photo_data(std::string_view data) {
        if (!m_in_photo) {
            return;
        }
        std::uint64_t counted = 0;
        for (const char c : data) {
            counted += (c == ' ' || c == '\t' || c == '=') ? 0 : 1;
        }
        m_photo_chars += counted;
        m_photo->size =
            m_photo_chars / 4 * 3 + (m_photo_chars % 4 == 0 ? 0 : m_photo_chars % 4 - 1);
        if (m_options.keep_photo && !m_photo_dropped) {
            if (m_photo->size > m_options.max_photo_bytes) {
                m_photo_text.clear();
                m_photo_dropped = true; // over the limit: its size says why it is not read
            } else {
                m_photo_text.append(data);
            }
        }
    }

    void append(std::string_view text) {
        if (m_pending.size() + text.size() > k_max_vcard_line_bytes) {
            m_error = "line longer than " + std::to_string(k_max_vcard_line_bytes) + " bytes";
            m_pending.clear();
            return;
        }
        m_pending.append(text);
    }

    void flush() {
        if (!m_pending.empty()) {
            m_lines.push_back(std::move(m_pending));
            m_pending.clear();
        }
        m_pending_qp = false;
    }

    const VcardOptions& m_options;
    std::vector<std::string> m_lines;
    std::string m_pending;
    bool m_pending_qp = false;
    bool m_skipping = false;
    bool m_in_photo = false;
    std::optional<ContactPhoto> m_photo;
    std::uint64_t m_photo_chars = 0;
    std::string m_photo_text;
    bool m_photo_dropped = false;
    std::string m_error;
};

} // namespace

struct VcardReader::State {
    explicit State(VcardOptions o) : options(o) {}
    VcardOptions options;
    std::string partial;              // the start of a line whose end has not come yet
    std::uint64_t partial_offset = 0; // where `partial` starts in the input
    std::uint64_t fed = 0;            // bytes fed so far
    bool overlong = false;            // the current line is too long and is being dropped
    std::uint64_t overlong_length = 0;
    std::optional<CardLines> card;
    std::uint64_t card_offset = 0;
    std::size_t cards = 0;
};

VcardReader::VcardReader(VcardOptions options) : m_state(std::make_unique<State>(options)) {}
VcardReader::~VcardReader() = default;
VcardReader::VcardReader(VcardReader&&) noexcept = default;
VcardReader& VcardReader::operator=(VcardReader&&) noexcept = default;

std::uint64_t VcardReader::max_kept_line_bytes() const {
    // A photo's base64 on one physical line is kept up to the photo limit; longer ones
    // are only counted.
    return std::max<std::uint64_t>(k_max_vcard_line_bytes,
                                   m_state->options.max_photo_bytes / 3 * 4 + 4096);
}

Expected<void> VcardReader::line(std::string_view text, std::uint64_t offset,
                                 const VcardVisitor& visit) {
    State& st = *m_state;
    if (offset == 0 && text.starts_with("\xef\xbb\xbf")) {
        text.remove_prefix(3); // a UTF-8 byte order mark (UTF-16 is converted before)
    }
    if (!st.card) {
        if (is_marker(text, "BEGIN:VCARD")) {
            st.card.emplace(st.options);
            st.card_offset = offset;
        }
        return {};
    }
    if (is_marker(text, "END:VCARD")) {
        VcardCard card{++st.cards, st.card_offset, st.card->finish()};
        st.card.reset();
        return visit(card);
    }
    if (is_marker(text, "BEGIN:VCARD")) {
        VcardCard card{++st.cards, st.card_offset,
                       fail(ErrorCode::malformed, "BEGIN:VCARD without END:VCARD")};
        st.card.emplace(st.options);
        st.card_offset = offset;
        return visit(card);
    }
    st.card->add(text);
    return {};
}

Expected<void> VcardReader::feed(std::string_view bytes, const VcardVisitor& visit) {
    State& st = *m_state;
    const std::uint64_t base = st.fed;
    st.fed += bytes.size();
    std::size_t i = 0;
    if (!st.overlong && !st.partial.empty() && st.partial.back() == '\r') {
        // The last chunk ended in CRs: they end the kept line, with an LF or without.
        while (i < bytes.size() && bytes[i] == '\r') {
            ++i;
        }
        if (i == bytes.size()) {
            st.partial.append(bytes);
            return {};
        }
        if (bytes[i] == '\n') {
            ++i;
        }
        DOCKSCAN_TRY(end_line({}, base, visit));
    }
    while (i < bytes.size()) {
        // A line ends at LF, CR LF, or any run of CRs with an LF or without: real
        // exporters write all of them (iOS: CR CR LF; old Macs: CR).
        std::size_t end = i;
        while (end < bytes.size() && bytes[end] != '\n' && bytes[end] != '\r') {
            ++end;
        }
        if (end == bytes.size()) {
            keep_partial(bytes.substr(i), base + i);
            return {};
        }
        std::size_t next = end;
        while (next < bytes.size() && bytes[next] == '\r') {
            ++next;
        }
        if (next == bytes.size()) {
            // CRs at the end of the chunk: an LF may follow in the next one.
            keep_partial(bytes.substr(i), base + i);
            return {};
        }
        if (bytes[next] == '\n') {
            ++next;
        }
        DOCKSCAN_TRY(end_line(bytes.substr(i, end - i), base + i, visit));
        i = next;
    }
    return {};
}

void VcardReader::keep_partial(std::string_view rest, std::uint64_t offset) {
    State& st = *m_state;
    if (st.partial.empty() && !st.overlong) {
        st.partial_offset = offset;
    }
    if (st.overlong) {
        st.overlong_length += rest.size();
        return;
    }
    if (st.partial.size() + rest.size() > max_kept_line_bytes()) {
        st.overlong = true;
        st.overlong_length = st.partial.size() + rest.size();
        st.partial.resize(std::min<std::size_t>(st.partial.size(), 4096)); // its head
        return;
    }
    st.partial.append(rest);
}

Expected<void> VcardReader::end_line(std::string_view tail, std::uint64_t offset,
                                     const VcardVisitor& visit) {
    State& st = *m_state;
    if (st.overlong) {
        st.overlong = false;
        const std::uint64_t length = st.overlong_length + tail.size();
        const std::string head = std::move(st.partial);
        st.partial.clear();
        if (st.card) {
            st.card->add_overlong(head, length);
        }
        return {};
    }
    if (!st.partial.empty()) {
        st.partial.append(tail);
        std::string text = std::move(st.partial);
        st.partial.clear();
        std::string_view view(text);
        while (!view.empty() && view.back() == '\r') {
            view.remove_suffix(1); // CRs a chunk boundary left in the kept part
        }
        return line(view, st.partial_offset, visit);
    }
    return line(tail, offset, visit);
}

Expected<void> VcardReader::finish(const VcardVisitor& visit) {
    State& st = *m_state;
    if (st.overlong || !st.partial.empty()) {
        DOCKSCAN_TRY(end_line({}, st.fed, visit));
    }
    if (st.card) {
        VcardCard card{++st.cards, st.card_offset,
                       fail(ErrorCode::malformed, "BEGIN:VCARD without END:VCARD")};
        st.card.reset();
        return visit(card);
    }
    return {};
}

bool is_utf16_text(std::string_view bytes) {
    return bytes.starts_with("\xff\xfe") || bytes.starts_with("\xfe\xff");
}

std::string vcard_file_text(std::string_view bytes) {
    return is_utf16_text(bytes) ? text_file_to_utf8(bytes) : std::string(bytes);
}

std::vector<Expected<Contact>> parse_vcards(std::string_view bytes) {
    const std::string text = vcard_file_text(bytes);
    std::vector<Expected<Contact>> cards;
    VcardReader reader;
    const auto keep = [&](VcardCard& card) -> Expected<void> {
        cards.push_back(std::move(card.contact));
        return {};
    };
    (void)reader.feed(text, keep);
    (void)reader.finish(keep);
    return cards;
}

std::string render_contact(const Contact& contact) {
    std::string out;
    const auto line = [&](std::string_view caption, const std::string& value) {
        if (!value.empty()) {
            out.append(caption).append(": ").append(value).append("\n");
        }
    };
    line("Namn", contact.formatted_name);
    line("Förnamn", contact.given_name);
    line("Mellannamn", contact.additional_names);
    line("Efternamn", contact.family_name);
    line("Smeknamn", contact.nickname);
    for (const std::string& phone : contact.phones) {
        line("Telefon", phone);
    }
    for (const std::string& email : contact.emails) {
        line("E-post", email);
    }
    for (const std::string& address : contact.addresses) {
        line("Adress", address);
    }
    line("Organisation", contact.organization);
    line("Titel", contact.title);
    line("Födelsedag", contact.birthday);
    for (const std::string& note : contact.notes) {
        line("Anteckning", note);
    }
    return out;
}

namespace {

// `part` as `shown` spells it when `shown` has it as a word but for case.
std::string spelled_as_shown(const std::string& part, std::string_view shown) {
    if (part.empty()) {
        return part;
    }
    const std::string lower = base::to_lower_sv(part);
    std::size_t start = 0;
    while (start < shown.size()) {
        const auto space = shown.find(' ', start);
        const auto end = space == std::string_view::npos ? shown.size() : space;
        const std::string_view word = shown.substr(start, end - start);
        if (word.size() == part.size() && base::to_lower_sv(word) == lower) {
            return std::string(word);
        }
        start = end + 1;
    }
    return part;
}

} // namespace

ItemContent contact_content(const Contact& contact) {
    // Which of the phone's fields make a full name is the detectors' question; the
    // name is what the phone shows, so N's parts take FN's spelling where they are
    // FN's words in another case.
    const std::string& shown = contact.formatted_name;
    return ItemContent{ContentKind::text, render_contact(contact),
                       PersonName{spelled_as_shown(contact.given_name, shown),
                                  spelled_as_shown(contact.family_name, shown), shown}};
}

} // namespace dockscan::docking
