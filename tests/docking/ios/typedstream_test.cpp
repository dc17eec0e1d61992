#include "docking/ios/typedstream.hpp"
#include "tests/docking/ios/typedstream_writer.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

using namespace dockscan::docking;
using namespace dockscan::docking::ios;
using namespace dockscan::testing;

namespace {

std::string from_hex(std::string_view hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
    }
    return out;
}

// attributedBody blobs from real chat.db/sms.db databases, as published in the test
// suites of open-source iMessage tools. None holds personal data.
const std::string k_real_medium =
    from_hex("040b73747265616d747970656481e803840140848484124e5341747472696275746564537472696e"
             "67008484084e534f626a656374008592848484084e53537472696e67019484012b194f6b2c206e70"
             "2c207468616e6b7320666f7220747279696e6786840269490119928484840c4e5344696374696f6e"
             "617279009484016901928496961d5f5f6b494d4d657373616765506172744174747269627574654e"
             "616d658692848484084e534e756d626572008484074e5356616c7565009484012a84999900868686");
const std::string k_real_short =
    from_hex("040b73747265616d747970656481e803840140848484124e5341747472696275746564537472696e"
             "67008484084e534f626a656374008592848484084e53537472696e67019484012b0159868402694901"
             "01928484840c4e5344696374696f6e617279009484016901928496961d5f5f6b494d4d657373616765"
             "506172744174747269627574654e616d658692848484084e534e756d626572008484074e5356616c75"
             "65009484012a84999900868686");
// Archived with NSArchiver from "Hello, world": an empty attribute dictionary.
const std::string k_real_hello =
    from_hex("040b73747265616d747970656481e803840140848484124e534174747269627574656453747269"
             "6e67008484084e534f626a656374008592848484084e53537472696e67019484012b0c48656c6c"
             "6f2c20776f726c648684026949010c928484840c4e5344696374696f6e6172790094840169008686");

std::string header() {
    return TypedStreamWriter().data();
}

// A blob whose root object is of class `name`, with one integer inside.
std::string object_of_class(std::string_view name) {
    TypedStreamWriter w;
    w.group("@");
    w.begin_object({{name, 0}, {"NSObject", 0}});
    w.group("i");
    w.integer(0);
    w.end_object();
    return w.data();
}

} // namespace

TEST_CASE("text comes out of real attributedBody blobs", "[typedstream]") {
    const auto [blob, text] = GENERATE(table<std::string, std::string>({
        {k_real_medium, "Ok, np, thanks for trying"},
        {k_real_short, "Y"},
        {k_real_hello, "Hello, world"},
    }));
    const auto extracted = extract_text(blob);
    REQUIRE(extracted);
    CHECK(*extracted == text);
}

TEST_CASE("the test writer produces the bytes iOS writes", "[typedstream]") {
    // So that the generated cases below stand for real blobs.
    CHECK(attributed_body("Ok, np, thanks for trying") == k_real_medium);
    CHECK(attributed_body("Y") == k_real_short);
}

TEST_CASE("messages of every length and script come out whole", "[typedstream]") {
    const std::string swedish =
        "Hej! Kan du titta till Åsa på Ängsvägen? Hon är född 19800102-2386 "
        "och behöver hjälp med ögondropparna. ";
    const auto text = GENERATE_COPY(
        std::string(), std::string("Hej"), std::string("Åsa äter ölandskaka, Örjan också"),
        std::string("Tack 😀👍🏽 ❤️"), std::string(127, 'a'), std::string(128, 'b'),
        swedish + swedish, // 200+ bytes: the length needs 0x81 and two bytes
        std::string(32767, 'c'), std::string(32768, 'd'), [&] {
            std::string long_text; // > 32767 bytes: 0x82 and four bytes
            while (long_text.size() < 40'000) {
                long_text += swedish;
            }
            return long_text;
        }());
    const auto variant = GENERATE(AttributedVariant::immutable, AttributedVariant::mutable_);
    const auto order = GENERATE(ByteOrder::little, ByteOrder::big);
    const std::string blob = attributed_body(text, variant, order);
    const auto extracted = extract_text(blob);
    REQUIRE(extracted);
    CHECK(extracted->size() == text.size());
    CHECK(*extracted == text);
}

