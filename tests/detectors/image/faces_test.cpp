// Faces and people, with the real models (BlazeFace and NanoDet, installed by
// scripts/install-deps into DOCKSCAN_MODELS_DIR), on real photos: scikit-image's sample
// photos, which scripts/install-deps unpacks from Debian's python3-skimage package into
// DOCKSCAN_PUBLIC_PHOTOS_DIR (never committed). The photos of people are the NASA
// portrait of astronaut Eileen Collins and "cameraman" (both public domain); the others
// show no one.

#include "detectors/image/decode.hpp"
#include "detectors/image/image_detector.hpp"
#include "detectors/image/neural.hpp"
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

std::vector<Signal> analyse(const std::string& bytes) {
    image::ImageAnalyser analyser{image::ImageOptions{}};
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
        // Decoded at 1/4, then to BlazeFace's 256 px.
        {"a 9 MP photo", {0, 0, 512, 512}, 3000},
        // Her face ~43 px, enlarged to BlazeFace's 256 px input.
        {"a 200 px picture (a saved thumbnail)", {0, 0, 512, 512}, 200},
        // Her face fills the frame.
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
    const auto signals = analyse(sample_photo(name));
    CHECK(of_kind(signals, Kind::face).empty());
    CHECK(of_kind(signals, Kind::person).empty());
    CHECK(of_kind(signals, Kind::group).empty());
}

TEST_CASE("a cat's fur is no wound: a frame of skin-coloured pixels is not a finding",
          "[image][skin]") {
    // chelsea.png is 99 % inside the YCbCr skin box. The colour rule that once called
    // such a frame a wound photo (a serious deviation) found 2 of 400 real wound photos
    // and 9 of 115 photos without people (tests/bench/README.md, "Wound photos").
    const auto signals = analyse(sample_photo("chelsea.png"));
    CHECK(signals.empty());
    CHECK(of_kind(signals, Kind::skin_closeup).empty());
}

namespace {

// The photo decoded as the analysis decodes it, cut to `part` (in its pixels).
image::Decoded decoded_part(const std::string& bytes, const Box& part) {
    auto decoded = image::decode(bytes, 0);
    REQUIRE(decoded);
    auto cut = [&](const image::Plane& plane) {
        const int x0 = part.x * plane.width / decoded->luma.width;
        const int y0 = part.y * plane.height / decoded->luma.height;
        const int w = part.width * plane.width / decoded->luma.width;
        const int h = part.height * plane.height / decoded->luma.height;
        image::Plane out;
        out.width = w;
        out.height = h;
        for (int y = y0; y < y0 + h; ++y) {
            const auto* row = plane.pixels.data() + static_cast<std::ptrdiff_t>(y) * plane.width;
            out.pixels.insert(out.pixels.end(), row + x0, row + x0 + w);
        }
        return out;
    };
    image::Decoded out = *decoded;
    out.luma = cut(decoded->luma);
    out.cb = cut(decoded->cb);
    out.cr = cut(decoded->cr);
    return out;
}

} // namespace

TEST_CASE("the person model finds the person in real photos, with a box around them",
          "[image][person]") {
    struct Case {
        const char* photo;
        Box part;   // of the 512x512 photo
        Box person; // in the part: head (or the cut) to the lower edge, arm to arm, by eye
    };
    const Case c = GENERATE(values<Case>({
        {"astronaut.png", {0, 0, 512, 512}, {0, 0, 330, 512}},
        {"camera.png", {0, 0, 512, 512}, {110, 40, 210, 470}},
    }));
    INFO(c.photo << " cut to " << c.part.x << "," << c.part.y << " " << c.part.width << "x"
                 << c.part.height);
    auto net = image::PersonNet::load(image::ImageOptions{}.models);
    INFO((net ? "" : net.error().message));
    REQUIRE(net);
    const auto people = (*net)->detect(decoded_part(sample_photo(c.photo), c.part), 256, 0.5);
    REQUIRE(people.size() == 1);
    const Box& found = people[0].box;
    INFO("found at " << found.x << "," << found.y << " " << found.width << "x" << found.height);
    // The person is in the box, and the box is about the person: its middle on them.
    CHECK(covered(c.person, found) > 0.7);
    const int middle = found.x + found.width / 2;
    CHECK(middle > c.person.x);
    CHECK(middle < c.person.x + c.person.width);
}

