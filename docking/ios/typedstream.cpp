#include "docking/ios/typedstream.hpp"

#include "base/text.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace dockscan::docking::ios {
namespace {

// Head bytes, read as signed. -128..-111 are tags; every other value is a one-byte
// integer, and reference numbers start right above the tags at -110 (0x92).
constexpr int k_tag_int16 = -127; // 0x81
constexpr int k_tag_int32 = -126; // 0x82
constexpr int k_tag_float = -125; // 0x83
constexpr int k_tag_new = -124;   // 0x84
constexpr int k_tag_nil = -123;   // 0x85
constexpr int k_tag_end = -122;   // 0x86
constexpr int k_first_tag = -128;
constexpr int k_last_tag = -111;
constexpr std::int64_t k_first_reference = -110;

constexpr int k_streamer_version = 4;
constexpr int k_streamer_version_nextstep = 3;
constexpr std::string_view k_signature_little = "streamtyped";
constexpr std::string_view k_signature_big = "typedstream";
// Superclass chains are short (NSMutableAttributedString, NSAttributedString, NSObject).
constexpr std::size_t k_max_chain = 64;
constexpr std::size_t k_none = std::numeric_limits<std::size_t>::max();

bool is_tag(int head) {
    return head >= k_first_tag && head <= k_last_tag;
}

enum class EntryKind { object, class_, c_string };

struct Entry {
    EntryKind kind;
    std::string_view name;           // class name
    std::size_t superclass = k_none; // for classes
};

class Decoder {
public:
    Decoder(std::string_view data, const TypedStreamLimits& limits)
        : m_data(data), m_limits(limits) {}

    Expected<std::string> run() {
        DOCKSCAN_TRY(read_header());
        while (!m_text && m_pos < m_data.size()) {
            DOCKSCAN_TRY_ASSIGN(const int h, head());
            DOCKSCAN_TRY(read_group(h, false));
        }
        if (!m_text) {
            return fail(ErrorCode::malformed,
                        m_root_seen ? "typedstream holds no string" : "typedstream is empty");
        }
        return base::to_valid_utf8(*m_text);
    }

private:
    Error error(std::string_view what) const {
        return Error{ErrorCode::malformed,
                     "typedstream: " + std::string(what) + " at byte " + std::to_string(m_pos)};
    }

    Expected<std::string_view> take(std::size_t n) {
        if (n > m_data.size() - m_pos) {
            return tl::unexpected(error("data ends early (truncated)"));
        }
        const std::string_view out = m_data.substr(m_pos, n);
        m_pos += n;
        return out;
    }

    Expected<int> head() {
        DOCKSCAN_TRY_ASSIGN(const std::string_view b, take(1));
        return static_cast<int>(static_cast<std::int8_t>(b[0]));
    }

    // An integer of `n` bytes in the stream's byte order.
    Expected<std::int64_t> fixed(std::size_t n, bool is_signed) {
        DOCKSCAN_TRY_ASSIGN(const std::string_view b, take(n));
        std::uint64_t value = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t k = m_big_endian ? i : n - 1 - i;
            value = (value << 8) | static_cast<unsigned char>(b[k]);
        }
        if (is_signed && (value >> (n * 8 - 1)) != 0) {
            return static_cast<std::int64_t>(value) - (std::int64_t{1} << (n * 8));
        }
        return static_cast<std::int64_t>(value);
    }

    Expected<std::int64_t> integer(int h, bool is_signed) {
        if (!is_tag(h)) {
            return is_signed ? h : (h & 0xff);
        }
        if (h == k_tag_int16) {
            return fixed(2, is_signed);
        }
        if (h == k_tag_int32) {
            return fixed(4, is_signed);
        }
        return tl::unexpected(error("unexpected tag where an integer belongs"));
    }

    Expected<std::size_t> reference(int h, std::size_t table_size) {
        DOCKSCAN_TRY_ASSIGN(const std::int64_t number, integer(h, true));
        const std::int64_t index = number - k_first_reference;
        if (index < 0 || static_cast<std::uint64_t>(index) >= table_size) {
            return tl::unexpected(error("reference to nothing read before"));
        }
        return static_cast<std::size_t>(index);
    }

    Expected<void> count_value() {
        if (++m_values > m_limits.max_values) {
            return fail(ErrorCode::too_large, "typedstream has more than " +
                                                  std::to_string(m_limits.max_values) + " values");
        }
        return {};
    }

