#include "detectors/image/decode.hpp"
#include "detectors/image/image_detector.hpp"
#include "detectors/image/ocr.hpp"
#include "detectors/image/thumbnail.hpp"
#include "detectors/image/vision.hpp"
#include "detectors/text_detector.hpp"
#include "tests/detectors/image/fixtures.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

namespace image = dockscan::detectors::image;
namespace ti = dockscan::test_images;
using dockscan::detectors::Kind;

namespace {

// Skatteverket's published test personnummer (never a real person's).
constexpr const char* k_test_number = "19450411-8359";

bool has_identity_number(const std::vector<dockscan::detectors::Signal>& signals) {
    return std::any_of(signals.begin(), signals.end(), [](const auto& s) {
        return s.kind == Kind::personnummer || s.kind == Kind::samordningsnummer ||
               s.kind == Kind::interimsnummer;
    });
}

} // namespace

TEST_CASE("an evidence thumbnail is small, and the text on the photo cannot be read in it",
          "[image][thumbnail][ocr]") {
    const std::string photo =
        ti::document_photo_jpeg({"KALLELSE", std::string("Personnummer: ") + k_test_number,
                                 k_test_number, "Namn: Anna Andersson"},
                                4000, 3000, 5);
    // The photo itself gives the number away: the analyser reads it.
    image::ImageAnalyser analyser{image::ImageOptions{}};
    const auto signals = analyser.analyse(photo);
    REQUIRE(signals);
    REQUIRE(has_identity_number(*signals));

    const auto thumb = image::evidence_thumbnail(photo);
    REQUIRE(thumb);
    CHECK(std::max(thumb->width, thumb->height) <= image::k_thumbnail_long_side);
    CHECK(thumb->width == 96);
    CHECK(thumb->height == 72);
    CHECK(thumb->jpeg.size() < 8 * 1024);

    // The thumbnail is a JPEG of the size it claims.
    const auto decoded = image::decode(thumb->jpeg, image::k_thumbnail_long_side);
    REQUIRE(decoded);
    CHECK(decoded->luma.width == thumb->width);
    CHECK(decoded->luma.height == thumb->height);

    // Enlarged eight times, as someone trying to read it would, OCR finds no number.
    auto ocr = image::OcrEngine::create("swe+eng", "");
    REQUIRE(ocr);
    const image::Plane enlarged =
        image::resized(decoded->luma, decoded->luma.width * 8, decoded->luma.height * 8);
    const auto words = (*ocr)->recognise(enlarged);
    REQUIRE(words);
    std::string text;
    for (const image::OcrWord& w : *words) {
        text += w.text + ' ';
    }
    CHECK_FALSE(has_identity_number(dockscan::detectors::scan_text(text, {})));
    CHECK(text.find("0411") == std::string::npos);
    CHECK(text.find("KALLELSE") == std::string::npos);
}

TEST_CASE("an evidence thumbnail of a HEIC comes from its embedded thumbnail",
          "[image][thumbnail][heif]") {
    const std::string heic = ti::chat_screenshot_heic({"Hej", "Vi ses i morgon"});
    // Debian's libheif1 encodes HEVC with x265.
    REQUIRE_FALSE(heic.empty());
    const auto thumb = image::evidence_thumbnail(heic);
    REQUIRE(thumb);
    // 1170x2532: portrait, 96 px on the long side.
    CHECK(thumb->height == 96);
    CHECK(thumb->width == 44);
}

namespace {

// The mean absolute difference of two planes of the same size, in grey levels.
double mean_difference(const image::Plane& a, const image::Plane& b) {
    REQUIRE(a.width == b.width);
    REQUIRE(a.height == b.height);
    double sum = 0;
    for (std::size_t i = 0; i < a.pixels.size(); ++i) {
        sum += std::abs(static_cast<int>(a.pixels[i]) - static_cast<int>(b.pixels[i]));
    }
    return sum / static_cast<double>(a.pixels.size());
}

} // namespace

TEST_CASE("a flagged photo's thumbnail comes from the analysis's own decode, and looks the same",
          "[image][thumbnail]") {
    struct Case {
        const char* what;
        std::string bytes;
    };
    const Case c = GENERATE(
        Case{"a photographed page (JPEG, 12 MP)",
             ti::document_photo_jpeg({"KALLELSE", std::string("Personnummer: ") + k_test_number},
                                     4000, 3000, 7)},
        Case{"a chat screenshot (HEIC with a thumbnail)", ti::chat_screenshot_heic({"Hej"})});
    INFO(c.what);
    REQUIRE_FALSE(c.bytes.empty());
    image::ImageOptions options;
    options.ocr = image::Ocr::disabled;
    image::ImageAnalyser analyser{options};
    const auto analysed = analyser.analyse_with_thumbnail(c.bytes);
    REQUIRE(analysed);
    REQUIRE_FALSE(analysed->signals.empty());
    REQUIRE(analysed->thumbnail);

    // The thumbnail a second decode at the smallest scale gave (as before): the same
    // size, and the same picture to the eye.
    const auto alone = image::evidence_thumbnail(c.bytes);
    REQUIRE(alone);
    CHECK(analysed->thumbnail->width == alone->width);
    CHECK(analysed->thumbnail->height == alone->height);
    CHECK(analysed->thumbnail->jpeg.size() < 8 * 1024);
    const auto mine = image::decode(analysed->thumbnail->jpeg, image::k_thumbnail_long_side);
    const auto theirs = image::decode(alone->jpeg, image::k_thumbnail_long_side);
    REQUIRE(mine);
    REQUIRE(theirs);
    CHECK(mean_difference(mine->luma, theirs->luma) < 2.0);
    REQUIRE(mine->cb.empty() == theirs->cb.empty());
    if (!mine->cb.empty()) {
        CHECK(mean_difference(mine->cb, theirs->cb) < 2.0);
        CHECK(mean_difference(mine->cr, theirs->cr) < 2.0);
    }
    // What the analysis found is what analyse() alone finds.
    const auto signals = analyser.analyse(c.bytes);
    REQUIRE(signals);
    CHECK(signals->size() == analysed->signals.size());
}

TEST_CASE("a photo without findings gets no thumbnail", "[image][thumbnail]") {
    image::ImageAnalyser analyser{image::ImageOptions{}};
    const auto analysed = analyser.analyse_with_thumbnail(ti::scene_photo_jpeg(640, 480, 12));
    REQUIRE(analysed);
    CHECK(analysed->signals.empty());
    CHECK_FALSE(analysed->thumbnail);
}