TEST_CASE("long lengths use the multi-byte integer forms", "[typedstream]") {
    CHECK(attributed_body(std::string(200, 'x')).find(std::string("+\x81\xc8\x00", 4)) !=
          std::string::npos);
    CHECK(attributed_body(std::string(40000, 'x')).find(std::string("+\x82\x40\x9c\x00\x00", 6)) !=
          std::string::npos);
}

TEST_CASE("invalid UTF-8 in the text is replaced", "[typedstream]") {
    const auto extracted = extract_text(attributed_body("a\xff"
                                                        "b"));
    REQUIRE(extracted);
    CHECK(*extracted == "a\xef\xbf\xbd"
                        "b");
}

TEST_CASE("every truncation of a blob fails or still gives the whole text", "[typedstream]") {
    const std::string blob = attributed_body("Ring mig om 198001022386, tack! Åäö");
    const std::size_t text_end = blob.find("tack! Åäö") + std::string("tack! Åäö").size();
    for (std::size_t len = 0; len < blob.size(); ++len) {
        INFO("prefix of " << len << " bytes");
        const auto extracted = extract_text(std::string_view(blob).substr(0, len));
        if (len < text_end) {
            REQUIRE_FALSE(extracted);
            CHECK(extracted.error().code == ErrorCode::malformed);
        } else {
            REQUIRE(extracted);
            CHECK(*extracted == "Ring mig om 198001022386, tack! Åäö");
        }
    }
}

TEST_CASE("garbage never crashes and never passes for a typedstream", "[typedstream]") {
    std::uint32_t x = 12345;
    const auto next = [&] {
        x = x * 1'664'525u + 1'013'904'223u;
        return static_cast<char>(x >> 24);
    };
    for (int round = 0; round < 2000; ++round) {
        std::string noise;
        const std::size_t size = 1 + (x >> 8) % 300;
        for (std::size_t i = 0; i < size; ++i) {
            noise += next();
        }
        // Random bytes alone, and random bytes behind a valid header.
        CHECK_FALSE(extract_text(noise));
        const auto behind_header = extract_text(header() + noise);
        if (behind_header) {
            // Only possible when the noise happens to encode a string; never a crash.
            SUCCEED();
        }
    }
}

TEST_CASE("blobs that are no typedstream are refused", "[typedstream]") {
    const auto [blob, code, reason] = GENERATE(table<std::string, ErrorCode, std::string>({
        {"", ErrorCode::malformed, "truncated"},
        {"\x04\x0b", ErrorCode::malformed, "truncated"},
        {std::string("\x04\x0bstreamtypes\x81\xe8\x03", 16), ErrorCode::malformed,
         "not a typedstream"},
        {std::string("\x03\x0bstreamtyped\x81\xe8\x03", 16), ErrorCode::unsupported, "NeXTSTEP"},
        {"bplist00\xd4\x01\x02", ErrorCode::malformed, "not a typedstream"},
        {header(), ErrorCode::malformed, "empty"},
        {object_of_class("NSDictionary"), ErrorCode::unsupported, "NSDictionary"},
        {object_of_class("NSNumber"), ErrorCode::unsupported, "NSNumber"},
    }));
    const auto extracted = extract_text(blob);
    REQUIRE_FALSE(extracted);
    CHECK(extracted.error().code == code);
    CHECK_THAT(extracted.error().message, Catch::Contains(reason));
}

