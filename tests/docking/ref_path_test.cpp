#include "docking/ref_path.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace dockscan::docking {
namespace {

TEST_CASE("encode_name keeps readable UTF-8 names and escapes the rest", "[ref_path]") {
    const auto [name, ref] = GENERATE(table<std::string, std::string>({
        {"IMG_20261120_140200.jpg", "IMG_20261120_140200.jpg"},
        {"Åsa på stranden.jpg", "Åsa på stranden.jpg"},
        {"100%.jpg", "100%25.jpg"},
        // A Latin-1 name copied from an old phone: the byte 0xE5 ("å") is no UTF-8.
        {"sm\xe5 barn.txt", "sm%E5 barn.txt"},
        {"tab\there.txt", "tab%09here.txt"},
        {"a#1.vcf", "a#1.vcf"},
    }));
    CAPTURE(name);
    CHECK(encode_name(name) == ref);
}

TEST_CASE("decode_ref leads back to the raw names", "[ref_path]") {
    const auto [ref, names] = GENERATE(table<std::string, std::vector<std::string>>({
        {"DCIM/Camera/a.jpg", {"DCIM", "Camera", "a.jpg"}},
        {"Bilder/100%25.jpg", {"Bilder", "100%.jpg"}},
        {"sm%E5 barn.txt", {"sm\xe5 barn.txt"}},
        {"sm%e5.txt", {"sm\xe5.txt"}},
    }));
    CAPTURE(ref);
    const auto decoded = decode_ref(ref);
    REQUIRE(decoded);
    CHECK(*decoded == names);
}

TEST_CASE("decode_ref refuses refs that could leave the root", "[ref_path]") {
    const std::string ref = GENERATE(
        as<std::string>{}, "", "/etc/passwd", "../secret.txt", "DCIM/../../x.jpg", "a//b.jpg",
        "./a.jpg", "a/", "%2E%2E/x.txt", "a%2Fb.txt", "a%00.txt", "bad%4.txt", "bad%G1.txt");
    CAPTURE(ref);
    const auto decoded = decode_ref(ref);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code == ErrorCode::malformed);
}

} // namespace
} // namespace dockscan::docking