    Expected<void> enter() {
        if (++m_depth > m_limits.max_depth) {
            return fail(ErrorCode::too_large, "typedstream nests deeper than " +
                                                  std::to_string(m_limits.max_depth) + " levels");
        }
        return {};
    }

    Expected<void> check_table(std::size_t size) const {
        if (size >= m_limits.max_references) {
            return fail(ErrorCode::too_large, "typedstream has more than " +
                                                  std::to_string(m_limits.max_references) +
                                                  " shared entries");
        }
        return {};
    }

    Expected<void> read_header() {
        if (m_data.size() > m_limits.max_blob_bytes) {
            return fail(ErrorCode::too_large, "typedstream is larger than the limit");
        }
        DOCKSCAN_TRY_ASSIGN(const std::string_view start, take(2));
        const auto version = static_cast<unsigned char>(start[0]);
        if (version == k_streamer_version_nextstep) {
            return fail(ErrorCode::unsupported, "typedstream of old NeXTSTEP (version 3)");
        }
        if (version != k_streamer_version || static_cast<std::size_t>(start[1]) != 11) {
            return tl::unexpected(error("not a typedstream (no streamtyped header)"));
        }
        DOCKSCAN_TRY_ASSIGN(const std::string_view signature, take(11));
        if (signature == k_signature_big) {
            m_big_endian = true;
        } else if (signature != k_signature_little) {
            return tl::unexpected(error("not a typedstream (no streamtyped header)"));
        }
        // The system version (1000 since Mac OS X) says nothing we need.
        DOCKSCAN_TRY_ASSIGN(const int h, head());
        DOCKSCAN_TRY(integer(h, false));
        return {};
    }

    // A byte string with its length in front, or nil.
    Expected<std::optional<std::string_view>> unshared_string(int h) {
        if (h == k_tag_nil) {
            return std::optional<std::string_view>{};
        }
        DOCKSCAN_TRY_ASSIGN(const std::int64_t length, integer(h, false));
        DOCKSCAN_TRY_ASSIGN(const std::string_view bytes, take(static_cast<std::size_t>(length)));
        return std::optional<std::string_view>(bytes);
    }

    // A string stored once and referred to by number after that, or nil.
    Expected<std::optional<std::string_view>> shared_string(int h) {
        if (h == k_tag_nil) {
            return std::optional<std::string_view>{};
        }
        if (h == k_tag_new) {
            DOCKSCAN_TRY_ASSIGN(const int h2, head());
            DOCKSCAN_TRY_ASSIGN(const auto s, unshared_string(h2));
            if (!s) {
                return tl::unexpected(error("shared string is nil"));
            }
            DOCKSCAN_TRY(check_table(m_strings.size()));
            m_strings.push_back(*s);
            return s;
        }
        DOCKSCAN_TRY_ASSIGN(const std::size_t index, reference(h, m_strings.size()));
        return std::optional<std::string_view>(m_strings[index]);
    }

    Expected<std::size_t> add_entry(Entry entry) {
        DOCKSCAN_TRY(check_table(m_objects.size()));
        m_objects.push_back(entry);
        return m_objects.size() - 1;
    }

    // A class and its superclasses; returns the class's entry, or k_none for nil.
    Expected<std::size_t> read_class(int h) {
        const std::size_t chain_start = m_objects.size();
        std::vector<std::size_t> chain;
        while (h == k_tag_new) {
            if (chain.size() >= k_max_chain) {
                return fail(ErrorCode::too_large, "typedstream class chain is too long");
            }
            DOCKSCAN_TRY_ASSIGN(const int name_head, head());
            DOCKSCAN_TRY_ASSIGN(const auto name, shared_string(name_head));
            if (!name) {
                return tl::unexpected(error("class without a name"));
            }
            DOCKSCAN_TRY_ASSIGN(const int version_head, head());
            DOCKSCAN_TRY(integer(version_head, true));
            DOCKSCAN_TRY_ASSIGN(const std::size_t index, add_entry({EntryKind::class_, *name}));
            chain.push_back(index);
            DOCKSCAN_TRY_ASSIGN(h, head());
        }
        std::size_t superclass = k_none;
        if (h != k_tag_nil) {
            // Only a class read before this chain: that keeps every chain free of loops.
            DOCKSCAN_TRY_ASSIGN(superclass, reference(h, chain_start));
            if (m_objects[superclass].kind != EntryKind::class_) {
                return tl::unexpected(error("class reference to something that is no class"));
            }
        }
        for (std::size_t i = 0; i < chain.size(); ++i) {
            m_objects[chain[i]].superclass = i + 1 < chain.size() ? chain[i + 1] : superclass;
        }
        return chain.empty() ? superclass : chain.front();
    }

