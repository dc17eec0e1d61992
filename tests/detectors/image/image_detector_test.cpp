#include "detectors/image/decode.hpp"
#include "detectors/image/image_detector.hpp"
#include "detectors/image/screen_sizes.hpp"
#include "detectors/image/vision.hpp"
#include "tests/detectors/image/fixtures.hpp"
#include "tests/support/temp_dir.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

namespace image = dockscan::detectors::image;
namespace ti = dockscan::test_images;
using dockscan::detectors::Box;
using dockscan::detectors::Kind;
using dockscan::detectors::Signal;
using dockscan::testing::TempDir;

namespace {

// Skatteverket's published test personnummer (never a real person's).
constexpr const char* k_test_number = "19450411-8359";

std::vector<Signal> of_kind(const std::vector<Signal>& signals, Kind kind) {
    std::vector<Signal> out;
    std::copy_if(signals.begin(), signals.end(), std::back_inserter(out),
                 [&](const Signal& s) { return s.kind == kind; });
    return out;
}

// A medication list with the patient's number, as held under a phone's camera.
std::vector<std::string> medication_list() {
    return {"LAKEMEDELSLISTA",
            "Patient: Anna Andersson",
            std::string("Personnummer: ") + k_test_number,
            "Alvedon 500 mg 1x3",
            "Omeprazol 20 mg 1x1",
            "Waran 2,5 mg enl. schema",
            "Furix 40 mg 1 morgon",
            "Sobril 10 mg vid behov",
            "Trombyl 75 mg 1x1",
            "Kalcipos-D 1x2",
            "Movicol 1 dospase",
            "Ordinerad av: Dr Berg"};
}

bool is_identity(Kind k) {
    return k == Kind::personnummer || k == Kind::samordningsnummer || k == Kind::interimsnummer;
}

bool inside(const Box& inner, const Box& outer) {
    return inner.x >= outer.x && inner.y >= outer.y && inner.width > 0 && inner.height > 0 &&
           inner.x + inner.width <= outer.x + outer.width &&
           inner.y + inner.height <= outer.y + outer.height;
}

// Analyses a generated image the way it arrives from a phone: as a file's bytes.
std::vector<Signal> analyse_file(const TempDir& dir, const std::string& name,
                                 const std::string& bytes, const image::ImageHints& hints = {}) {
    dockscan::testing::write_file(dir / name, bytes);
    image::ImageAnalyser analyser{image::ImageOptions{}};
    auto signals = analyser.analyse(dockscan::testing::read_file(dir / name), hints);
    REQUIRE(signals);
    return *signals;
}

} // namespace

TEST_CASE("a photographed summons: document, and the personnummer OCR reads on it",
          "[image][document][ocr]") {
    TempDir dir;
    const std::uint32_t seed = GENERATE(1u, 2u);
    const auto signals = analyse_file(
        dir, "IMG_0100.JPG",
        ti::document_photo_jpeg(
            {"KALLELSE", "Namn: Anna Andersson", std::string("Personnummer: ") + k_test_number,
             "Tid: 14 maj kl 10.30", "Mottagning: Vardcentralen", "Ta med legitimation"},
            2400, 1800, seed));
    const auto documents = of_kind(signals, Kind::document);
    REQUIRE(documents.size() == 1);
    REQUIRE(documents[0].box);
    const auto numbers = of_kind(signals, Kind::personnummer);
    REQUIRE(numbers.size() == 1);
    CHECK(numbers[0].masked == "450411-****");
    CHECK(numbers[0].normalized == "194504118359");
    REQUIRE(numbers[0].box);
    // The number's box lies on the page, in full-image coordinates.
    CHECK(inside(*numbers[0].box, *documents[0].box));
    CHECK(numbers[0].box->width > numbers[0].box->height * 4);
}

TEST_CASE("a chat screenshot: screenshot, and the personnummer in a white-on-blue bubble",
          "[image][screenshot][ocr]") {
    TempDir dir;
    const auto signals = analyse_file(
        dir, "IMG_0101.PNG",
        ti::chat_screenshot_png({"Hej! Har ar pnr till Olle", k_test_number, "Tack, jag ringer"}));
    const auto screens = of_kind(signals, Kind::screenshot);
    REQUIRE(screens.size() == 1);
    CHECK(screens[0].confidence >= 0.5);
    const auto numbers = of_kind(signals, Kind::personnummer);
    REQUIRE(numbers.size() == 1);
    CHECK(numbers[0].masked == "450411-****");
    REQUIRE(numbers[0].box);
    // The second bubble, right-aligned: x in the right half, y below the first bubble.
    CHECK(numbers[0].box->x > 585);
    CHECK(numbers[0].box->y > 570);
    CHECK(numbers[0].box->y + numbers[0].box->height < 680);
    CHECK(of_kind(signals, Kind::document).empty());
}

