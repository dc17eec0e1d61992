#include "detectors/image/image_detector.hpp"
#include "tests/detectors/image/fixtures.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

namespace image = dockscan::detectors::image;
namespace ti = dockscan::test_images;
using dockscan::detectors::Kind;
using dockscan::detectors::Signal;

namespace {

std::vector<Signal> of_kind(const std::vector<Signal>& signals, Kind kind) {
    std::vector<Signal> out;
    std::copy_if(signals.begin(), signals.end(), std::back_inserter(out),
                 [&](const Signal& s) { return s.kind == kind; });
    return out;
}

std::vector<Signal> analyse(const std::string& bytes) {
    image::ImageAnalyser analyser{image::ImageOptions{}};
    auto signals = analyser.analyse(bytes);
    REQUIRE(signals);
    return *signals;
}

} // namespace

// Skatteverket's test personnummer 19121212-1212, as a wristband or a referral prints it.
TEST_CASE("a QR code on a wristband label carries a personnummer", "[image][barcode]") {
    const std::string content =
        GENERATE(std::string("19121212-1212"), std::string("PAT:191212121212;NAMN:Test Testsson"));
    const auto signals = analyse(ti::barcode_photo_jpeg(ti::BarcodeKind::qr, content, 7));
    const auto codes = of_kind(signals, Kind::barcode);
    REQUIRE(codes.size() == 1);
    REQUIRE(codes[0].box);
    const auto numbers = of_kind(signals, Kind::personnummer);
    REQUIRE(numbers.size() == 1);
    CHECK(numbers[0].masked == "121212-****");
    CHECK(numbers[0].normalized == "191212121212");
    REQUIRE(numbers[0].box);
    // The box is the code's, in the 4000x3000 photo: around its middle.
    CHECK(numbers[0].box->x < 2000);
    CHECK(numbers[0].box->x + numbers[0].box->width > 2000);
    CHECK(numbers[0].box->width > 200);
}

TEST_CASE("a Code 128 barcode printed on a photographed summons", "[image][barcode][ocr]") {
    const auto signals = analyse(ti::barcode_document_jpeg(
        ti::BarcodeKind::code128, "191212121212",
        {"KALLELSE", "Mottagning: Vardcentralen", "Tid: 14 maj kl 10.30", "Ta med legitimation"},
        3));
    CHECK(of_kind(signals, Kind::document).size() == 1);
    REQUIRE(of_kind(signals, Kind::barcode).size() == 1);
    const auto numbers = of_kind(signals, Kind::personnummer);
    REQUIRE(numbers.size() == 1);
    CHECK(numbers[0].masked == "121212-****");
}

TEST_CASE("a barcode with a phone number or a parcel id is no finding", "[image][barcode]") {
    const std::string content = GENERATE(std::string("tel:0701234567"), std::string("0701234567"),
                                         std::string("https://vardcentralen.example/boka"));
    const auto signals = analyse(ti::barcode_photo_jpeg(ti::BarcodeKind::qr, content, 8));
    CHECK(of_kind(signals, Kind::barcode).empty());
    CHECK(of_kind(signals, Kind::personnummer).empty());
    CHECK(of_kind(signals, Kind::samordningsnummer).empty());
}
