#include "detectors/image/decode.hpp"
#include "detectors/image/exif.hpp"
#include "detectors/image/orientation.hpp"
#include "tests/detectors/image/fixtures.hpp"
#include "tests/support/temp_dir.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

namespace image = dockscan::detectors::image;
namespace ti = dockscan::test_images;
using dockscan::testing::TempDir;

namespace {

// A JPEG start with one APP1 Exif segment holding IFD0 `entries` (tag, type, value).
std::string jpeg_with_exif(bool little, const std::vector<std::array<std::uint16_t, 3>>& entries) {
    auto u16 = [&](std::string& s, std::uint32_t v) {
        if (little) {
            s += static_cast<char>(v & 0xff);
            s += static_cast<char>(v >> 8 & 0xff);
        } else {
            s += static_cast<char>(v >> 8 & 0xff);
            s += static_cast<char>(v & 0xff);
        }
    };
    std::string tiff = little ? "II" : "MM";
    u16(tiff, 42);
    u16(tiff, little ? 8 : 0);
    u16(tiff, little ? 0 : 8);
    u16(tiff, static_cast<std::uint32_t>(entries.size()));
    for (const auto& e : entries) {
        u16(tiff, e[0]);
        u16(tiff, e[1]);
        u16(tiff, little ? 1 : 0);
        u16(tiff, little ? 0 : 1);
        u16(tiff, e[2]);
        u16(tiff, 0);
    }
    const std::string payload = std::string("Exif\0\0", 6) + tiff;
    std::string jpeg = "\xff\xd8\xff\xe1";
    jpeg += static_cast<char>((payload.size() + 2) >> 8);
    jpeg += static_cast<char>((payload.size() + 2) & 0xff);
    return jpeg + payload + "\xff\xd9";
}

} // namespace

TEST_CASE("EXIF orientation and camera make are read from IFD0", "[image][exif]") {
    struct Case {
        bool little;
        std::vector<std::array<std::uint16_t, 3>> entries;
        int orientation;
        bool camera;
    };
    const Case c = GENERATE(values<Case>({
        {true, {{0x0112, 3, 6}}, 6, false},                 // iPhone held upright
        {false, {{0x010f, 2, 0}, {0x0112, 3, 8}}, 8, true}, // big-endian, with Make
        {true, {{0x0110, 2, 0}}, 1, true},                  // Model only
        {true, {{0x0112, 3, 9}}, 1, false},                 // out of range: ignored
        {true, {}, 1, false},                               // empty IFD: a screenshot
    }));
    const image::ExifFacts facts = image::read_jpeg_exif(jpeg_with_exif(c.little, c.entries));
    CHECK(facts.orientation == c.orientation);
    CHECK(facts.camera == c.camera);
}

TEST_CASE("a damaged EXIF segment yields the defaults", "[image][exif]") {
    std::string jpeg = jpeg_with_exif(true, {{0x0112, 3, 6}});
    const std::size_t cut = GENERATE(as<std::size_t>{}, 3, 10, 16, 24);
    const image::ExifFacts facts = image::read_jpeg_exif(jpeg.substr(0, cut));
    CHECK(facts.orientation == 1);
}

TEST_CASE("orientation turns a plane to display orientation", "[image][orientation]") {
    // 3 wide, 2 high:  1 2 3 / 4 5 6
    const image::Plane plane{3, 2, {1, 2, 3, 4, 5, 6}};
    struct Case {
        int orientation;
        int width;
        std::vector<std::uint8_t> pixels;
    };
    const Case c = GENERATE(values<Case>({
        {1, 3, {1, 2, 3, 4, 5, 6}},
        {2, 3, {3, 2, 1, 6, 5, 4}},
        {3, 3, {6, 5, 4, 3, 2, 1}},
        {4, 3, {4, 5, 6, 1, 2, 3}},
        {5, 2, {1, 4, 2, 5, 3, 6}},
        {6, 2, {4, 1, 5, 2, 6, 3}}, // 90° clockwise
        {7, 2, {6, 3, 5, 2, 4, 1}},
        {8, 2, {3, 6, 2, 5, 1, 4}}, // 90° counter-clockwise
    }));
    const image::Plane out = image::oriented(plane, c.orientation);
    CHECK(out.width == c.width);
    CHECK(out.pixels == c.pixels);
}