    bool class_is(std::size_t index, std::string_view name) const {
        for (std::size_t steps = 0; index != k_none && steps < k_max_chain; ++steps) {
            if (m_objects[index].name == name) {
                return true;
            }
            index = m_objects[index].superclass;
        }
        return false;
    }

    Expected<void> read_object(int h) {
        if (h == k_tag_nil) {
            return {};
        }
        if (h != k_tag_new) {
            // A reference to an object read before; its contents are known already.
            DOCKSCAN_TRY(reference(h, m_objects.size()));
            return {};
        }
        DOCKSCAN_TRY(enter());
        DOCKSCAN_TRY(add_entry({EntryKind::object, {}}));
        DOCKSCAN_TRY_ASSIGN(const int class_head, head());
        DOCKSCAN_TRY_ASSIGN(const std::size_t klass, read_class(class_head));
        const bool is_string = klass != k_none && class_is(klass, "NSString");
        if (!m_root_seen) {
            m_root_seen = true;
            if (!is_string && (klass == k_none || !class_is(klass, "NSAttributedString"))) {
                return fail(ErrorCode::unsupported,
                            "typedstream holds a " +
                                std::string(klass == k_none ? "nil" : m_objects[klass].name) +
                                ", not a string");
            }
        }
        // The first bytes value of an NSString (or NSMutableString) is its UTF-8 text:
        // of the root itself, or of the attributed string's own string, its first child.
        // Strings deeper down are attribute names and values, never the message.
        const bool capture = is_string && m_depth <= 2;
        while (!m_text) {
            DOCKSCAN_TRY_ASSIGN(const int next, head());
            if (next == k_tag_end) {
                break;
            }
            DOCKSCAN_TRY(read_group(next, capture));
        }
        --m_depth;
        return {};
    }

    // The end of the single type encoding that starts at `start`.
    Expected<std::size_t> end_of_encoding(std::string_view encoding, std::size_t start) const {
        std::size_t depth = 0;
        for (std::size_t i = start; i < encoding.size(); ++i) {
            const char c = encoding[i];
            if (c == '[' || c == '{' || c == '(') {
                ++depth;
            } else if (depth > 0 && (c == ']' || c == '}' || c == ')')) {
                if (--depth == 0) {
                    return i + 1;
                }
            } else if (depth == 0) {
                return i + 1;
            }
        }
        return tl::unexpected(error("type encoding is cut off"));
    }

    Expected<void> read_values(std::string_view encodings, bool capture) {
        for (std::size_t pos = 0; pos < encodings.size() && !m_text;) {
            DOCKSCAN_TRY_ASSIGN(const std::size_t end, end_of_encoding(encodings, pos));
            DOCKSCAN_TRY(read_value(encodings.substr(pos, end - pos), capture));
            pos = end;
        }
        return {};
    }

    // A type encoding string, then one value for each type in it.
    Expected<void> read_group(int h, bool capture) {
        DOCKSCAN_TRY_ASSIGN(const auto encoding, shared_string(h));
        if (!encoding || encoding->empty()) {
            return tl::unexpected(error("values without a type"));
        }
        return read_values(*encoding, capture);
    }

    Expected<void> read_array(std::string_view encoding) {
        // "[12c]": a count, then one element type.
        std::size_t i = 1;
        std::uint64_t count = 0;
        while (i < encoding.size() && encoding[i] >= '0' && encoding[i] <= '9') {
            count = count * 10 + static_cast<std::uint64_t>(encoding[i] - '0');
            if (count > m_limits.max_values) {
                return fail(ErrorCode::too_large, "typedstream array is too long");
            }
            ++i;
        }
        const std::string_view element = encoding.substr(i, encoding.size() - 1 - i);
        if (i == 1 || element.empty()) {
            return tl::unexpected(error("array type without a count or element type"));
        }
        DOCKSCAN_TRY(enter());
        if (element == "c" || element == "C") {
            DOCKSCAN_TRY(take(static_cast<std::size_t>(count)));
        } else {
            DOCKSCAN_TRY_ASSIGN(const std::size_t end, end_of_encoding(element, 0));
            if (end != element.size()) {
                return tl::unexpected(error("array of more than one element type"));
            }
            for (std::uint64_t k = 0; k < count && !m_text; ++k) {
                DOCKSCAN_TRY(read_value(element, false));
            }
        }
        --m_depth;
        return {};
    }

