// Limits on what is decoded, not on what a file claims (issue 16, rows 1-2; issue 15, 4):
// huge photos decoded smaller, hostile sizes refused before decoding, memory bounded;
// JPEG warnings as warnings; vendor error texts trimmed.

#include "detectors/image/decode.hpp"
#include "tests/detectors/image/fixtures.hpp"
#include "tests/support/temp_dir.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace image = dockscan::detectors::image;
namespace ti = dockscan::test_images;
using dockscan::testing::TempDir;

namespace {

// The per-worker target for one image (issue 16): a decode that grows the peak RSS
// by more fails.
constexpr long k_max_growth_mb = 150;

// How much `work` grows the peak RSS, in MB, run in a child process so that what the
// test process allocated before does not count (255 for a crash or 255 MB and more).
template <typename Work>
long peak_rss_growth_mb(Work work) {
    const pid_t pid = fork();
    if (pid == 0) {
        rusage before{};
        getrusage(RUSAGE_SELF, &before);
        const bool ok = work();
        rusage after{};
        getrusage(RUSAGE_SELF, &after);
        const long mb = (after.ru_maxrss - before.ru_maxrss) / 1024;
        _exit(ok ? static_cast<int>(std::min(mb, 254L)) : 255);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}

int long_side(const image::Plane& p) {
    return std::max(p.width, p.height);
}

// The mean of the luma plane in a small square around (fx, fy), as fractions of the size.
int luma_near(const image::Plane& p, double fx, double fy) {
    const int cx = static_cast<int>(fx * p.width);
    const int cy = static_cast<int>(fy * p.height);
    int sum = 0;
    int n = 0;
    for (int y = std::max(0, cy - 2); y <= std::min(p.height - 1, cy + 2); ++y) {
        for (int x = std::max(0, cx - 2); x <= std::min(p.width - 1, cx + 2); ++x) {
            sum += p.at(x, y);
            ++n;
        }
    }
    return n > 0 ? sum / n : -1;
}

std::string file_round_trip(const TempDir& dir, const char* name, const std::string& bytes) {
    dockscan::testing::write_file(dir / name, bytes);
    return dockscan::testing::read_file(dir / name);
}

} // namespace

TEST_CASE("a JPEG cut short decodes with a warning, as every viewer shows it",
          "[image][decode][limits]") {
    TempDir dir;
    const std::string jpeg = ti::scene_photo_jpeg(1600, 1200, 5);
    // The fixture's noise comes from OpenCV's per-thread generator: each generated case
    // cuts its own photo.
    enum class Cut { file_ends, eoi_follows };
    const Cut how = GENERATE(Cut::file_ends, Cut::eoi_follows);
    // Premature end of JPEG file; premature end of data segment.
    const std::string bytes =
        jpeg.substr(0, jpeg.size() * 2 / 5) + (how == Cut::eoi_follows ? "\xff\xd9" : "");
    INFO((how == Cut::eoi_follows ? "scan cut, then EOI" : "file cut at 2/5"));
    const auto whole = image::decode(jpeg, 1600);
    REQUIRE(whole);
    const auto cut = image::decode(file_round_trip(dir, "IMG_0200.JPG", bytes), 1600);
    REQUIRE(cut);
    CHECK_FALSE(cut->warning.empty());
    CHECK(cut->warning.back() != '\n');
    CHECK(whole->warning.empty());
    // The rows that were in the file came out as they are in the whole photo.
    REQUIRE(cut->luma.width == whole->luma.width);
    for (int y : {0, 50, 200}) {
        for (int x = 0; x < cut->luma.width; x += 97) {
            REQUIRE(cut->luma.at(x, y) == whole->luma.at(x, y));
        }
    }
}

TEST_CASE("a JPEG cut before its first scan has no pixels and is an error",
          "[image][decode][limits]") {
    const std::string jpeg = ti::scene_photo_jpeg(1600, 1200, 5);
    const std::size_t sos = jpeg.find("\xff\xda");
    REQUIRE(sos != std::string::npos);
    // The start-of-scan header whole (3 components: 12 bytes), no entropy-coded data.
    const auto decoded = image::decode(jpeg.substr(0, sos + 2 + 12), 1000);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code == image::ErrorCode::corrupt);
    CHECK(decoded.error().message.back() != '\n');
}