TEST_CASE("a 12 MP JPEG decodes DCT-scaled to the asked size, with chroma", "[image][decode]") {
    TempDir dir;
    dockscan::testing::write_file(dir / "IMG_0001.JPG", ti::scene_photo_jpeg(4000, 3000, 3));
    const auto decoded = image::decode(dockscan::testing::read_file(dir / "IMG_0001.JPG"), 1000);
    REQUIRE(decoded);
    CHECK(decoded->header.width == 4000);
    CHECK(decoded->luma.width == 1000);
    CHECK(decoded->luma.height == 750);
    // 4:2:0 chroma at half the luma size.
    CHECK(decoded->cb.width == 500);
    CHECK(decoded->cr.height == 375);
}

TEST_CASE("broken and oversized images are errors, not crashes", "[image][decode]") {
    TempDir dir;
    const std::string jpeg = ti::scene_photo_jpeg(1600, 1200, 5);
    struct Case {
        const char* what;
        std::string bytes;
        image::ErrorCode code;
    };
    const Case c = GENERATE_COPY(values<Case>({
        {"JPEG header only", jpeg.substr(0, 200), image::ErrorCode::corrupt},
        {"PNG claiming 50000x50000", ti::png_header_only(50000, 50000),
         image::ErrorCode::too_large},
        {"PNG claiming 0x10", ti::png_header_only(0, 10), image::ErrorCode::corrupt},
        {"not an image", "GIF89a....", image::ErrorCode::unsupported},
        {"over 64 MiB", std::string("\xff\xd8\xff", 3) + std::string(64u << 20, '\0'),
         image::ErrorCode::too_large},
    }));
    INFO(c.what);
    dockscan::testing::write_file(dir / "item", c.bytes);
    const auto decoded = image::decode(dockscan::testing::read_file(dir / "item"), 1000);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code == c.code);
}

TEST_CASE("a HEIC screenshot decodes to its luma plane", "[image][decode][heif]") {
    TempDir dir;
    const std::string heic = ti::chat_screenshot_heic({"Hej", "Tack"});
    // bookworm's libheif 1.15 has x265 built in; without an encoder there is no fixture.
    REQUIRE_FALSE(heic.empty());
    dockscan::testing::write_file(dir / "IMG_0002.HEIC", heic);
    // Asked for its full size: the luma plane as decoded, not reduced.
    const auto decoded = image::decode(dockscan::testing::read_file(dir / "IMG_0002.HEIC"), 2532);
    REQUIRE(decoded);
    CHECK(decoded->header.format == image::Format::heif);
    CHECK(decoded->header.width == 1170);
    CHECK(decoded->header.height == 2532);
    CHECK(decoded->luma.width == 1170);
    // White status bar area at the top: the Y plane, not an empty buffer.
    CHECK(decoded->luma.at(600, 20) > 230);
}

TEST_CASE("a HEIC decodes from its embedded thumbnail when that is large enough",
          "[image][decode][heif]") {
    TempDir dir;
    const std::string heic = ti::chat_screenshot_heic({"Hej", "Tack"});
    REQUIRE_FALSE(heic.empty());
    dockscan::testing::write_file(dir / "IMG_0003.HEIC", heic);
    const std::string bytes = dockscan::testing::read_file(dir / "IMG_0003.HEIC");
    struct Case {
        int min_long_side;
        int long_side; // of the decoded luma
    };
    // From the primary image only what is asked for is kept: 2532 px reduced by the
    // largest whole factor that keeps at least `min_long_side` (7 for 321, 2 for 1000).
    const Case c =
        GENERATE(values<Case>({{200, 320}, {320, 320}, {321, 362}, {1000, 1266}, {2532, 2532}}));
    const auto decoded = image::decode(bytes, c.min_long_side);
    REQUIRE(decoded);
    // The header always describes the full image, whichever was decoded.
    CHECK(decoded->header.height == 2532);
    CHECK(std::max(decoded->luma.width, decoded->luma.height) == c.long_side);
}
