#include "docking/sms_export.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

namespace dockscan::docking {
namespace {

struct Problem {
    std::string key;
    ErrorCode code;
    std::string reason;
};

struct Collector final : SmsExportSink {
    Expected<void> item(const SmsItem& item) override {
        items.push_back(item);
        items.back().data = {}; // only valid during the call
        data.emplace_back(item.data);
        return {};
    }
    void problem(const std::string& key, ErrorCode code, std::string reason) override {
        problems.push_back(Problem{key, code, std::move(reason)});
    }
    std::vector<SmsItem> items;
    std::vector<std::string> data;
    std::vector<Problem> problems;
};

// Labels are Swedish time whatever the zone; the tests run in UTC to show it.
void use_utc() {
    setenv("TZ", "UTC0", 1);
    tzset();
}

Collector parse(std::string xml) {
    Collector collector;
    const auto parsed = parse_sms_export(xml, collector);
    REQUIRE(parsed);
    return collector;
}

// 2026-11-20 14:02:00 UTC in milliseconds.
constexpr const char* k_date = "1795183320000";

const std::string k_export =
    "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
    "<!--File Created By SMS Backup & Restore v10.20.002-->\n"
    "<smses count=\"3\" backup_set=\"0f9d\" backup_date=\"1795200000000\" type=\"full\">\n"
    "  <sms protocol=\"0\" address=\"+46701234567\" date=\"" +
    std::string(k_date) +
    "\" type=\"1\" subject=\"null\" body=\"Hej! Per Svensson 19800102-2386 behöver hjälp&#10;"
    "ring mig\" toa=\"null\" sc_toa=\"null\" service_center=\"null\" read=\"1\" status=\"-1\" "
    "locked=\"0\" date_sent=\"1795183310000\" sub_id=\"1\" readable_date=\"20 nov. 2026 15:02:00\" "
    "contact_name=\"Per Svensson\" />\n"
    "  <sms address=\"0701234567\" date=\"1795183380000\" type=\"2\" body=\"Ok &amp; tack\" "
    "contact_name=\"(Unknown)\" />\n"
    "  <mms date=\"1795183440000\" msg_box=\"1\" address=\"+46709876543\" m_id=\"null\" "
    "contact_name=\"(Unknown)\">\n"
    "    <parts>\n"
    "      <part seq=\"-1\" ct=\"application/smil\" name=\"null\" text=\"&lt;smil&gt;\" />\n"
    "      <part seq=\"0\" ct=\"text/plain\" name=\"null\" text=\"Såret ser bättre ut\" />\n"
    "      <part seq=\"0\" ct=\"image/jpeg\" name=\"IMG_1.jpg\" text=\"null\" "
    "data=\"/9j/4AAQSkZJRg==\" />\n"
    "    </parts>\n"
    "    <addrs><addr address=\"+46709876543\" type=\"137\" charset=\"106\" /></addrs>\n"
    "  </mms>\n"
    "</smses>\n";

TEST_CASE("an export lists its messages and image parts", "[sms_export]") {
    use_utc();
    const Collector c = parse(k_export);
    CHECK(c.problems.empty());
    REQUIRE(c.items.size() == 4);

    const SmsItem& received = c.items[0];
    CHECK(received.type == ItemType::message);
    CHECK(received.text == "Hej! Per Svensson 19800102-2386 behöver hjälp\nring mig");
    CHECK(received.size == received.text.size());
    CHECK(received.mtime == 1795183320);
    CHECK(received.label == "SMS från +46 70… 2026-11-20 15:02");
    CHECK(received.key.starts_with("sms:1795183320000:"));
    CHECK(received.key.size() == std::string("sms:1795183320000:").size() + 16);

    CHECK(c.items[1].text == "Ok & tack");
    CHECK(c.items[1].label == "SMS till 070… 2026-11-20 15:03");

    const SmsItem& mms = c.items[2];
    CHECK(mms.type == ItemType::message);
    CHECK(mms.text == "Såret ser bättre ut");
    CHECK(mms.label == "MMS från +46 70… 2026-11-20 15:04");
    CHECK(mms.key.starts_with("mms:1795183440000:"));

    const SmsItem& image = c.items[3];
    CHECK(image.type == ItemType::attachment);
    CHECK(image.key == mms.key + "/part:3");
    CHECK(image.size == 10);
    CHECK(image.mtime == mms.mtime);
    CHECK(image.label == "Bild (del 3) i MMS från +46 70… 2026-11-20 15:04");
    CHECK(c.data[3] == "/9j/4AAQSkZJRg==");
    // The data's place in the file, for reading it again without parsing.
    REQUIRE(image.data_offset != k_no_offset);
    CHECK(k_export.substr(image.data_offset, image.data_length) == "/9j/4AAQSkZJRg==");
}

TEST_CASE("labels and refs never show a full number or a name", "[sms_export]") {
    const Collector c = parse(k_export);
    for (const SmsItem& item : c.items) {
        CAPTURE(item.key, item.label);
        for (const std::string number : {"701234567", "709876543", "1234567"}) {
            CHECK(item.key.find(number) == std::string::npos);
            CHECK(item.label.find(number) == std::string::npos);
        }
        CHECK(item.label.find("Svensson") == std::string::npos);
    }
}

TEST_CASE("message keys stay the same when the phone is exported again", "[sms_export]") {
    const std::string sms = "<sms address=\"+46701234567\" date=\"1795183320000\" type=\"1\" "
                            "body=\"Hej\" read=\"1\" readable_date=\"20 nov. 2026\" />";
    // Another night's export: other messages around it, other bookkeeping attributes.
    const Collector first = parse("<smses count=\"1\">" + sms + "</smses>");
    const Collector again =
        parse("<smses count=\"2\" backup_date=\"1\"><sms address=\"112\" date=\"1\" type=\"2\" "
              "body=\"x\"/>" +
              sms + "</smses>");
    REQUIRE(first.items.size() == 1);
    REQUIRE(again.items.size() == 2);
    CHECK(first.items[0].key == again.items[1].key);

    const auto [what, other] = GENERATE(table<std::string, std::string>({
        {"other body",
         "<sms address=\"+46701234567\" date=\"1795183320000\" type=\"1\" body=\"Hej!\"/>"},
        {"other number",
         "<sms address=\"+46701234568\" date=\"1795183320000\" type=\"1\" body=\"Hej\"/>"},
        {"other direction",
         "<sms address=\"+46701234567\" date=\"1795183320000\" type=\"2\" body=\"Hej\"/>"},
        {"other time",
         "<sms address=\"+46701234567\" date=\"1795183320001\" type=\"1\" body=\"Hej\"/>"},
    }));
    CAPTURE(what);
    const Collector different = parse("<smses>" + other + "</smses>");
    REQUIRE(different.items.size() == 1);
    CHECK(different.items[0].key != first.items[0].key);
}

TEST_CASE("emoji written as surrogate pairs come out as UTF-8", "[sms_export]") {
    const Collector c = parse(
        "<smses><sms date=\"1\" type=\"1\" body=\"Tack &#55357;&#56832; &#55357;!\"/></smses>");
    REQUIRE(c.items.size() == 1);
    CHECK(c.items[0].text == "Tack \xf0\x9f\x98\x80 \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd!");
}

TEST_CASE("entities from a DOCTYPE are never expanded", "[sms_export]") {
    const Collector c =
        parse("<?xml version=\"1.0\"?>\n"
              "<!DOCTYPE smses [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">"
              "<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
              "<smses><sms date=\"1\" type=\"1\" body=\"&xxe;&b;\"/></smses>");
    REQUIRE(c.items.size() == 1);
    CHECK(c.items[0].text.find("root:") == std::string::npos);
    CHECK(c.items[0].text.size() < 20);
}

TEST_CASE("a broken export still lists the messages before the break", "[sms_export]") {
    const Collector c =
        parse("<smses><sms date=\"1000\" type=\"1\" body=\"first\"/><sms date=\"2000\" type=\"1\" "
              "body=\"second\"/><sms date=\"3000\" ty");
    REQUIRE(c.items.size() >= 2);
    CHECK(c.items[0].text == "first");
    CHECK(c.items[1].text == "second");
    REQUIRE(c.problems.size() == 1);
    CHECK(c.problems[0].key.empty());
    CHECK(c.problems[0].code == ErrorCode::malformed);
    CHECK(c.problems[0].reason.starts_with("broken XML: "));
}

TEST_CASE("documents that are no export are malformed", "[sms_export]") {
    const std::string xml = GENERATE(as<std::string>{}, "<calls><call number=\"1\"/></calls>", "",
                                     "not xml at all", "\x01\x02");
    CAPTURE(xml);
    std::string buffer = xml;
    Collector c;
    const auto parsed = parse_sms_export(buffer, c);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == ErrorCode::malformed);
    CHECK(c.items.empty());
}

TEST_CASE("an image part that is not base64 is a problem of that part", "[sms_export]") {
    const Collector c =
        parse("<smses><mms date=\"1\" msg_box=\"2\" address=\"0701234567\"><parts>"
              "<part ct=\"image/png\" data=\"not base64!\"/>"
              "<part ct=\"image/png\" data=\"iVBORw0KGgo=\"/></parts></mms></smses>");
    REQUIRE(c.items.size() == 2);
    CHECK(c.items[1].key == c.items[0].key + "/part:2");
    REQUIRE(c.problems.size() == 1);
    CHECK(c.problems[0].key == c.items[0].key + "/part:1");
    CHECK(c.problems[0].code == ErrorCode::malformed);
}

TEST_CASE("looks_like_sms_export finds the root element", "[sms_export]") {
    const auto [head, expected] = GENERATE(table<std::string, bool>({
        {"<?xml version='1.0'?>\n<smses count=\"1\">", true},
        {"\xef\xbb\xbf<smses>", true},
        {"<?xml version='1.0'?><!-- <calls> --><!DOCTYPE smses [<!ENTITY a \"<b>\">]><smses/>",
         true},
        {"<smses", true},
        {"<?xml version='1.0'?><calls count=\"1\">", false},
        {"<smsesx>", false},
        {"<resources><string name=\"smses\"/>", false},
        {"<!-- never closed", false},
        {"plain text", false},
    }));
    CAPTURE(head);
    CHECK(looks_like_sms_export(head) == expected);
}

TEST_CASE("shorten_address keeps no more than a prefix", "[sms_export]") {
    const auto [address, shown] = GENERATE(table<std::string, std::string>({
        {"+46701234567", "+46 70…"},
        {"+46 70-123 45 67", "+46 70…"},
        {"0701234567", "070…"},
        {"070-123 45 67", "070…"},
        {"+4798765432", "+479…"},
        {"+46701234567~+46709876543", "+46 70… m.fl."},
        {"112", "112"},
        {"72000", "72000"},
        {"åsa.nystrom@example.se", "åsa…"},
        {"", "okänt nummer"},
    }));
    CAPTURE(address);
    CHECK(shorten_address(address) == shown);
}

TEST_CASE("decode_base64 reads standard base64", "[sms_export]") {
    const auto [text, bytes] = GENERATE(table<std::string, std::string>({
        {"", ""},
        {"QQ==", "A"},
        {"QUI=", "AB"},
        {"QUJD", "ABC"},
        {"QUJD\nREVG", "ABCDEF"},
        {"QUJDRA", "ABCD"},
    }));
    CAPTURE(text);
    const auto decoded = decode_base64(text);
    REQUIRE(decoded);
    CHECK(*decoded == bytes);
    CHECK(base64_decoded_size(text) == bytes.size());
}

TEST_CASE("decode_base64 refuses what is not base64", "[sms_export]") {
    const std::string text =
        GENERATE(as<std::string>{}, "QUJD&#10;", "Q", "QQ==QQ==", "QQ===", "Q===", "QUJD!");
    CAPTURE(text);
    CHECK_FALSE(decode_base64(text));
}

Collector read_in_chunks(const std::string& xml, std::size_t chunk,
                         std::uint64_t max_element = k_max_export_element_bytes) {
    Collector collector;
    SmsExportReader reader(collector, max_element);
    for (std::size_t at = 0; at < xml.size(); at += chunk) {
        REQUIRE(reader.feed(std::string_view(xml).substr(at, chunk)));
    }
    REQUIRE(reader.finish());
    return collector;
}

TEST_CASE("an export read in chunks of any size gives the same items", "[sms_export]") {
    const Collector whole = parse(k_export);
    const std::size_t chunk = GENERATE(as<std::size_t>{}, 1, 3, 17, 256, 1u << 20);
    const Collector c = read_in_chunks(k_export, chunk);
    REQUIRE(c.items.size() == whole.items.size());
    for (std::size_t i = 0; i < c.items.size(); ++i) {
        CHECK(c.items[i].key == whole.items[i].key);
        CHECK(c.items[i].text == whole.items[i].text);
        CHECK(c.data[i] == whole.data[i]);
        CHECK(c.items[i].data_offset == whole.items[i].data_offset);
    }
    // The offset of an image part is where its base64 stands in the file.
    const SmsItem& image = c.items.back();
    REQUIRE(image.type == ItemType::attachment);
    REQUIRE(image.data_offset != k_no_offset);
    CHECK(k_export.substr(image.data_offset, image.data_length) == "/9j/4AAQSkZJRg==");
    CHECK(c.problems.empty());
}

TEST_CASE("a UTF-16 export read a byte at a time gives the items of a whole read", "[sms_export]") {
    // Found by dockscan_fuzz_sms_export: a first chunk of one byte hid the byte order
    // mark, and the file was scanned as UTF-8 (no items) instead of parsed as UTF-16.
    std::string utf16 = "\xff\xfe";
    for (std::size_t i = 0; i < k_export.size();) {
        const auto b = static_cast<unsigned char>(k_export[i]);
        char32_t c = b;
        std::size_t n = 1;
        if (b >= 0xf0) {
            c = b & 0x07u;
            n = 4;
        } else if (b >= 0xe0) {
            c = b & 0x0fu;
            n = 3;
        } else if (b >= 0xc0) {
            c = b & 0x1fu;
            n = 2;
        }
        for (std::size_t k = 1; k < n; ++k) {
            c = c << 6 | (static_cast<unsigned char>(k_export[i + k]) & 0x3fu);
        }
        i += n;
        REQUIRE(c < 0x10000); // the export has no emoji
        utf16 += static_cast<char>(c & 0xff);
        utf16 += static_cast<char>(c >> 8);
    }
    const Collector whole = parse(utf16);
    REQUIRE(whole.items.size() == parse(k_export).items.size());
    const Collector c = read_in_chunks(utf16, 1);
    REQUIRE(c.items.size() == whole.items.size());
    for (std::size_t i = 0; i < c.items.size(); ++i) {
        CHECK(c.items[i].key == whole.items[i].key);
        CHECK(c.items[i].text == whole.items[i].text);
    }
}

TEST_CASE("after an error the reader gives that error again and no items", "[sms_export]") {
    // Found by dockscan_fuzz_sms_export: finish() after a failed feed went on scanning
    // from where the error left the reader and listed a message of a file refused as no
    // export.
    Collector c;
    SmsExportReader reader(c);
    const auto first = reader.feed("<\"<?xml version='1.0'?>\n<smses count=\"1\">\n");
    REQUIRE_FALSE(first);
    CHECK(first.error().code == ErrorCode::malformed);
    const auto more = reader.feed("<sms address=\"0701234567\" date=\"1795183380000\" "
                                  "type=\"2\" body=\"Ok\" />\n</smses>\n");
    CHECK_FALSE(more);
    const auto end = reader.finish();
    REQUIRE_FALSE(end);
    CHECK(end.error().message == first.error().message);
    CHECK(c.items.empty());
}

TEST_CASE("memory is bounded by one message, not by the export", "[sms_export]") {
    // 20 MB of messages, the middle one an MMS with a 1 MB image.
    const std::string sms = "  <sms protocol=\"0\" address=\"+46701234567\" date=\"1795183320000\" "
                            "type=\"1\" body=\"" +
                            std::string(400, 'x') + "\" read=\"1\" />\n";
    const std::string mms = "  <mms date=\"1\" msg_box=\"1\" address=\"070\"><parts><part "
                            "ct=\"image/jpeg\" data=\"" +
                            std::string(1'000'000, 'A') + "\"/></parts></mms>\n";
    std::string xml = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses>\n";
    const std::size_t count = 20'000'000 / sms.size();
    for (std::size_t i = 0; i < count; ++i) {
        xml += i == count / 2 ? mms : sms;
    }
    xml += "</smses>\n";
    Collector c;
    SmsExportReader reader(c);
    std::size_t most = 0;
    constexpr std::size_t k_chunk = 64u << 10;
    for (std::size_t at = 0; at < xml.size(); at += k_chunk) {
        REQUIRE(reader.feed(std::string_view(xml).substr(at, k_chunk)));
        most = std::max(most, reader.buffered_bytes());
    }
    REQUIRE(reader.finish());
    CHECK(c.items.size() == count + 1);
    CHECK(c.problems.empty());
    // The largest message and one chunk, never the 20 MB.
    CHECK(most <= mms.size() + k_chunk);
}

TEST_CASE("quotes, comments and CDATA do not cut a message", "[sms_export]") {
    const std::string xml = "<?xml version='1.0'?><!DOCTYPE smses [<!ENTITY x \"<sms>\">]>"
                            "<smses><!-- <sms body=\"not one\"/> -->"
                            "<sms date=\"1000\" type=\"1\" body='a > b /> c'/>"
                            "<sms date=\"2000\" type=\"1\" body=\"d\"><![CDATA[</sms>]]></sms>"
                            "<sms date=\"3000\" type=\"1\" body=\"e\"></sms></smses>";
    const std::size_t chunk = GENERATE(as<std::size_t>{}, 1, 5, 4096);
    const Collector c = read_in_chunks(xml, chunk);
    REQUIRE(c.items.size() == 3);
    CHECK(c.items[0].text == "a > b /> c");
    CHECK(c.items[1].text == "d");
    CHECK(c.items[2].text == "e");
    CHECK(c.problems.empty());
}

TEST_CASE("a message over the limit is skipped, the ones after it are read", "[sms_export]") {
    const std::string xml = "<smses><sms date=\"1000\" type=\"1\" body=\"first\"/>"
                            "<mms date=\"2000\" msg_box=\"1\" address=\"070\"><parts>"
                            "<part ct=\"image/jpeg\" data=\"" +
                            std::string(5000, 'A') +
                            "\"/></parts></mms>"
                            "<sms date=\"3000\" type=\"1\" body=\"" +
                            std::string(3000, 'x') +
                            "\"/><sms date=\"4000\" type=\"1\" body=\"last\"/></smses>";
    const std::size_t chunk = GENERATE(as<std::size_t>{}, 7, 512, 1u << 20);
    const Collector c = read_in_chunks(xml, chunk, 2048);
    REQUIRE(c.items.size() == 2);
    CHECK(c.items[0].text == "first");
    CHECK(c.items[1].text == "last");
    REQUIRE(c.problems.size() == 2);
    CHECK(c.problems[0].code == ErrorCode::too_large);
    CHECK(c.problems[1].code == ErrorCode::too_large);
}

TEST_CASE("a broken message is a problem, the ones after it are read", "[sms_export]") {
    const Collector c = parse("<smses><sms date=\"1000\" type=\"1\" body=\"first\"/>"
                              "<sms date=\"2000\" type=\"1\" body=a/>"
                              "<sms date=\"3000\" type=\"1\" body=\"third\"/></smses>");
    REQUIRE(c.items.size() == 2);
    CHECK(c.items[1].text == "third");
    REQUIRE(c.problems.size() == 1);
    CHECK(c.problems[0].reason.starts_with("broken XML: "));
}

} // namespace
} // namespace dockscan::docking
