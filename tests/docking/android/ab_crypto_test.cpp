#include "docking/android/ab_crypto.hpp"
#include "docking/android/byte_stream.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace dockscan::docking;
using namespace dockscan::docking::android;

namespace {

// Master key blobs from real devices with their passwords, published as test vectors
// of John the Ripper's Android backup format (src/androidbackup_common_plug.c):
// version*cipher*rounds*user salt*checksum salt*user IV*master key blob.
struct DeviceVector {
    const char* device;
    const char* fields;
    const char* password;
};

const DeviceVector k_device_vectors[] = {
    {"Android 4.4.4, version 2",
     "2*0*10000*4acaf4f77074d002b3bcf012def362f9bea95c74b7fbf5447f2f285c4652012152ef0fef4610fa8e"
     "d94cd4cb37fa0b4a8b010d40f5ebedff3f76c01a826b10ff*df94321d7554eb9c502b810367933d14f6b91029"
     "86e985764bcaffc5b1228c2b610db8315e12bdc852e012d99f0cdc94880ef24a5bdfd0c281b68db25e8b517d*3"
     "74ef92b1ebddf250420946a64173c0e*fd23ea1d32d23456891a1d101e130d2c7384813c82cfa53928042adc8b"
     "f681f70c7e5d8eafe100798dbad34b87470aad54ad4b9d937ae5c5c873adcffcdede502986013ad08914723a21"
     "467ff45a7de14b37c808b93ccd9143d2a042055958fe",
     "old"},
    {"Android 4.4.4, version 2, non-ASCII password",
     "2*0*10000*3c3915681a460670d7511ddb0c080b838f1d25a473a82544d0b11d10eca66f92c182df30d576f388"
     "b2b800003ea06af55cbd59bd59cd236c99a945486f0a7c7b*b1afc57259df27ff5e88acba5eaa8a92bde1a189"
     "f6eb9a865b3ba73e1b78f4eb514bfa7e67f98be6715647a708c7b0c78b2be0b263d8fae66bddbf3bceb6eb7e*"
     "fb7bc820e2880c48bfd1fd8877ad2e5f*3a1deab93e3d6e0a8689adfcae9ee85a5131147e878f720d4265d9d9"
     "b3ce269a1cc01b3634f0dfed2463839b0725a586594d76654bf22e9caf411eed2437f6d7fddd0afa30e797145"
     "574b8f13659123665f2a94d21071607811b388714fae728",
     "\xc3\xa5"
     "bc"},
    {"Android 6.0, version 3",
     "3*0*10000*2a7c948fd7124307bca8d7ac921a9f019f32b0f74f484cfe9266f3ee0da064fc8a57b1c9e2edf66b"
     "8425448d064ef121a453c8941a024dbdfc7481bfbc47437e*3bbd3f57551336c7db480cbdc3dc5ce3da4e185a"
     "586a3fd45b816007c2c41889149fbf0e292f88b1207d070d10e577c021dabd0ed8ba8ea6849b0d311942eb37*4"
     "69920775ce354235ad62500184754d7*749ae8a777d30ea4913084a8266f9f740dfc0a78d545aafb0a39051519"
     "a610db5f3d5f68cdaff7f04a74645e8a7b0c5c965d978f4a2fa0650854ab120bb9f683b494a6dcb84d3b74960a"
     "6a413fe83648f118e152bad23ab1be294912e357b3b9",
     "openwall"},
    {"Android 8.0, version 5",
     "5*0*10000*ff4b9c083784b63e1724700f18fad0fac41e9a82fb4fad6b2a2efc35d77359af0e7604f83b011660"
     "724159469f2ea5206bd3dce0f7b7fe4b9be1d2bfdb5d4c72*a5ee2fb150351a4882630f71111c4619b3139106"
     "9241665c81efbcd9d6696018cdbcfb412bfcc24d7e31a7fca2055892b4e64d263a5f47073177c35257b99b41*0"
     "b6b9f4463420eb0dbfeb37a90cdc362*238058ca186ffc15b1f8c16d8057cb8ebca600b2971f264a31964a786e"
     "bb8af47f9e15244c3aca5403db4481c2f268d36062b929eff12abb87b87a6f4da4de8ef76345777f99c806277"
     "123a1d9d3442a4ec7ed9669d5e237425f67454428555c",
     "hello"},
};

AbHeader header_from(const std::string& fields) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t star = fields.find('*'); star != std::string::npos;
         star = fields.find('*', start)) {
        parts.push_back(fields.substr(start, star - start));
        start = star + 1;
    }
    parts.push_back(fields.substr(start));
    REQUIRE(parts.size() == 7);
    AbHeader header;
    header.version = std::stoi(parts[0]);
    header.compressed = true;
    header.encryption = AbEncryption::aes256;
    header.rounds = static_cast<std::uint32_t>(std::stoul(parts[2]));
    header.user_salt = decode_hex(parts[3], "salt").value();
    header.checksum_salt = decode_hex(parts[4], "salt").value();
    header.user_iv = decode_hex(parts[5], "iv").value();
    header.master_key_blob = decode_hex(parts[6], "blob").value();
    return header;
}

} // namespace

