#include "docking/sms_export.hpp"

#include "base/text.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <ctime>
#include <functional>
#include <optional>
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
    // `buffer` holds what pugixml parsed in place, which starts at byte `base` of the file.
    Parser(std::string_view buffer, std::uint64_t base, SmsExportSink& sink)
        : m_buffer(buffer), m_base(base), m_sink(sink) {}

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
                attachment.data_offset =
                    m_base + static_cast<std::uint64_t>(data - m_buffer.data());
                attachment.data_length = std::strlen(data);
            }
            DOCKSCAN_TRY(m_sink.item(attachment));
        }
        return {};
    }

private:
    std::string_view m_buffer;
    std::uint64_t m_base;
    SmsExportSink& m_sink;
};

// A whole document at once: for UTF-16 files, which the streaming reader does not split.
Expected<void> parse_document(std::string& buffer, SmsExportSink& sink) {
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
    Parser parser(buffer, 0, sink);
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

constexpr std::size_t k_npos = std::string::npos;

bool is_name_end(char c) {
    return is_space(c) || c == '/' || c == '>';
}

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

namespace {

// What the scanner is in after a '<'.
enum class TagKind {
    unknown,     // not enough bytes yet to tell
    start,       // <name ...> or <name .../>
    end,         // </name>
    declaration, // <!DOCTYPE ...>
    marked,      // <!-- -->, <![CDATA[ ]]>, <? ?>
};

} // namespace

struct SmsExportReader::State {
    State(SmsExportSink& s, std::uint64_t max) : sink(s), max_element_bytes(max) {}
    SmsExportSink& sink;
    std::uint64_t max_element_bytes;
    std::string buf;        // unconsumed bytes: at most one element and one chunk
    std::uint64_t base = 0; // file offset of buf[0]
    std::size_t pos = 0;    // where scanning goes on in buf
    int depth = 0;          // 0 before the root, 1 inside <smses>, 2+ inside a message
    bool root_seen = false;
    bool done = false; // the root has ended: the rest is not read
    bool first = true;
    bool utf16 = false; // kept whole and parsed as one document at the end
    // The error that ended the reading: the state after it means nothing, and a caller
    // that goes on (finish after a failed feed) gets it again, not items made of that.
    std::optional<Error> failed;
    // The tag being scanned (its '<' in buf), where its scan goes on, and its quote.
    std::size_t tag = k_npos;
    std::size_t tag_scan = 0;
    char quote = 0;
    TagKind kind = TagKind::unknown;
    std::string_view closing; // what ends a comment, CDATA, PI or end tag
    // Inside a message element (from its start tag's '<' on), and where it starts in
    // buf (k_npos once a skipped element's start is dropped).
    bool in_element = false;
    std::size_t element = k_npos;
    bool oversized = false; // the current element went over the limit: it is skipped
};

SmsExportReader::SmsExportReader(SmsExportSink& sink, std::uint64_t max_element_bytes)
    : m_state(std::make_unique<State>(sink, max_element_bytes)) {}
SmsExportReader::~SmsExportReader() = default;

Expected<void> SmsExportReader::feed(std::string_view bytes) {
    State& st = *m_state;
    if (st.failed) {
        return tl::unexpected(*st.failed);
    }
    if (st.done) {
        return {};
    }
    st.buf.append(bytes);
    if (st.first) {
        // The byte order mark takes two bytes, and a chunk may hold one (a read from a
        // phone's stream): the reader waits for the second before it decides.
        if (st.buf.size() < 2) {
            return {};
        }
        st.first = false;
        st.utf16 = st.buf.starts_with("\xff\xfe") || st.buf.starts_with("\xfe\xff");
    }
    if (st.utf16) {
        return {};
    }
    if (auto scanned = scan(false); !scanned) {
        st.failed = scanned.error();
        return scanned;
    }
    compact();
    return {};
}

std::size_t SmsExportReader::buffered_bytes() const {
    return m_state->buf.size();
}

Expected<void> SmsExportReader::finish() {
    State& st = *m_state;
    if (st.failed) {
        return tl::unexpected(*st.failed);
    }
    st.first = false; // a file of one byte has no byte order mark
    if (st.utf16) {
        return parse_document(st.buf, st.sink);
    }
    if (!st.done) {
        if (auto scanned = scan(true); !scanned) {
            st.failed = scanned.error();
            return scanned;
        }
    }
    if (!st.root_seen) {
        return fail(ErrorCode::malformed, "root element is not <smses>");
    }
    if (!st.done) {
        // A copy cut short still holds the messages before the cut: they were delivered.
        st.sink.problem("", ErrorCode::malformed,
                        "broken XML: the file ends inside <smses> at byte " +
                            std::to_string(st.base + st.buf.size()) +
                            "; messages before it are listed");
    }
    st.buf.clear();
    return {};
}

void SmsExportReader::compact() {
    State& st = *m_state;
    std::size_t keep = st.tag != k_npos ? st.tag : st.pos;
    if (st.in_element && !st.oversized && st.element != k_npos) {
        keep = std::min(keep, st.element);
    }
    if (st.oversized && st.tag != k_npos && st.kind == TagKind::start && st.tag_scan > st.tag + 1) {
        // Only the scan's place matters in a skipped element's tag (and the byte before
        // it, for a '/' right before the '>').
        keep = st.tag_scan - 1;
    }
    if (keep == 0) {
        return;
    }
    st.buf.erase(0, keep);
    st.base += keep;
    st.pos -= std::min(st.pos, keep);
    if (st.tag != k_npos) {
        st.tag = st.tag >= keep ? st.tag - keep : 0; // a skipped tag's start is gone
        st.tag_scan -= keep;
    }
    if (st.element != k_npos) {
        st.element = st.element >= keep ? st.element - keep : k_npos;
    }
}

Expected<void> SmsExportReader::scan(bool at_end) {
    State& st = *m_state;
    for (;;) {
        if (st.done) {
            return {};
        }
        // How far the element reaches: memory is bounded by the limit and one chunk.
        const std::size_t reached = st.tag != k_npos ? st.tag_scan : st.pos;
        if (st.in_element && !st.oversized && st.element != k_npos &&
            reached - st.element > st.max_element_bytes) {
            st.oversized = true;
            st.sink.problem("", ErrorCode::too_large,
                            "a message of more than " + std::to_string(st.max_element_bytes) +
                                " bytes at byte " + std::to_string(st.base + st.element) +
                                " is not read");
        }
        if (st.tag == k_npos) {
            const auto lt = st.buf.find('<', st.pos);
            if (lt == k_npos) {
                st.pos = st.buf.size();
                return {};
            }
            st.tag = lt;
            st.tag_scan = lt + 1;
            st.quote = 0;
            st.closing = {};
            st.kind = TagKind::unknown;
        }
        if (st.kind == TagKind::unknown) {
            const std::string_view rest = std::string_view(st.buf).substr(st.tag);
            const auto need_more = [&](std::string_view what) {
                return rest.size() < what.size() && what.starts_with(rest) && !at_end;
            };
            if (rest.size() < 2 || need_more("<!--") || need_more("<![CDATA[")) {
                return {}; // more bytes tell; at the end, finish() says the file is cut
            }
            st.kind = TagKind::marked;
            if (rest.starts_with("<!--")) {
                st.closing = "-->";
            } else if (rest.starts_with("<![CDATA[")) {
                st.closing = "]]>";
            } else if (rest.starts_with("<?")) {
                st.closing = "?>";
            } else if (rest.starts_with("</")) {
                st.closing = ">";
                st.kind = TagKind::end;
            } else if (rest.starts_with("<!")) {
                st.kind = TagKind::declaration;
            } else {
                st.kind = TagKind::start;
                if (st.depth == 1 && !st.in_element) {
                    st.in_element = true; // a message starts with this tag
                    st.element = st.tag;
                    st.oversized = false;
                }
            }
            st.tag_scan = st.tag + 2;
        }
        if (st.kind == TagKind::marked || st.kind == TagKind::end) {
            const auto end = st.buf.find(st.closing, st.tag_scan);
            if (end == k_npos) {
                st.tag_scan =
                    std::max(st.tag_scan, st.buf.size() - std::min<std::size_t>(st.buf.size(), 2));
                return {};
            }
            st.pos = end + st.closing.size();
            const bool end_tag = st.kind == TagKind::end;
            st.tag = k_npos;
            if (end_tag) {
                --st.depth;
                if (st.depth <= 0) {
                    st.done = true;
                    return {};
                }
                if (st.depth == 1 && st.in_element) {
                    DOCKSCAN_TRY(element_ended(st.pos));
                }
            }
            continue;
        }
        // A start tag or a declaration (DOCTYPE): ends at a '>' outside quotes and, for
        // a DOCTYPE, outside its internal subset in brackets.
        const bool declaration = st.kind == TagKind::declaration;
        std::size_t end = k_npos;
        for (std::size_t i = st.tag_scan; i < st.buf.size(); ++i) {
            const char c = st.buf[i];
            if (st.quote != 0) {
                if (c == st.quote || (st.quote == '[' && c == ']')) {
                    st.quote = 0;
                }
            } else if (c == '"' || c == '\'' || (declaration && c == '[')) {
                st.quote = c;
            } else if (c == '>') {
                end = i;
                break;
            }
        }
        if (end == k_npos) {
            st.tag_scan = st.buf.size();
            return {};
        }
        st.pos = end + 1;
        const std::size_t start = st.tag;
        st.tag = k_npos;
        if (declaration) {
            continue;
        }
        const bool self_closing = st.buf[end - 1] == '/';
        if (st.depth == 0) {
            std::size_t name_end = start + 1;
            while (name_end < end && !is_name_end(st.buf[name_end])) {
                ++name_end;
            }
            if (std::string_view(st.buf).substr(start + 1, name_end - start - 1) != "smses") {
                return fail(ErrorCode::malformed, "root element is not <smses>");
            }
            st.root_seen = true;
            st.depth = self_closing ? 0 : 1;
            st.done = self_closing;
            continue;
        }
        if (!self_closing) {
            ++st.depth;
        } else if (st.depth == 1) {
            DOCKSCAN_TRY(element_ended(st.pos));
        }
    }
}

Expected<void> SmsExportReader::element_ended(std::size_t end) {
    State& st = *m_state;
    const std::size_t start = st.element;
    st.element = k_npos;
    st.in_element = false;
    if (st.oversized || start == k_npos) {
        st.oversized = false;
        return {};
    }
    if (end - start > st.max_element_bytes) {
        // Whole within one chunk: still over the limit.
        st.sink.problem("", ErrorCode::too_large,
                        "a message of more than " + std::to_string(st.max_element_bytes) +
                            " bytes at byte " + std::to_string(st.base + start) + " is not read");
        return {};
    }
    // Parsed in place: the bytes are consumed, and attachments' data keep their offsets.
    char* data = st.buf.data() + start;
    const std::size_t size = end - start;
    const std::uint64_t offset = st.base + start;
    pugi::xml_document doc;
    const pugi::xml_parse_result parsed =
        doc.load_buffer_inplace(data, size, pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) {
        st.sink.problem("", ErrorCode::malformed,
                        std::string("broken XML: ") + parsed.description() + " at byte " +
                            std::to_string(offset + static_cast<std::uint64_t>(parsed.offset)) +
                            "; the message there is not read");
        return {};
    }
    const pugi::xml_node node = doc.document_element();
    const std::string_view name = node.name();
    Parser parser(std::string_view(data, size), offset, st.sink);
    if (name == "sms") {
        return parser.sms(node);
    }
    if (name == "mms") {
        return parser.mms(node);
    }
    return {};
}

Expected<void> parse_sms_export(std::string& buffer, SmsExportSink& sink) {
    SmsExportReader reader(sink);
    DOCKSCAN_TRY(reader.feed(buffer));
    return reader.finish();
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
