#include "docking/ios/backup_info.hpp"
#include "docking/ios/mbfile.hpp"
#include "docking/ios/plist.hpp"
#include "tests/docking/ios/backup_writer.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <string>

using namespace dockscan::docking;
using namespace dockscan::docking::ios;
using namespace dockscan::testing;

TEST_CASE("plists are read in both of Apple's encodings", "[ios_backup][plist]") {
    const bool binary = GENERATE(true, false);
    const auto value = parse_plist(string_plist("Device Name", "Hemtjänst Norr 7", binary));
    REQUIRE(value);
    REQUIRE(value->find("Device Name") != nullptr);
    CHECK(value->find("Device Name")->as_string() == "Hemtjänst Norr 7");
    CHECK(value->find("Serial Number") == nullptr);
}

TEST_CASE("what is no plist is malformed or too large", "[ios_backup][plist]") {
    struct Case {
        std::string bytes;
        ErrorCode code;
    };
    const std::string binary = string_plist("k", "v", true);
    const auto c = GENERATE_COPY(
        Case{"", ErrorCode::malformed}, Case{"not a plist at all", ErrorCode::malformed},
        Case{binary.substr(0, binary.size() - 10), ErrorCode::malformed},
        Case{"<?xml version=\"1.0\"?><plist><dict><key>a</key>", ErrorCode::malformed});
    const auto parsed = parse_plist(c.bytes);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == c.code);

    const auto limited = parse_plist(binary, PlistLimits{8, 64, 100});
    REQUIRE_FALSE(limited);
    CHECK(limited.error().code == ErrorCode::too_large);
}

TEST_CASE("an MBFile record gives size, time, class and key", "[ios_backup][plist]") {
    const std::string key = std::string("\x03\0\0\0", 4) + std::string(40, 'k');
    const auto with_key = GENERATE(true, false);
    const auto file = parse_mbfile(mbfile_blob("Media/DCIM/100APPLE/IMG_0001.HEIC", 2'345'678,
                                               1'795'179'720, 3, with_key ? key : ""));
    REQUIRE(file);
    CHECK(file->size == 2'345'678u);
    CHECK(file->mtime == 1'795'179'720);
    CHECK(file->protection_class == 3u);
    CHECK(file->encryption_key == (with_key ? key : ""));
}

TEST_CASE("a record that is no keyed archive is malformed", "[ios_backup][plist]") {
    const auto bytes = GENERATE(std::string("garbage"), string_plist("$top", "root", true));
    const auto file = parse_mbfile(bytes);
    REQUIRE_FALSE(file);
    CHECK(file.error().code == ErrorCode::malformed);
}

TEST_CASE("Info.plist names the phone, Manifest.plist says how it is encrypted",
          "[ios_backup][plist]") {
    const auto info = parse_info_plist(string_plist("Target Identifier", "00008110-ABC", false));
    REQUIRE(info);
    CHECK(info->udid == "00008110-ABC");
    CHECK(info->serial.empty());

    const auto manifest = parse_manifest_plist(string_plist("Version", "10.0", true));
    REQUIRE(manifest);
    CHECK_FALSE(manifest->encrypted);

    const auto not_dict = parse_manifest_plist(
        "<?xml version=\"1.0\"?><plist version=\"1.0\"><string>x</string></plist>");
    REQUIRE_FALSE(not_dict);
    CHECK(not_dict.error().code == ErrorCode::malformed);
}

TEST_CASE("damaged records and plists are refused, never crash", "[ios_backup][plist]") {
    // Every byte of a backup is the phone's (or an attacker's): flip bytes of real
    // records and check that each parse ends in a value or an error.
    const std::string key = std::string("\x03\0\0\0", 4) + std::string(40, 'k');
    const auto original =
        GENERATE_COPY(mbfile_blob("Media/DCIM/100APPLE/IMG_0001.HEIC", 1234, 1'795'179'720, 3, key),
                      string_plist("Unique Identifier", "00008110-000A1B2C3D4E801E", false));
    std::mt19937 random(20261120);
    std::size_t refused = 0;
    for (int round = 0; round < 500; ++round) {
        std::string damaged = original;
        const int flips = 1 + static_cast<int>(random() % 4);
        for (int i = 0; i < flips; ++i) {
            damaged[random() % damaged.size()] = static_cast<char>(random() % 256);
        }
        const auto file = parse_mbfile(damaged);
        const auto info = parse_info_plist(damaged);
        refused += (file ? 0u : 1u) + (info ? 0u : 1u);
    }
    CHECK(refused > 0);
}

TEST_CASE("a binary plist with a NUL in a dictionary key is refused, not the end of the process",
          "[ios_backup][plist]") {
    // libplist 2.2 asserts that a key has no NUL and aborts: an Info.plist like this in
    // a backup folder would end the station (found by tests/fuzz's ios_plist target).
    // A dict of one entry whose key is a UTF-16 string (as plists store non-ASCII keys).
    const auto one_key = [](const std::u16string& key) {
        std::string b = "bplist00";
        b += "\xd1\x01\x02"; // object 0 at 8: a dict of one entry, key object 1, value 2
        b += static_cast<char>(0x60 | key.size()); // object 1 at 11: UTF-16BE
        for (const char16_t c : key) {
            b += static_cast<char>(c >> 8);
            b += static_cast<char>(c & 0xff);
        }
        const auto value_at = static_cast<char>(b.size());
        b += "\x51x"; // object 2: "x"
        const auto table_at = b.size();
        b += '\x08';
        b += '\x0b';
        b += value_at;
        b += std::string(6, '\0');
        b += '\x01';                               // offset size
        b += '\x01';                               // reference size
        b += std::string("\0\0\0\0\0\0\0\x03", 8); // objects
        b += std::string(8, '\0');                 // top object
        b += std::string(7, '\0');                 // offset table at
        b += static_cast<char>(table_at);
        return b;
    };
    const auto plain = parse_plist(one_key(u"Å_b"));
    REQUIRE(plain);
    CHECK(plain->find("Å_b") != nullptr);
    const auto nul = parse_plist(one_key(std::u16string(u"a\0b", 3)));
    REQUIRE_FALSE(nul);
    CHECK(nul.error().code == ErrorCode::malformed);
    CHECK_FALSE(parse_info_plist(one_key(std::u16string(u"a\0b", 3))));
}