TEST_CASE("a page photographed from close by, edges outside the frame: document, number read",
          "[image][ocr]") {
    TempDir dir;
    const auto signals =
        analyse_file(dir, "IMG_0110.JPG", ti::page_closeup_jpeg(medication_list(), 4000, 3000, 3));
    CHECK(of_kind(signals, Kind::document).size() == 1);
    const auto numbers = of_kind(signals, Kind::personnummer);
    REQUIRE(numbers.size() == 1);
    CHECK(numbers[0].masked == "450411-****");
}

TEST_CASE("a page lying turned on the table: document, number read", "[image][ocr]") {
    TempDir dir;
    const double degrees = GENERATE(25.0, -30.0);
    INFO("turned by " << degrees);
    const auto signals = analyse_file(
        dir, "IMG_0113.JPG",
        ti::tilted_document_photo_jpeg({"KALLELSE", "Namn: Anna Andersson",
                                        std::string("Personnummer: ") + k_test_number,
                                        "Tid: 14 maj kl 10.30", "Mottagning: Vardcentralen"},
                                       4000, 3000, degrees));
    CHECK(of_kind(signals, Kind::document).size() == 1);
    const auto numbers = of_kind(signals, Kind::personnummer);
    REQUIRE(numbers.size() == 1);
    CHECK(numbers[0].masked == "450411-****");
}

TEST_CASE("a painting is not a document: its line-like strokes do not start at one margin",
          "[image]") {
    // A page without an outline is known by its text lines: texture that closes into
    // long, flat blobs (concrete, a painting) made photos into "documents" before, and
    // so did taking the picture's own border for a page's outline.
    const std::uint32_t seed = GENERATE(1u, 2u, 3u, 4u);
    TempDir dir;
    CHECK(of_kind(analyse_file(dir, "IMG_0111.JPG", ti::brush_strokes_jpeg(4000, 3000, seed)),
                  Kind::document)
              .empty());
    CHECK(of_kind(analyse_file(dir, "IMG_0112.JPG",
                               ti::page_closeup_jpeg(medication_list(), 4000, 3000, seed)),
                  Kind::document)
              .size() == 1);

    auto lines_in = [](const std::string& jpeg) {
        const auto decoded = image::decode(jpeg, 1000);
        REQUIRE(decoded);
        return image::find_text_lines(image::shrunk(decoded->luma, 1024), std::nullopt);
    };
    const image::TextLines strokes = lines_in(ti::brush_strokes_jpeg(4000, 3000, seed));
    INFO("strokes: " << strokes.lines << " lines, " << strokes.aligned << " aligned");
    CHECK(strokes.lines >= 10); // line-shaped, as far as shape goes
    CHECK(strokes.aligned < 6);
    const image::TextLines page =
        lines_in(ti::page_closeup_jpeg(medication_list(), 4000, 3000, seed));
    INFO("page: " << page.lines << " lines, " << page.aligned << " aligned");
    CHECK(page.lines >= 10);
    CHECK(page.aligned >= 6);
}

TEST_CASE("a page with a phone number, an org number and a payment reference claims no "
          "identity number",
          "[image][document][ocr]") {
    TempDir dir;
    const auto signals = analyse_file(
        dir, "IMG_0102.JPG",
        ti::document_photo_jpeg({"FAKTURA", "Kundtjanst tel 070-123 45 67",
                                 "Organisationsnummer 212000-0142", "OCR-nummer 4711081512345",
                                 "Att betala 1 250 kr", "Bankgiro 5050-1055"},
                                2400, 1800, 3));
    CHECK(of_kind(signals, Kind::document).size() == 1);
    for (const Signal& s : signals) {
        INFO(dockscan::detectors::to_string(s.kind) << " " << s.masked);
        CHECK_FALSE(is_identity(s.kind));
    }
}