TEST_CASE("hostile structures hit a limit instead of the stack or the clock", "[typedstream]") {
    SECTION("objects nested a thousand deep") {
        TypedStreamWriter w;
        for (int i = 0; i < 1000; ++i) {
            w.group("@");
            w.begin_object({{"NSAttributedString", 0}, {"NSObject", 0}});
        }
        const auto extracted = extract_text(w.data());
        REQUIRE_FALSE(extracted);
        CHECK(extracted.error().code == ErrorCode::too_large);
    }
    SECTION("an array of a billion fields that take no bytes") {
        TypedStreamWriter w;
        w.group("@");
        w.begin_object({{"NSAttributedString", 0}, {"NSObject", 0}});
        w.group("[999999999!]");
        const auto extracted = extract_text(w.data());
        REQUIRE_FALSE(extracted);
        CHECK(extracted.error().code == ErrorCode::too_large);
    }
    SECTION("a million empty structs") {
        TypedStreamWriter w;
        w.group("@");
        w.begin_object({{"NSAttributedString", 0}, {"NSObject", 0}});
        w.group("[900000{}]");
        w.group("[900000{}]");
        const auto extracted = extract_text(w.data());
        REQUIRE_FALSE(extracted);
        CHECK(extracted.error().code == ErrorCode::too_large);
    }
    SECTION("a string length of four gigabytes") {
        TypedStreamWriter w;
        w.group("@");
        w.begin_object({{"NSString", 1}, {"NSObject", 0}});
        w.group("+");
        w.raw(std::string("\x82\xff\xff\xff\xff", 5));
        const auto extracted = extract_text(w.data());
        REQUIRE_FALSE(extracted);
        CHECK_THAT(extracted.error().message, Catch::Contains("truncated"));
    }
    SECTION("a reference to a string never stored") {
        TypedStreamWriter w;
        w.raw("\xc0");
        const auto extracted = extract_text(w.data());
        REQUIRE_FALSE(extracted);
        CHECK_THAT(extracted.error().message, Catch::Contains("reference"));
    }
    SECTION("a class that names itself as its superclass") {
        TypedStreamWriter w;
        w.group("@");
        // new object, new class "NSAttributedString" v0, superclass: reference to #1,
        // the class itself.
        w.raw(std::string("\x84\x84\x84\x12NSAttributedString\x00\x93", 24));
        const auto extracted = extract_text(w.data());
        REQUIRE_FALSE(extracted);
        CHECK_THAT(extracted.error().message, Catch::Contains("reference"));
    }
    SECTION("a blob over the size limit") {
        const auto extracted = extract_text(attributed_body(std::string(5000, 'x')),
                                            TypedStreamLimits{.max_blob_bytes = 4096});
        REQUIRE_FALSE(extracted);
        CHECK(extracted.error().code == ErrorCode::too_large);
    }
}

TEST_CASE("strings inside attributes are never taken for the message", "[typedstream]") {
    // An attributed string whose first child is a dictionary (no string of its own).
    TypedStreamWriter w;
    w.group("@");
    w.begin_object({{"NSAttributedString", 0}, {"NSObject", 0}});
    w.group("@");
    w.begin_object({{"NSDictionary", 0}, {"NSObject", 0}});
    w.group("i");
    w.integer(1);
    w.group("@");
    w.begin_object({{"NSString", 1}, {"NSObject", 0}});
    w.group("+");
    w.bytes("__kIMMessagePartAttributeName");
    w.end_object();
    w.end_object();
    w.end_object();
    const auto extracted = extract_text(w.data());
    REQUIRE_FALSE(extracted);
    CHECK_THAT(extracted.error().message, Catch::Contains("no string"));
}

TEST_CASE("a plain archived NSString is read too", "[typedstream]") {
    TypedStreamWriter w;
    w.group("@");
    w.begin_object({{"NSMutableString", 1}, {"NSString", 1}, {"NSObject", 0}});
    w.group("+");
    w.bytes("Ring Åsa");
    w.end_object();
    CHECK(extract_text(w.data()).value() == "Ring Åsa");
}

TEST_CASE("an unknown type encoding before the text is unsupported", "[typedstream]") {
    TypedStreamWriter w;
    w.group("@");
    w.begin_object({{"NSAttributedString", 0}, {"NSObject", 0}});
    w.group("^i");
    const auto extracted = extract_text(w.data());
    REQUIRE_FALSE(extracted);
    CHECK(extracted.error().code == ErrorCode::unsupported);
    CHECK_THAT(extracted.error().message, Catch::Contains("'^'"));
}