TEST_CASE("a 108 MP JPEG is decoded at a reduced DCT scale, not refused",
          "[image][decode][limits]") {
    TempDir dir;
    const std::string bytes =
        file_round_trip(dir, "IMG_0201.JPG", ti::large_gray_jpeg(12000, 9000));
    // 1000: the cheap passes (1/8); 12000: a caller that asks for everything gets the
    // largest scale within the pixel limit (1/2).
    const int min_long_side = GENERATE(1000, 12000);
    INFO(min_long_side);
    const auto decoded = image::decode(bytes, min_long_side);
    REQUIRE(decoded);
    CHECK(decoded->header.width == 12000);
    CHECK(decoded->header.height == 9000);
    const auto pixels = static_cast<std::uint64_t>(decoded->luma.width) *
                        static_cast<std::uint64_t>(decoded->luma.height);
    CHECK(pixels <= image::k_max_pixels);
    CHECK(long_side(decoded->luma) == (min_long_side == 1000 ? 1500 : 6000));
    CHECK(luma_near(decoded->luma, 0.5, 0.5) < 60);
    CHECK(luma_near(decoded->luma, 0.1, 0.1) > 180);
}

TEST_CASE("a JPEG that claims 65500x65500 is refused before decoding even at 1/8",
          "[image][decode][limits]") {
    // A 20 KB file: a real photo's first bytes with its frame header rewritten. At 1/8 it
    // would be 67 MP of grey fill held in memory (164 MB for the worker).
    std::string jpeg = ti::scene_photo_jpeg(1600, 1200, 5).substr(0, 20000);
    const std::size_t sof = jpeg.find("\xff\xc0");
    REQUIRE(sof != std::string::npos);
    jpeg.replace(sof + 5, 4, "\xff\xdc\xff\xdc");
    const auto decoded = image::decode(jpeg, 1000);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code == image::ErrorCode::too_large);
    CHECK(decoded.error().message ==
          "JPEG (65500x65500) at 1/8 of 8188x8188 pixels is over the 32 MP limit");
}

TEST_CASE("a 99.99 MP PNG is decoded row by row into a reduced image in bounded memory",
          "[image][decode][limits]") {
    TempDir dir;
    const std::string bytes = file_round_trip(dir, "Screenshot.png", ti::large_png(10000, 9999));
    REQUIRE(bytes.size() > 1000);
    const auto decoded = image::decode(bytes, 1000);
    REQUIRE(decoded);
    CHECK(decoded->header.width == 10000);
    CHECK(long_side(decoded->luma) >= 1000);
    CHECK(long_side(decoded->luma) < 2000);
    CHECK(decoded->cb.width == decoded->luma.width);
    CHECK(luma_near(decoded->luma, 0.5, 0.5) < 60);
    CHECK(luma_near(decoded->luma, 0.1, 0.1) > 180);
    // A whole decode took 623 MB (RGB and three full planes).
    const long growth = peak_rss_growth_mb([&] { return image::decode(bytes, 1000).has_value(); });
    INFO("peak RSS growth " << growth << " MB");
    CHECK(growth < k_max_growth_mb);
}

TEST_CASE("an interlaced PNG is decoded reduced from its last pass", "[image][decode][limits]") {
    const std::uint32_t height = GENERATE(1u, 2u, 3000u);
    INFO(height);
    const auto decoded = image::decode(ti::large_png(4000, height, ti::Interlace::adam7), 1000);
    REQUIRE(decoded);
    CHECK(decoded->luma.width == 1000);
    if (height > 1000) {
        CHECK(luma_near(decoded->luma, 0.5, 0.5) < 60);
    }
    CHECK(luma_near(decoded->luma, 0.1, 0.0) > 180);
}

TEST_CASE("a PNG over the pixel limit is refused before decoding", "[image][decode][limits]") {
    const auto decoded = image::decode(ti::png_header_only(10001, 10000), 1000);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code == image::ErrorCode::too_large);
    CHECK(decoded.error().message == "PNG of 10001x10000 pixels is over the 100 MP limit");
}

TEST_CASE("a HEIC that claims 200 MP is analysed from its thumbnail", "[image][decode][heif]") {
    TempDir dir;
    const std::string heic = ti::scene_photo_heic(1600, 1200, 9);
    REQUIRE_FALSE(heic.empty());
    // A 200 MP phone mode's photo: libheif cannot decode it reduced, its 320 px
    // thumbnail serves every pass.
    const std::string bytes = file_round_trip(
        dir, "IMG_0202.HEIC", ti::with_claimed_size(heic, 1600, 1200, 16320, 12240));
    const auto thumbnail = GENERATE(image::Thumbnail::accepted, image::Thumbnail::too_small);
    const auto decoded = image::decode(bytes, 1000, thumbnail);
    REQUIRE(decoded);
    CHECK(decoded->header.width == 16320);
    CHECK(long_side(decoded->luma) == 320);
}

