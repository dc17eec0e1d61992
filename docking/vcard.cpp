#include "docking/vcard.hpp"

#include "base/text.hpp"
#include "docking/text_decode.hpp"

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

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

bool is_marker(std::string_view line, std::string_view marker) {
    return upper_ascii(trim(line)) == marker;
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
    head.name = upper_ascii(trim(name));
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
    return std::string(trim(out));
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
            version_21 = trim(std::string_view(line).substr(head.value_start)) == "2.1";
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

// Collects the logical lines of one card from its physical lines.
class CardLines {
public:
    void add(std::string_view line) {
        if (!m_error.empty()) {
            return; // broken already: only its END matters now
        }
        const bool continuation = !line.empty() && (line[0] == ' ' || line[0] == '\t');
        if (m_skipping) {
            // Binary data goes on over folded lines, and in 2.1 over unindented base64
            // lines up to a blank line. A line with a ':' is the next property.
            if (continuation || line.find(':') == std::string_view::npos) {
                return;
            }
            m_skipping = false;
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
        if (head.valid && is_binary(head)) {
            m_skipping = true;
            return;
        }
        m_pending_qp = head.quoted_printable;
        append(line);
    }

    [[nodiscard]] Expected<Contact> finish() {
        flush();
        if (!m_error.empty()) {
            return fail(ErrorCode::malformed, m_error);
        }
        return build_contact(m_lines);
    }

private:
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

    std::vector<std::string> m_lines;
    std::string m_pending;
    bool m_pending_qp = false;
    bool m_skipping = false;
    std::string m_error;
};

// The file as text: byte order marks honoured, other bytes left for each value's CHARSET.
std::string file_text(std::string_view bytes) {
    if (bytes.starts_with("\xff\xfe") || bytes.starts_with("\xfe\xff")) {
        return text_file_to_utf8(bytes);
    }
    if (bytes.starts_with("\xef\xbb\xbf")) {
        bytes.remove_prefix(3);
    }
    return std::string(bytes);
}

} // namespace

std::vector<Expected<Contact>> parse_vcards(std::string_view bytes) {
    const std::string text = file_text(bytes);
    std::vector<Expected<Contact>> cards;
    std::optional<CardLines> card;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) {
            end = text.size();
        }
        std::string_view line = std::string_view(text).substr(start, end - start);
        start = end + 1;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (!card) {
            if (is_marker(line, "BEGIN:VCARD")) {
                card.emplace();
            }
            continue;
        }
        if (is_marker(line, "END:VCARD")) {
            cards.push_back(card->finish());
            card.reset();
        } else if (is_marker(line, "BEGIN:VCARD")) {
            cards.push_back(fail(ErrorCode::malformed, "BEGIN:VCARD without END:VCARD"));
            card.emplace();
        } else {
            card->add(line);
        }
    }
    if (card) {
        cards.push_back(fail(ErrorCode::malformed, "BEGIN:VCARD without END:VCARD"));
    }
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

ItemContent contact_content(const Contact& contact) {
    return ItemContent{ContentKind::text, render_contact(contact),
                       PersonName{contact.given_name, contact.family_name, contact.formatted_name}};
}

} // namespace dockscan::docking