TEST_CASE("a person cut by the frame, without a head, is found by the person model's second look",
          "[image][person]") {
    // Scikit-image's cameraman from below his face down: a coat, arms, a tripod, legs;
    // as a care worker's photo of a client at a table cuts off the head.
    const Box part{0, 150, 512, 362};
    const image::Decoded cut = decoded_part(sample_photo("camera.png"), part);
    // The first look (256 px) sees him only faintly: under its 0.55.
    auto net = image::PersonNet::load(image::ImageOptions{}.models);
    REQUIRE(net);
    CHECK((*net)->detect(cut, 256, 0.55).empty());
    CHECK_FALSE((*net)->detect(cut, 256, 0.2).empty());
    // The analysis looks again at 416 px and finds him, with his body in the box.
    auto jpeg = image::jpeg_encode(cut.luma, cut.cb, cut.cr, 90);
    REQUIRE(jpeg);
    const auto signals = analyse(*jpeg);
    const auto people = of_kind(signals, Kind::person);
    REQUIRE(people.size() == 1);
    REQUIRE(people[0].box);
    const Box& found = *people[0].box;
    INFO("found at " << found.x << "," << found.y << " " << found.width << "x" << found.height);
    // His coat and hands, by eye, in the cut's pixels.
    CHECK(covered(Box{130, 0, 150, 200}, found) > 0.8);
}

TEST_CASE("one photo of two people is one group finding around both", "[image][person]") {
    // The portrait twice, side by side, as one 1024x512 JPEG.
    const auto one = image::decode(sample_photo("astronaut.png"), 0);
    REQUIRE(one);
    auto twice = [](const image::Plane& p) {
        image::Plane out;
        out.width = 2 * p.width;
        out.height = p.height;
        for (int y = 0; y < p.height; ++y) {
            const auto* row = p.pixels.data() + static_cast<std::ptrdiff_t>(y) * p.width;
            out.pixels.insert(out.pixels.end(), row, row + p.width);
            out.pixels.insert(out.pixels.end(), row, row + p.width);
        }
        return out;
    };
    auto jpeg = image::jpeg_encode(twice(one->luma), twice(one->cb), twice(one->cr), 90);
    REQUIRE(jpeg);
    const auto signals = analyse(*jpeg);
    const auto groups = of_kind(signals, Kind::group);
    REQUIRE(groups.size() == 1);
    CHECK(of_kind(signals, Kind::face).empty());
    REQUIRE(groups[0].box);
    const Box& found = *groups[0].box;
    INFO("found at " << found.x << "," << found.y << " " << found.width << "x" << found.height);
    // Both faces (their middle: eyes, nose, mouth) are inside the one box.
    const Box middle{195, 95, 60, 60};
    CHECK(covered(middle, found) > 0.9);
    CHECK(covered(Box{middle.x + 512, middle.y, middle.width, middle.height}, found) > 0.9);
}

TEST_CASE("a missing model is an error that names the file", "[image][person]") {
    const dockscan::testing::TempDir empty;
    image::ImageOptions options;
    options.models = empty.path().string();
    const auto checked = image::check_models(options);
    REQUIRE_FALSE(checked);
    CHECK(checked.error().message.find(image::k_face_model) != std::string::npos);
    CHECK(checked.error().message.find("install-deps") != std::string::npos);
    // And every photo then is an error, never a photo without people.
    image::ImageAnalyser analyser{options};
    CHECK_FALSE(analyser.analyse(sample_photo("astronaut.png"), {}));
    // With the models, the check passes.
    CHECK(image::check_models(image::ImageOptions{}));
}

TEST_CASE("a models folder from before the front face model names the one file it lacks",
          "[image][face]") {
    // A station whose models were installed before the front-camera face model came:
    // the check at start says which file scripts/install-deps has to add.
    const dockscan::testing::TempDir older;
    const fs::path installed = image::ImageOptions{}.models;
    for (const char* name : {image::k_face_model, image::k_person_model}) {
        fs::copy_file(installed / name, older.path() / name);
    }
    image::ImageOptions options;
    options.models = older.path().string();
    const auto checked = image::check_models(options);
    REQUIRE_FALSE(checked);
    CHECK(checked.error().message.find(image::k_face_glance_model) != std::string::npos);
    CHECK(checked.error().message.find("install-deps") != std::string::npos);
    fs::copy_file(installed / image::k_face_glance_model,
                  older.path() / image::k_face_glance_model);
    CHECK(image::check_models(options));
}