TEST_CASE("a HEIC thumbnail that claims a 32000x32400 grid is never decoded",
          "[image][decode][heif]") {
    TempDir dir;
    const std::string heic = ti::scene_photo_heic(1600, 1200, 9);
    REQUIRE_FALSE(heic.empty());
    const std::string bytes =
        file_round_trip(dir, "IMG_0203.HEIC", ti::with_claimed_size(heic, 320, 240, 32000, 32400));
    // The primary image (1600x1200, within the limit) is decoded instead.
    const auto decoded = image::decode(bytes, 1000, image::Thumbnail::accepted);
    REQUIRE(decoded);
    CHECK(decoded->header.width == 1600);
    CHECK(long_side(decoded->luma) == 1600);
}

TEST_CASE("a HEIC over the limit without a thumbnail within it is refused with its reason",
          "[image][decode][heif]") {
    const std::string heic = ti::scene_photo_heic(1600, 1200, 9);
    REQUIRE_FALSE(heic.empty());
    const std::string bytes = ti::with_claimed_size(
        ti::with_claimed_size(heic, 1600, 1200, 16320, 12240), 320, 240, 32000, 32400);
    const auto decoded = image::decode(bytes, 1000, image::Thumbnail::accepted);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code == image::ErrorCode::too_large);
    CHECK(decoded.error().message == "HEIF image of 16320x12240 pixels is over the 100 MP limit, "
                                     "and it has no thumbnail within the limit");
}

TEST_CASE("a vendor's error text is recorded without its trailing newline",
          "[image][decode][limits]") {
    struct Case {
        const char* text;
        const char* reason;
    };
    const Case c = GENERATE(values<Case>({
        {"Invalid input: No 'ftyp' box\n", "HEIF: Invalid input: No 'ftyp' box"},
        {"  Unsupported feature\r\n\n", "HEIF: Unsupported feature"},
        {"Premature end of JPEG file", "HEIF: Premature end of JPEG file"},
        {"\n", "HEIF: "},
        {"", "HEIF: "},
    }));
    CHECK(image::vendor_reason("HEIF: ", c.text) == c.reason);
}

TEST_CASE("a damaged HEIC's reason is libheif's text, trimmed", "[image][decode][heif]") {
    const std::string heic = ti::scene_photo_heic(640, 480, 9);
    REQUIRE_FALSE(heic.empty());
    const std::size_t cut = GENERATE(as<std::size_t>{}, 40, 400, 2000);
    const auto decoded = image::decode(heic.substr(0, std::min(cut, heic.size() - 1)), 1000);
    REQUIRE_FALSE(decoded);
    const std::string& reason = decoded.error().message;
    INFO(reason);
    CHECK(reason.rfind("HEIF: ", 0) == 0);
    CHECK(reason.find_last_not_of(" \t\r\n") == reason.size() - 1);
}

TEST_CASE("a single HEVC frame over 13 MP is analysed from its thumbnail, not decoded whole",
          "[image][decode][heif]") {
    // libheif and libde265 hold ~4.8 bytes a pixel decoding one frame (a 48 MP one took
    // a worker to 301 MB); phones write larger photos as grids of tiles.
    const std::string heic = ti::scene_photo_heic(1600, 1200, 9);
    REQUIRE_FALSE(heic.empty());
    const std::string frame = ti::with_claimed_size(heic, 1600, 1200, 4800, 3000);
    const auto decoded = image::decode(frame, 2000);
    REQUIRE(decoded);
    CHECK(decoded->header.width == 4800);
    CHECK(long_side(decoded->luma) == 320);
    // Without a thumbnail within the limit it is refused, and the reason says why.
    const auto refused = image::decode(ti::with_claimed_size(frame, 320, 240, 32000, 32400), 2000);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == image::ErrorCode::too_large);
    CHECK(refused.error().message == "HEVC frame of 4800x3000 pixels is over the 13 MP limit, "
                                     "and it has no thumbnail within the limit");
}

TEST_CASE("a 48 MP photo written as a grid is decoded tile by tile in bounded memory",
          "[image][decode][heif]") {
    const std::string heic = ti::plain_heic_grid(8000, 6000);
    REQUIRE_FALSE(heic.empty());
    const long growth = peak_rss_growth_mb([&] {
        const auto decoded = image::decode(heic, 2000);
        // Reduced by 4: the dark square in the upper left quarter is where it was drawn.
        return decoded && decoded->luma.width == 2000 && decoded->luma.height == 1500 &&
               luma_near(decoded->luma, 0.25, 0.25) < 60 &&
               luma_near(decoded->luma, 0.75, 0.75) > 150;
    });
    // libheif decoded the whole 48 MP canvas (72 MB for its planes alone) and peaked at
    // 283 MB; tile by tile it is one tile, a band of sums and the reduced image.
    CHECK(growth < 40);
}
