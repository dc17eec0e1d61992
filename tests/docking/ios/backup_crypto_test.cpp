#include "docking/ios/backup_crypto.hpp"
#include "docking/ios/keybag.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace dockscan::docking;
using namespace dockscan::docking::ios;

namespace {

std::string from_hex(std::string_view hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
    }
    return out;
}

std::string to_hex(std::string_view bytes) {
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out;
    for (const char c : bytes) {
        out += k_hex[static_cast<unsigned char>(c) >> 4];
        out += k_hex[static_cast<unsigned char>(c) & 0x0f];
    }
    return out;
}

std::string be32(std::uint32_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
            static_cast<char>(v)};
}

std::string tlv(std::string_view tag, std::string_view value) {
    return std::string(tag) + be32(static_cast<std::uint32_t>(value.size())) + std::string(value);
}

} // namespace

TEST_CASE("PBKDF2 matches the published test vectors", "[ios_backup][crypto]") {
    struct Case {
        Digest digest;
        const char* secret;
        const char* salt;
        std::uint32_t rounds;
        std::size_t length;
        const char* hex;
    };
    // RFC 6070 (SHA-1) and the SHA-256 vectors of RFC 7914's companion tables.
    const auto c = GENERATE(
        Case{Digest::sha1, "password", "salt", 1, 20, "0c60c80f961f0e71f3a9b524af6012062fe037a6"},
        Case{Digest::sha1, "password", "salt", 4096, 20,
             "4b007901b765489abead49d926f721d065a429c1"},
        Case{Digest::sha256, "password", "salt", 1, 32,
             "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"},
        Case{Digest::sha256, "password", "salt", 4096, 32,
             "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"});
    const auto key = pbkdf2(c.digest, c.secret, c.salt, c.rounds, c.length);
    REQUIRE(key);
    CHECK(to_hex(key->view()) == c.hex);
}

TEST_CASE("AES key unwrap follows RFC 3394 and tells a wrong key", "[ios_backup][crypto]") {
    // RFC 3394 section 4.6: 256 bits of key data with a 256-bit KEK.
    const SecretBytes kek(from_hex("000102030405060708090a0b0c0d0e0f"
                                   "101112131415161718191a1b1c1d1e1f"));
    const std::string wrapped = from_hex("28c9f404c4b810f4cbccb35cfb87f826"
                                         "3f5786e2d80ed326cbc7f0e71a99f43b"
                                         "fb988b9b7a02dd21");
    const auto key = aes_unwrap(kek, wrapped);
    REQUIRE(key);
    REQUIRE(key->has_value());
    CHECK(to_hex((*key)->view()) ==
          "00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f");

    const SecretBytes other(std::string(32, '\x42'));
    const auto wrong = aes_unwrap(other, wrapped);
    REQUIRE(wrong);
    CHECK_FALSE(wrong->has_value());

    const auto short_input = aes_unwrap(kek, wrapped.substr(0, 12));
    REQUIRE_FALSE(short_input);
    CHECK(short_input.error().code == ErrorCode::malformed);
}

TEST_CASE("PKCS#7 padding is recognised only when well-formed", "[ios_backup][crypto]") {
    struct Case {
        std::string plain;
        std::optional<std::size_t> length;
    };
    const auto c =
        GENERATE(Case{std::string(15, 'a') + "\x01", 15}, Case{std::string(16, '\x10'), 0},
                 Case{std::string(12, 'a') + std::string(4, '\x04'), 12},
                 Case{std::string(12, 'a') + "\x03\x04\x04\x04", std::nullopt},
                 Case{std::string(15, 'a') + std::string(1, '\0'), std::nullopt},
                 Case{std::string(15, 'a') + "\x11", std::nullopt},
                 Case{std::string(10, 'a'), std::nullopt});
    CHECK(unpadded_length(c.plain) == c.length);
}

TEST_CASE("a backup keybag is parsed record by record", "[ios_backup][keybag]") {
    const std::string header =
        tlv("VERS", be32(4)) + tlv("TYPE", be32(1)) + tlv("UUID", std::string(16, 'u')) +
        tlv("HMCK", std::string(40, 'h')) + tlv("WRAP", be32(0)) +
        tlv("SALT", std::string(20, 's')) + tlv("ITER", be32(10000)) + tlv("DPWT", be32(1)) +
        tlv("DPIC", be32(10000000)) + tlv("DPSL", std::string(20, 'd'));
    const std::string class_key = tlv("UUID", std::string(16, 'c')) + tlv("CLAS", be32(3)) +
                                  tlv("WRAP", be32(2)) + tlv("KTYP", be32(0)) +
                                  tlv("WPKY", std::string(40, 'w'));
    const auto bag = parse_keybag(header + class_key);
    REQUIRE(bag);
    CHECK(bag->version == 4);
    CHECK(bag->type == 1);
    CHECK(bag->uuid == std::string(16, 'u'));
    CHECK(bag->iterations == 10000);
    CHECK(bag->dp_iterations == 10000000);
    CHECK(bag->dp_salt == std::string(20, 'd'));
    REQUIRE(bag->class_keys.size() == 1);
    CHECK(bag->class_keys[0].protection_class == 3);
    CHECK(bag->class_keys[0].wrap == 2);
    CHECK(bag->class_keys[0].wrapped_key == std::string(40, 'w'));

    SECTION("broken keybags are malformed") {
        const std::string whole = header + class_key;
        const auto broken = GENERATE_COPY(whole.substr(0, whole.size() - 3),  // cut in a value
                                          whole.substr(0, whole.size() - 46), // cut in a header
                                          header,                             // no class keys
                                          tlv("ITER", "123") + class_key);    // not 4 bytes
        const auto parsed = parse_keybag(broken);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == ErrorCode::malformed);
    }

    SECTION("a keybag asking for absurd work is refused before any is done") {
        Keybag greedy = *bag;
        greedy.dp_iterations = 4'000'000'000u;
        const auto unlocked = unlock_keybag(greedy, "lösenord");
        REQUIRE_FALSE(unlocked);
        CHECK(unlocked.error().code == ErrorCode::unsupported);
    }
}