    Expected<void> read_struct(std::string_view encoding) {
        // "{name=fields}" or "{fields}"; a '{' before any '=' starts a nested struct.
        std::string_view fields = encoding.substr(1, encoding.size() - 2);
        const std::size_t equals = fields.find('=');
        if (equals != std::string_view::npos &&
            fields.substr(0, equals).find('{') == std::string_view::npos) {
            fields.remove_prefix(equals + 1);
        }
        DOCKSCAN_TRY(enter());
        DOCKSCAN_TRY(read_values(fields, false));
        --m_depth;
        return {};
    }

    Expected<void> read_value(std::string_view encoding, bool capture) {
        DOCKSCAN_TRY(count_value());
        const char type = encoding[0];
        if (encoding.size() > 1 && type != '[' && type != '{') {
            return tl::unexpected(error("unknown type encoding"));
        }
        switch (type) {
        case 'B':
        case 'c':
        case 'C':
            // Chars and booleans are stored as a plain byte, without a head.
            DOCKSCAN_TRY(take(1));
            return {};
        case 's':
        case 'i':
        case 'l':
        case 'q':
        case 'S':
        case 'I':
        case 'L':
        case 'Q': {
            DOCKSCAN_TRY_ASSIGN(const int h, head());
            DOCKSCAN_TRY(integer(h, true));
            return {};
        }
        case 'f':
        case 'd': {
            DOCKSCAN_TRY_ASSIGN(const int h, head());
            if (h == k_tag_float) {
                DOCKSCAN_TRY(take(type == 'f' ? 4 : 8));
            } else {
                DOCKSCAN_TRY(integer(h, true));
            }
            return {};
        }
        case '*': {
            DOCKSCAN_TRY_ASSIGN(const int h, head());
            if (h == k_tag_new) {
                DOCKSCAN_TRY_ASSIGN(const int h2, head());
                DOCKSCAN_TRY_ASSIGN(const auto s, shared_string(h2));
                if (!s) {
                    return tl::unexpected(error("C string is nil"));
                }
                DOCKSCAN_TRY(add_entry({EntryKind::c_string, {}}));
            } else if (h != k_tag_nil) {
                DOCKSCAN_TRY(reference(h, m_objects.size()));
            }
            return {};
        }
        case '%':
        case ':': {
            DOCKSCAN_TRY_ASSIGN(const int h, head());
            DOCKSCAN_TRY(shared_string(h));
            return {};
        }
        case '+': {
            DOCKSCAN_TRY_ASSIGN(const int h, head());
            DOCKSCAN_TRY_ASSIGN(const auto bytes, unshared_string(h));
            if (capture && bytes && !m_text) {
                m_text = *bytes;
            }
            return {};
        }
        case '#': {
            DOCKSCAN_TRY_ASSIGN(const int h, head());
            DOCKSCAN_TRY(read_class(h));
            return {};
        }
        case '@': {
            DOCKSCAN_TRY_ASSIGN(const int h, head());
            return read_object(h);
        }
        case '!':
            return {}; // an ignored field: the type is stored, no data
        case '[':
            return read_array(encoding);
        case '{':
            return read_struct(encoding);
        default:
            return fail(ErrorCode::unsupported,
                        "typedstream: type encoding '" + std::string(encoding) +
                            "' is not supported (at byte " + std::to_string(m_pos) + ")");
        }
    }

    std::string_view m_data;
    const TypedStreamLimits& m_limits;
    std::size_t m_pos = 0;
    bool m_big_endian = false;
    std::vector<std::string_view> m_strings;
    std::vector<Entry> m_objects;
    std::size_t m_depth = 0;
    std::size_t m_values = 0;
    bool m_root_seen = false;
    std::optional<std::string_view> m_text;
};

} // namespace

Expected<std::string> extract_text(std::string_view blob, const TypedStreamLimits& limits) {
    return Decoder(blob, limits).run();
}

} // namespace dockscan::docking::ios