TEST_CASE("master keys of real devices unlock with their passwords", "[ab_crypto]") {
    // The version 2+ checksum is computed over the key's Java char-wise UTF-8 form; a
    // raw-bytes checksum would fail every one of these.
    for (const DeviceVector& v : k_device_vectors) {
        INFO(v.device);
        const AbHeader header = header_from(v.fields);
        const auto key = unlock_master_key(header, v.password, 200'000);
        CHECK(key);

        const auto wrong = unlock_master_key(header, std::string(v.password) + "x", 200'000);
        REQUIRE_FALSE(wrong);
        CHECK(wrong.error().code == ErrorCode::wrong_password);
        CHECK(wrong.error().message == "wrong backup password");
    }
}

TEST_CASE("a header asking for too many PBKDF2 rounds is refused before any work", "[ab_crypto]") {
    AbHeader header = header_from(k_device_vectors[3].fields);
    header.rounds = 2'000'000'000;
    const auto key = unlock_master_key(header, "hello", 200'000);
    REQUIRE_FALSE(key);
    CHECK(key.error().code == ErrorCode::too_large);
}

TEST_CASE("master key bytes become what Java's char-wise UTF-8 makes of them", "[ab_crypto]") {
    const auto [bytes, expected] = GENERATE(table<std::string, std::string>({
        {"abc", "abc"},
        {std::string("\x00\x7f", 2), std::string("\x00\x7f", 2)},
        {"\x80", "\xef\xbe\x80"}, // (char)(byte)0x80 == U+FF80
        {"\xff", "\xef\xbf\xbf"}, // U+FFFF
        {"\xc3\xa5", "\xef\xbf\x83\xef\xbe\xa5"},
    }));
    CHECK(java_char_utf8(bytes) == expected);
}

TEST_CASE("short digests are SHA-256 prefixes", "[ab_crypto]") {
    CHECK(short_digest("abc") == "ba7816bf8f01");
    CHECK(short_digest("abc", 8) == "ba7816bf");
    CHECK(short_digest("abd") != short_digest("abc"));
}

TEST_CASE("decryption of a cut-off payload fails at its end", "[ab_crypto]") {
    const MasterKey key(std::array<unsigned char, 32>{}, std::array<unsigned char, 16>{});
    // 20 bytes is not a whole number of AES blocks.
    const std::string data(20, 'x');
    MemoryStream in(data);
    const auto stream = make_decrypt_stream(in, key);
    std::string out(64, '\0');
    Expected<std::size_t> got = std::size_t{1};
    while (got && *got != 0) {
        got = stream->read(out);
    }
    REQUIRE_FALSE(got);
    CHECK(got.error().code == ErrorCode::malformed);
    CHECK_THAT(got.error().message, Catch::Contains("truncated"));
}