TEST_CASE("a photo without text or screen is neither document nor screenshot", "[image]") {
    TempDir dir;
    const std::uint32_t seed = GENERATE(11u, 12u, 13u);
    const auto signals = analyse_file(dir, "IMG_0103.JPG", ti::scene_photo_jpeg(4000, 3000, seed));
    CHECK(of_kind(signals, Kind::document).empty());
    CHECK(of_kind(signals, Kind::screenshot).empty());
    for (const Signal& s : signals) {
        CHECK_FALSE(is_identity(s.kind));
    }
}

TEST_CASE("the phone's own screenshot flag decides for a camera-sized image",
          "[image][screenshot]") {
    TempDir dir;
    const std::string scene = ti::scene_photo_jpeg(1600, 1200, 21);
    struct Case {
        std::optional<bool> hint;
        bool screenshot;
    };
    const Case c = GENERATE(values<Case>({{std::nullopt, false}, {true, true}, {false, false}}));
    image::ImageHints hints;
    hints.screenshot = c.hint;
    const auto signals = analyse_file(dir, "IMG_0104.JPG", scene, hints);
    CHECK(of_kind(signals, Kind::screenshot).size() == (c.screenshot ? 1u : 0u));
}

TEST_CASE("a screen-sized JPEG is a screenshot unless a camera's EXIF says a camera took it",
          "[image][screenshot][exif]") {
    TempDir dir;
    const std::string screen = ti::chat_screenshot_jpeg({"Hej", "Tack, vi ses"});
    CHECK(of_kind(analyse_file(dir, "IMG_0106.JPG", screen), Kind::screenshot).size() == 1);
    const std::string camera = ti::with_camera_exif(screen, "Apple", "iPhone 13");
    CHECK(of_kind(analyse_file(dir, "IMG_0107.JPG", camera), Kind::screenshot).empty());
}

TEST_CASE("screen sizes: today's work phones exactly, other tall screens by shape",
          "[image][screenshot]") {
    using image::ScreenMatch;
    struct Case {
        int width;
        int height;
        ScreenMatch match;
    };
    const Case c = GENERATE(values<Case>({
        {750, 1334, ScreenMatch::exact},   // iPhone SE
        {1206, 2622, ScreenMatch::exact},  // iPhone 16 Pro
        {1080, 2408, ScreenMatch::exact},  // Galaxy XCover 6 Pro
        {1440, 2560, ScreenMatch::exact},  // 16:9 QHD Android
        {2560, 1440, ScreenMatch::exact},  // the same, captured sideways
        {1100, 2400, ScreenMatch::aspect}, // some other 20:9 phone
        {807, 1434, ScreenMatch::aspect},  // a scaled 16:9 screenshot, upright
        {1434, 807, ScreenMatch::none},    // 16:9 sideways: a video frame as often as not
        {3024, 4032, ScreenMatch::none},   // a 12 MP photo
        {2268, 4032, ScreenMatch::none},   // a 16:9 photo, upright
    }));
    INFO(c.width << "x" << c.height);
    CHECK(image::match_screen(c.width, c.height) == c.match);
}

TEST_CASE("a HEIC screenshot is recognised from its decoded luma", "[image][screenshot][heif]") {
    TempDir dir;
    const std::string heic = ti::chat_screenshot_heic({"Hej", "Tack, vi ses"});
    REQUIRE_FALSE(heic.empty());
    const auto signals = analyse_file(dir, "IMG_0105.HEIC", heic);
    CHECK(of_kind(signals, Kind::screenshot).size() == 1);
}

TEST_CASE("a broken image is an error the caller records", "[image]") {
    TempDir dir;
    const std::string jpeg = ti::scene_photo_jpeg(1600, 1200, 31);
    // A JPEG cut before its scan has no pixels (one cut inside it is analysed: the rows
    // it has are what every viewer shows).
    const std::string bytes =
        GENERATE_COPY(jpeg.substr(0, jpeg.find("\xff\xda") + 2), ti::png_header_only(40000, 40000));
    dockscan::testing::write_file(dir / "IMG_0106", bytes);
    image::ImageAnalyser analyser{image::ImageOptions{}};
    const auto signals = analyser.analyse(dockscan::testing::read_file(dir / "IMG_0106"));
    REQUIRE_FALSE(signals);
    CHECK_FALSE(signals.error().message.empty());
}
