#pragma once

// Writes typedstreams (NSArchiver) the way macOS and iOS do, for tests: shared
// strings and objects are written once and referred to by number afterwards.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dockscan::testing {

enum class ByteOrder { little, big };

class TypedStreamWriter {
public:
    // Starts the stream: version 4, "streamtyped" (or "typedstream"), system 1000.
    explicit TypedStreamWriter(ByteOrder order = ByteOrder::little);

    // A type encoding string that the following values follow ("@", "iI", "+").
    void group(std::string_view types);
    // A new object of the first class in `chain` (name, version), with superclasses.
    void begin_object(std::initializer_list<std::pair<std::string_view, int>> chain);
    void end_object();
    void integer(std::int64_t value);
    void bytes(std::string_view data); // a "+" value: length, then the bytes
    void c_string(std::string_view s); // a "*" value
    void raw(std::string_view data);   // anything, for hostile input

    [[nodiscard]] const std::string& data() const { return m_out; }

private:
    void shared_string(std::string_view s);
    void reference(std::size_t index);
    void fixed(std::uint64_t value, int bytes);

    ByteOrder m_order;
    std::string m_out;
    std::vector<std::string> m_strings;
    std::vector<std::string> m_objects; // class names; "" for objects and C strings
};

enum class AttributedVariant { immutable, mutable_ };

// What iOS writes into message.attributedBody for a plain message: the string, one
// attribute run over all of it, {__kIMMessagePartAttributeName: 0}.
[[nodiscard]] std::string attributed_body(std::string_view text,
                                          AttributedVariant variant = AttributedVariant::immutable,
                                          ByteOrder order = ByteOrder::little);

// NSString's length: UTF-16 code units.
[[nodiscard]] std::size_t utf16_length(std::string_view utf8);

} // namespace dockscan::testing
