#include "tests/docking/ios/typedstream_writer.hpp"

#include <algorithm>

namespace dockscan::testing {
namespace {

constexpr char k_new = '\x84';
constexpr char k_nil = '\x85';
constexpr char k_end = '\x86';
constexpr std::int64_t k_first_reference = -110;

} // namespace

TypedStreamWriter::TypedStreamWriter(ByteOrder order) : m_order(order) {
    m_out += '\x04';
    m_out += '\x0b';
    m_out += order == ByteOrder::little ? "streamtyped" : "typedstream";
    integer(1000);
}

void TypedStreamWriter::fixed(std::uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) {
        const int shift = m_order == ByteOrder::little ? 8 * i : 8 * (bytes - 1 - i);
        m_out += static_cast<char>((value >> shift) & 0xff);
    }
}

void TypedStreamWriter::integer(std::int64_t value) {
    // One byte unless the value collides with the tags (-128..-111) or does not fit.
    if (value >= -110 && value <= 127) {
        m_out += static_cast<char>(static_cast<std::int8_t>(value));
    } else if (value >= -32768 && value <= 32767) {
        m_out += '\x81';
        fixed(static_cast<std::uint64_t>(value), 2);
    } else {
        m_out += '\x82';
        fixed(static_cast<std::uint64_t>(value), 4);
    }
}

void TypedStreamWriter::reference(std::size_t index) {
    integer(static_cast<std::int64_t>(index) + k_first_reference);
}

void TypedStreamWriter::shared_string(std::string_view s) {
    const auto it = std::find(m_strings.begin(), m_strings.end(), s);
    if (it != m_strings.end()) {
        reference(static_cast<std::size_t>(it - m_strings.begin()));
        return;
    }
    m_out += k_new;
    integer(static_cast<std::int64_t>(s.size()));
    m_out += s;
    m_strings.emplace_back(s);
}

void TypedStreamWriter::group(std::string_view types) {
    shared_string(types);
}

void TypedStreamWriter::begin_object(
    std::initializer_list<std::pair<std::string_view, int>> chain) {
    m_out += k_new;
    m_objects.emplace_back();
    for (const auto& [name, version] : chain) {
        const auto it = std::find(m_objects.begin(), m_objects.end(), name);
        if (it != m_objects.end()) {
            reference(static_cast<std::size_t>(it - m_objects.begin()));
            return;
        }
        m_out += k_new;
        shared_string(name);
        integer(version);
        m_objects.emplace_back(name);
    }
    m_out += k_nil;
}

void TypedStreamWriter::end_object() {
    m_out += k_end;
}

void TypedStreamWriter::bytes(std::string_view data) {
    integer(static_cast<std::int64_t>(data.size()));
    m_out += data;
}

void TypedStreamWriter::c_string(std::string_view s) {
    m_out += k_new;
    shared_string(s);
    m_objects.emplace_back();
}

void TypedStreamWriter::raw(std::string_view data) {
    m_out += data;
}

std::size_t utf16_length(std::string_view utf8) {
    std::size_t units = 0;
    for (const char c : utf8) {
        const auto b = static_cast<unsigned char>(c);
        if ((b & 0xc0) != 0x80) {
            units += b >= 0xf0 ? 2 : 1;
        }
    }
    return units;
}

std::string attributed_body(std::string_view text, AttributedVariant variant, ByteOrder order) {
    TypedStreamWriter w(order);
    const bool is_mutable = variant == AttributedVariant::mutable_;
    w.group("@");
    if (is_mutable) {
        w.begin_object(
            {{"NSMutableAttributedString", 0}, {"NSAttributedString", 0}, {"NSObject", 0}});
    } else {
        w.begin_object({{"NSAttributedString", 0}, {"NSObject", 0}});
    }
    w.group("@");
    if (is_mutable) {
        w.begin_object({{"NSMutableString", 1}, {"NSString", 1}, {"NSObject", 0}});
    } else {
        w.begin_object({{"NSString", 1}, {"NSObject", 0}});
    }
    w.group("+");
    w.bytes(text);
    w.end_object();
    w.group("iI");
    w.integer(1);
    w.integer(static_cast<std::int64_t>(utf16_length(text)));
    w.group("@");
    w.begin_object({{"NSDictionary", 0}, {"NSObject", 0}});
    w.group("i");
    w.integer(1);
    w.group("@");
    w.begin_object({{"NSString", 1}, {"NSObject", 0}});
    w.group("+");
    w.bytes("__kIMMessagePartAttributeName");
    w.end_object();
    w.group("@");
    w.begin_object({{"NSNumber", 0}, {"NSValue", 0}, {"NSObject", 0}});
    w.group("*");
    w.c_string("i");
    w.group("i");
    w.integer(0);
    w.end_object();
    w.end_object();
    w.end_object();
    return w.data();
}

} // namespace dockscan::testing
