#include "detectors/image/decode.hpp"
#include "detectors/image/image_detector.hpp"
#include "detectors/image/ocr.hpp"
#include "detectors/image/thumbnail.hpp"
#include "detectors/image/vision.hpp"
#include "detectors/text_detector.hpp"
#include "tests/detectors/image/fixtures.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
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
