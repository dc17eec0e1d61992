// HEIF grids (as phones write photos) decoded one tile at a time (issue 16: memory for
// one image bounded whatever its size): the same pixels libheif decodes whole, turned
// and mirrored as the file says, and reduced as the caller asks.

#include "detectors/image/decode.hpp"
#include "detectors/image/heif_grid.hpp"
#include "tests/detectors/image/fixtures.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace image = dockscan::detectors::image;
namespace ti = dockscan::test_images;

namespace {

bool same(const image::Plane& ours, const ti::LumaPlane& theirs) {
    return ours.width == theirs.width && ours.height == theirs.height &&
           ours.pixels == theirs.pixels;
}

} // namespace

TEST_CASE("a HEIF grid decoded tile by tile has the pixels libheif decodes whole",
          "[image][decode][heif]") {
    struct Case {
        const char* what;
        ti::GridOptions options;
    };
    const Case c = GENERATE(
        Case{"upright", {.tile = 128}}, Case{"a quarter turn", {.tile = 128, .quarter_turns = 1}},
        Case{"a half turn", {.tile = 128, .quarter_turns = 2}},
        Case{"three quarter turns", {.tile = 128, .quarter_turns = 3}},
        Case{"mirrored, axis 0", {.tile = 128, .mirror_axis = 0}},
        Case{"mirrored, axis 1", {.tile = 128, .mirror_axis = 1}},
        Case{"turned and mirrored", {.tile = 128, .quarter_turns = 1, .mirror_axis = 0}});
    INFO(c.what);
    // 600x340: the last column and row of tiles reach past the image.
    const std::string heic = ti::plain_heic_grid(600, 340, c.options);
    REQUIRE_FALSE(heic.empty());
    const auto grid = image::find_primary_grid(heic);
    REQUIRE(grid);
    REQUIRE(*grid);
    CHECK((*grid)->rows == 3);
    CHECK((*grid)->columns == 5);
    const ti::LumaPlane whole = ti::libheif_luma(heic);
    REQUIRE(whole.width > 0);
    // At full size, the very pixels (the same HEVC decoder under both).
    const auto full = image::decode(heic, 100'000);
    REQUIRE(full);
    CHECK(full->luma.width == full->header.display_width());
    CHECK(full->luma.height == whole.height);
    CHECK(same(full->luma, whole));
    CHECK(full->cb.width == (full->luma.width + 1) / 2);
    // Reduced: libheif's pixels reduced the same way.
    const auto small = image::decode(heic, 150);
    REQUIRE(small);
    const int factor = image::reduction_factor(whole.width, whole.height, 150);
    CHECK(factor == 4);
    const image::Plane expected =
        image::reduced(whole.pixels.data(), whole.width, whole.height, whole.width, factor);
    CHECK(small->luma.width == expected.width);
    CHECK(small->luma.height == expected.height);
    const bool same_pixels = small->luma.pixels == expected.pixels;
    CHECK(same_pixels);
}

TEST_CASE("a grid whose tiles do not cover it is refused", "[image][decode][heif]") {
    std::string heic = ti::plain_heic_grid(600, 340, {.tile = 128});
    // The grid's data says 5 columns and 3 rows; make it say 2 rows of the 15 tiles.
    const auto idat = heic.find("idat");
    REQUIRE(idat != std::string::npos);
    heic[idat + 4 + 2] = 1;
    const auto grid = image::find_primary_grid(heic);
    REQUIRE_FALSE(grid);
    CHECK(grid.error().code == image::ErrorCode::corrupt);
}

TEST_CASE("a single-frame HEIC is not a grid and is decoded by libheif", "[image][decode][heif]") {
    const std::string heic = ti::plain_heic(640, 480);
    REQUIRE_FALSE(heic.empty());
    const auto grid = image::find_primary_grid(heic);
    REQUIRE(grid);
    CHECK_FALSE(*grid);
    const auto decoded = image::decode(heic, 100'000);
    REQUIRE(decoded);
    CHECK(decoded->luma.width == 640);
}
