// Faces and people. The face cascade is checked on real photos: scikit-image's sample
// photos, which scripts/install-deps unpacks from Debian's python3-skimage package into
// DOCKSCAN_PUBLIC_PHOTOS_DIR (never committed). The photo of a person is the NASA
// portrait of astronaut Eileen Collins (public domain); the others show no one.

#include "detectors/image/decode.hpp"
#include "detectors/image/image_detector.hpp"
#include "detectors/image/vision.hpp"
#include "tests/detectors/image/fixtures.hpp"
#include "tests/support/temp_dir.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <string>

namespace fs = std::filesystem;
namespace image = dockscan::detectors::image;
namespace ti = dockscan::test_images;
using dockscan::detectors::Box;
using dockscan::detectors::Kind;
using dockscan::detectors::Signal;

namespace {

std::string sample_photo(const std::string& name) {
    const fs::path path = dockscan::testing::public_photos_dir() / "skimage" / name;
    INFO(path << " is missing: scripts/install-deps unpacks it from python3-skimage");
    REQUIRE(fs::is_regular_file(path));
    return dockscan::testing::read_file(path);
}

std::vector<Signal> of_kind(const std::vector<Signal>& signals, Kind kind) {
    std::vector<Signal> out;
    std::copy_if(signals.begin(), signals.end(), std::back_inserter(out),
                 [&](const Signal& s) { return s.kind == kind; });
    return out;
}

std::vector<Signal> analyse(const std::string& bytes,
                            image::People people = image::People::disabled) {
    image::ImageOptions options;
    options.people = people;
    image::ImageAnalyser analyser{options};
    auto signals = analyser.analyse(bytes, {});
    REQUIRE(signals);
    return *signals;
}

// The share of `inner` that lies inside `outer`.
double covered(const Box& inner, const Box& outer) {
    const int x0 = std::max(inner.x, outer.x);
    const int y0 = std::max(inner.y, outer.y);
    const int x1 = std::min(inner.x + inner.width, outer.x + outer.width);
    const int y1 = std::min(inner.y + inner.height, outer.y + outer.height);
    if (x1 <= x0 || y1 <= y0 || inner.width <= 0 || inner.height <= 0) {
        return 0;
    }
    return static_cast<double>(x1 - x0) * (y1 - y0) /
           (static_cast<double>(inner.width) * inner.height);
}

// The portrait cut to `crop` (in its 512x512 pixels) and scaled to `long_side`, as a
// JPEG: the same person as a phone would store a bigger or a smaller picture of her.
std::string portrait_as_jpeg(const Box& crop, int long_side) {
    const auto decoded = image::decode(sample_photo("astronaut.png"), 0);
    REQUIRE(decoded);
    const double f = static_cast<double>(long_side) / std::max(crop.width, crop.height);
    const int w = static_cast<int>(std::lround(crop.width * f));
    const int h = static_cast<int>(std::lround(crop.height * f));
    auto cut = [&](const image::Plane& plane) {
        image::Plane part;
        part.width = crop.width;
        part.height = crop.height;
        for (int row = crop.y; row < crop.y + crop.height; ++row) {
            const auto* from = plane.pixels.data() + static_cast<std::ptrdiff_t>(row) * plane.width;
            part.pixels.insert(part.pixels.end(), from + crop.x, from + crop.x + crop.width);
        }
        return image::resized(part, w, h);
    };
    auto jpeg = image::jpeg_encode(cut(decoded->luma), cut(decoded->cb), cut(decoded->cr), 90);
    REQUIRE(jpeg);
    return *jpeg;
}

// Where her face is in the 512x512 portrait: forehead to chin, ear to ear.
constexpr Box k_face{170, 60, 110, 120};

} // namespace

TEST_CASE("a face is found where it is, at any size a phone stores the picture", "[image][face]") {
    struct Case {
        const char* what;
        Box crop;      // of the 512x512 portrait
        int long_side; // of the picture analysed
    };
    const Case c = GENERATE(values<Case>({
        {"the portrait as it is", {0, 0, 512, 512}, 512},
        // Decoded at 1/4 and shrunk for the cascade.
        {"a 9 MP photo", {0, 0, 512, 512}, 3000},
        // Her face ~30 px: found only because small pictures are enlarged for the cascade.
        {"a 200 px picture (a saved thumbnail)", {0, 0, 512, 512}, 200},
        // Her face fills the frame: the large scales, scanned when a quick look sees a face.
        {"a close-up", {150, 40, 150, 150}, 1600},
    }));
    INFO(c.what);
    const auto signals =
        analyse(c.long_side == 512 && c.crop.width == 512 ? sample_photo("astronaut.png")
                                                          : portrait_as_jpeg(c.crop, c.long_side));
    const auto faces = of_kind(signals, Kind::face);
    REQUIRE(faces.size() == 1);
    // The face's box in the analysed picture's pixels.
    const double f = static_cast<double>(c.long_side) / std::max(c.crop.width, c.crop.height);
    const Box expected{static_cast<int>((k_face.x - c.crop.x) * f),
                       static_cast<int>((k_face.y - c.crop.y) * f),
                       static_cast<int>(k_face.width * f), static_cast<int>(k_face.height * f)};
    REQUIRE(faces[0].box);
    const Box& found = *faces[0].box;
    INFO("found at " << found.x << "," << found.y << " " << found.width << "x" << found.height);
    CHECK(covered(found, expected) > 0.8);
    CHECK(covered(expected, found) > 0.3);
}

TEST_CASE("no face or person is claimed in real photos of animals, things and textures",
          "[image][face][person]") {
    const char* name = GENERATE("chelsea.png", // a cat's face
                                "coffee.png", "rocket.jpg", "horse.png", "motorcycle_left.png",
                                "brick.png", "grass.png", "gravel.png", "coins.png", "moon.png",
                                "hubble_deep_field.jpg", "retina.jpg", "page.png", "text.png");
    INFO(name);
    // With the people detector on too, which looks wherever no face was found.
    const auto signals = analyse(sample_photo(name), image::People::enabled);
    CHECK(of_kind(signals, Kind::face).empty());
    CHECK(of_kind(signals, Kind::person).empty());
}

TEST_CASE("someone standing is a person when the people detector is on", "[image][person]") {
    const int centre = GENERATE(500, 800, 1100);
    INFO("standing at x " << centre);
    const std::string photo = ti::standing_person_photo_jpeg(1600, 1200, centre);

    const auto on = of_kind(analyse(photo, image::People::enabled), Kind::person);
    REQUIRE(on.size() == 1);
    // Head to feet and hand to hand, as the fixture draws it (4 px per unit).
    const Box figure{centre - 128, 204, 256, 776};
    REQUIRE(on[0].box);
    const Box& found = *on[0].box;
    INFO("found at " << found.x << "," << found.y << " " << found.width << "x" << found.height);
    // The person is inside the box, and the box is about the person, not the frame.
    CHECK(covered(figure, found) > 0.9);
    CHECK(found.height < 2 * figure.height);
    CHECK(std::abs(found.x + found.width / 2 - centre) < 100);

    // Off by default (tests/bench/README.md: it also finds people in textures).
    CHECK(of_kind(analyse(photo), Kind::person).empty());
}
