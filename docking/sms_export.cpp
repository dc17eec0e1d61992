#include "docking/sms_export.hpp"

#include "base/text.hpp"

#include <charconv>
#include <cstring>
#include <ctime>
#include <functional>
#include <pugixml.hpp>

namespace dockscan::docking {
namespace {

std::uint64_t fnv1a(std::initializer_list<std::string_view> fields) {
    std::uint64_t hash = 0xcbf29ce484222325u;
    for (const std::string_view field : fields) {
        for (const char c : field) {
            hash ^= static_cast<std::uint8_t>(c);
            hash *= 0x100000001b3u;
        }
        hash ^= 0x1f; // a field separator, so that ("ab","c") and ("a","bc") differ
        hash *= 0x100000001b3u;
    }
    return hash;
}

std::string hex64(std::uint64_t value) {
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out(16, '0');
    for (std::size_t i = 16; i-- > 0;) {
        out[i] = k_hex[value & 0xf];
        value >>= 4;
    }
    return out;
}

std::int64_t parse_int(std::string_view s) {
    std::int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    return ec == std::errc() ? value : 0;
}

std::int64_t to_unix_seconds(std::int64_t ms) {
    return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

// pugixml writes each character reference as it is, so the surrogate pair of an emoji
// that SMS Backup & Restore writes as "&#55357;&#56832;" becomes two 3-byte sequences
// (CESU-8). Joins such pairs into the one 4-byte sequence; lone halves stay ill-formed
// and become U+FFFD afterwards.
std::string join_surrogate_pairs(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(s[i]); };
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i + 5 < s.size() && byte(i) == 0xed && byte(i + 1) >= 0xa0 && byte(i + 1) <= 0xaf &&
            byte(i + 3) == 0xed && byte(i + 4) >= 0xb0 && byte(i + 4) <= 0xbf) {
            const std::uint32_t high =
                0xd000u | ((byte(i + 1) & 0x3fu) << 6) | (byte(i + 2) & 0x3fu);
            const std::uint32_t low =
                0xd000u | ((byte(i + 4) & 0x3fu) << 6) | (byte(i + 5) & 0x3fu);
            const std::uint32_t cp = 0x10000u + ((high - 0xd800u) << 10) + (low - 0xdc00u);
            out += static_cast<char>(0xf0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
            out += static_cast<char>(0x80 | (cp & 0x3f));
            i += 5;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string clean_text(const char* value) {
    return base::to_valid_utf8(join_surrogate_pairs(value));
}

std::string sms_caption(std::int64_t type) {
    switch (type) {
    case 1:
        return "SMS från";
    case 2:
    case 4: // outbox
    case 5: // failed
    case 6: // queued
        return "SMS till";
    case 3:
        return "SMS-utkast till";
    default:
        return "SMS med";
    }
}

std::string mms_caption(std::int64_t box) {
    switch (box) {
    case 1:
        return "MMS från";
    case 2:
    case 4:
        return "MMS till";
    case 3:
        return "MMS-utkast till";
    default:
        return "MMS med";
    }
}

bool is_base64_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

class Parser {
public:
    Parser(const std::string& buffer, SmsExportSink& sink) : m_buffer(buffer), m_sink(sink) {}

    Expected<void> sms(const pugi::xml_node& node) {
        const std::string address = clean_text(node.attribute("address").value());
        const std::string type_text = node.attribute("type").value();
        const std::int64_t date_ms = parse_int(node.attribute("date").value());
        SmsItem item;
        item.type = ItemType::message;
        item.text = clean_text(node.attribute("body").value());
        item.key =
            "sms:" + std::to_string(date_ms) + ":" + hex64(fnv1a({address, type_text, item.text}));
        item.mtime = to_unix_seconds(date_ms);
        item.label = sms_caption(parse_int(type_text)) + " " + shorten_address(address) + " " +
                     label_time(item.mtime);
        item.size = item.text.size();
        return m_sink.item(item);
    }

    Expected<void> mms(const pugi::xml_node& node) {
        const std::string address = clean_text(node.attribute("address").value());
        const std::string box_text = node.attribute("msg_box").value();
        const std::int64_t date_ms = parse_int(node.attribute("date").value());
        const std::string where =
            shorten_address(address) + " " + label_time(to_unix_seconds(date_ms));
        SmsItem message;
        message.type = ItemType::message;
        message.mtime = to_unix_seconds(date_ms);
        message.label = mms_caption(parse_int(box_text)) + " " + where;
        std::string shape; // each part's type and data length, for the key
        for (const pugi::xml_node& part : node.child("parts").children("part")) {
            const std::string_view ct = part.attribute("ct").value();
            shape.append(ct).append(":");
            shape.append(std::to_string(std::strlen(part.attribute("data").value()))).append(";");
            if (ct.starts_with("text/")) {
                const std::string text = clean_text(part.attribute("text").value());
                if (!text.empty()) {
                    message.text += message.text.empty() ? "" : "\n";
                    message.text += text;
                }
            }
        }
        message.key = "mms:" + std::to_string(date_ms) + ":" +
                      hex64(fnv1a({address, box_text, message.text, shape}));
        message.size = message.text.size();
        DOCKSCAN_TRY(m_sink.item(message));

        std::size_t k = 0;
        for (const pugi::xml_node& part : node.child("parts").children("part")) {
            ++k;
            const std::string_view ct = part.attribute("ct").value();
            const char* data = part.attribute("data").value();
            if (!ct.starts_with("image/") || *data == '\0' || std::string_view(data) == "null") {
                continue;
            }
            SmsItem attachment;
            attachment.type = ItemType::attachment;
            attachment.key = message.key + "/part:" + std::to_string(k);
            const auto size = base64_decoded_size(data);
            if (!size) {
                m_sink.problem(attachment.key, ErrorCode::malformed,
                               "image part is not valid base64");
                continue;
            }
            attachment.size = *size;
            attachment.data = data;
            attachment.mtime = message.mtime;
            attachment.label = "Bild (del " + std::to_string(k) + ") i " +
                               mms_caption(parse_int(box_text)) + " " + where;
            // In place, a value starts where it stood in the file; pugixml only moves
            // it when it converted the encoding, and then it lies outside `m_buffer`.
            const std::less<const char*> before;
            if (!before(data, m_buffer.data()) && before(data, m_buffer.data() + m_buffer.size())) {
                attachment.data_offset = static_cast<std::uint64_t>(data - m_buffer.data());
                attachment.data_length = std::strlen(data);
            }
            DOCKSCAN_TRY(m_sink.item(attachment));
        }
        return {};
    }

private:
    const std::string& m_buffer;
    SmsExportSink& m_sink;
};

} // namespace

bool looks_like_sms_export(std::string_view head) {
    if (head.starts_with("\xef\xbb\xbf")) {
        head.remove_prefix(3);
    }
    for (;;) {
        const auto lt = head.find('<');
        if (lt == std::string_view::npos) {
            return false;
        }
        head.remove_prefix(lt);
        std::string_view end_marker;
        if (head.starts_with("<?")) {
            end_marker = "?>";
        } else if (head.starts_with("<!--")) {
            end_marker = "-->";
        } else if (head.starts_with("<!")) {
            // A DOCTYPE, perhaps with an internal subset in brackets.
            const auto bracket = head.find('[');
            const auto close = head.find('>');
            end_marker = (bracket != std::string_view::npos && bracket < close) ? "]>" : ">";
        } else {
            head.remove_prefix(1);
            if (!head.starts_with("smses")) {
                return false;
            }
            return head.size() == 5 || is_space(head[5]) || head[5] == '>' || head[5] == '/';
        }
        const auto end = head.find(end_marker);
        if (end == std::string_view::npos) {
            return false;
        }
        head.remove_prefix(end + end_marker.size());
    }
}

Expected<void> parse_sms_export(std::string& buffer, SmsExportSink& sink) {
    pugi::xml_document doc;
    const pugi::xml_parse_result parsed =
        doc.load_buffer_inplace(buffer.data(), buffer.size(), pugi::parse_default);
    const pugi::xml_node root = doc.document_element();
    const std::string broken = parsed ? std::string()
                                      : std::string("broken XML: ") + parsed.description() +
                                            " at byte " + std::to_string(parsed.offset);
    if (std::string_view(root.name()) != "smses") {
        return fail(ErrorCode::malformed, !broken.empty() ? broken : "root element is not <smses>");
    }
    if (!broken.empty()) {
        // A copy cut short still holds the messages before the cut: deliver them.
        sink.problem("", ErrorCode::malformed, broken + "; messages before it are listed");
    }
    Parser parser(buffer, sink);
    for (const pugi::xml_node& node : root.children()) {
        const std::string_view name = node.name();
        if (name == "sms") {
            DOCKSCAN_TRY(parser.sms(node));
        } else if (name == "mms") {
            DOCKSCAN_TRY(parser.mms(node));
        }
    }
    return {};
}

std::optional<std::uint64_t> base64_decoded_size(std::string_view text) {
    std::uint64_t chars = 0;
    std::uint64_t padding = 0;
    for (const char c : text) {
        if (is_space(c)) {
            continue;
        }
        if (c == '=') {
            ++padding;
        } else if (padding != 0 || !is_base64_char(c)) {
            return std::nullopt; // data after padding, or not base64 at all
        } else {
            ++chars;
        }
    }
    if (chars % 4 == 1 || padding > 2 || (padding != 0 && (chars + padding) % 4 != 0)) {
        return std::nullopt;
    }
    return chars * 3 / 4;
}

Expected<std::string> decode_base64(std::string_view text) {
    const auto size = base64_decoded_size(text);
    if (!size) {
        return fail(ErrorCode::malformed, "not valid base64");
    }
    const auto value = [](char c) -> std::uint32_t {
        if (c >= 'A' && c <= 'Z') {
            return static_cast<std::uint32_t>(c - 'A');
        }
        if (c >= 'a' && c <= 'z') {
            return static_cast<std::uint32_t>(c - 'a' + 26);
        }
        if (c >= '0' && c <= '9') {
            return static_cast<std::uint32_t>(c - '0' + 52);
        }
        return c == '+' ? 62u : 63u;
    };
    std::string out;
    out.reserve(static_cast<std::size_t>(*size));
    std::uint32_t bits = 0;
    int count = 0;
    for (const char c : text) {
        if (is_space(c) || c == '=') {
            continue;
        }
        bits = (bits << 6) | value(c);
        count += 6;
        if (count >= 8) {
            count -= 8;
            out += static_cast<char>((bits >> count) & 0xff);
        }
    }
    return out;
}

} // namespace dockscan::docking
