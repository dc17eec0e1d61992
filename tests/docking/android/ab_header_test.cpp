#include "docking/android/ab_header.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace dockscan::docking;
using namespace dockscan::docking::android;

namespace {

const std::string k_salt_hex(128, 'A');
const std::string k_iv_hex = "00112233445566778899AABBCCDDEEFF";
const std::string k_blob_hex(192, 'b');

std::string encrypted_header(const std::string& version = "5") {
    return "ANDROID BACKUP\n" + version + "\n1\nAES-256\n" + k_salt_hex + "\n" + k_salt_hex +
           "\n10000\n" + k_iv_hex + "\n" + k_blob_hex + "\n";
}

} // namespace

TEST_CASE("a plain header is read up to the first payload byte", "[ab_header]") {
    const auto [text, version, compressed] = GENERATE(table<std::string, int, bool>({
        {"ANDROID BACKUP\n1\n0\nnone\n", 1, false},
        {"ANDROID BACKUP\n5\n1\nnone\n", 5, true},
        {"ANDROID BACKUP\n3\n1\nnone\n", 3, true},
    }));
    const std::string data = text + "PAYLOAD";
    MemoryStream in(data);
    const auto header = read_ab_header(in);
    REQUIRE(header);
    CHECK(header->version == version);
    CHECK(header->compressed == compressed);
    CHECK(header->encryption == AbEncryption::none);
    std::string rest(7, '\0');
    REQUIRE(in.read(rest));
    CHECK(rest == "PAYLOAD");
}

TEST_CASE("an AES-256 header yields the key derivation parameters", "[ab_header]") {
    const std::string data = encrypted_header() + "x";
    MemoryStream in(data);
    const auto header = read_ab_header(in);
    REQUIRE(header);
    CHECK(header->encryption == AbEncryption::aes256);
    CHECK(header->user_salt == std::string(64, '\xaa'));
    CHECK(header->checksum_salt.size() == 64);
    CHECK(header->rounds == 10000);
    CHECK(header->user_iv.size() == 16);
    CHECK(header->user_iv[15] == '\xff');
    CHECK(header->master_key_blob == std::string(96, '\xbb'));
}

TEST_CASE("broken or foreign headers are refused with the right code", "[ab_header]") {
    const auto [text, code, reason] = GENERATE(table<std::string, ErrorCode, std::string>({
        {"", ErrorCode::not_a_source, "ANDROID BACKUP"},
        {"PK\x03\x04 a zip file", ErrorCode::not_a_source, "ANDROID BACKUP"},
        {"ANDROID BACKUPS\n5\n", ErrorCode::not_a_source, "ANDROID BACKUP"},
        {"ANDROID BACKUP\n", ErrorCode::malformed, "truncated"},
        {"ANDROID BACKUP\n6\n1\nnone\n", ErrorCode::unsupported, "version 6"},
        {"ANDROID BACKUP\n0\n1\nnone\n", ErrorCode::unsupported, "version 0"},
        {"ANDROID BACKUP\nfive\n1\nnone\n", ErrorCode::malformed, "not a number"},
        {"ANDROID BACKUP\n5\n2\nnone\n", ErrorCode::malformed, "compression flag"},
        {"ANDROID BACKUP\n5\n1\nAES-128\n", ErrorCode::unsupported, "AES-128"},
        {"ANDROID BACKUP\n5\n1\nAES-256\nABC\n", ErrorCode::malformed, "odd number"},
        {"ANDROID BACKUP\n5\n1\nAES-256\nZZ\n", ErrorCode::malformed, "not hex"},
        {"ANDROID BACKUP\n5\n1\nAES-256\n" + k_salt_hex + "\n" + k_salt_hex + "\n0\n",
         ErrorCode::malformed, "rounds is 0"},
        {"ANDROID BACKUP\n5\n1\nAES-256\n" + k_salt_hex + "\n" + k_salt_hex + "\n10000\nAABB\n",
         ErrorCode::malformed, "IV"},
        {"ANDROID BACKUP\n5\n1\nAES-256\n" + std::string(5000, 'A') + "\n", ErrorCode::malformed,
         "too long"},
        {encrypted_header().substr(0, 300), ErrorCode::malformed, "truncated"},
    }));
    MemoryStream in(text);
    const auto header = read_ab_header(in);
    REQUIRE_FALSE(header);
    CHECK(header.error().code == code);
    CHECK_THAT(header.error().message, Catch::Contains(reason));
}

TEST_CASE("hex decoding takes both cases", "[ab_header]") {
    const auto bytes = decode_hex("00ffA0b1", "test");
    REQUIRE(bytes);
    CHECK(*bytes == std::string("\x00\xff\xa0\xb1", 4));
}
