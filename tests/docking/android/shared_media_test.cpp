// `adb backup -shared` puts the phone's shared storage into the archive under
// "shared/0/": its photos are photos of the phone, never skipped silently.

#include "docking/android/android_backup_source.hpp"
#include "tests/docking/android/ab_writer.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

using namespace dockscan::docking;
using namespace dockscan::docking::android;
using namespace dockscan::testing;

namespace {

using Recorder = CollectedItems;

const std::string k_jpeg = "\xFF\xD8\xFF\xE0 camera photo";
const std::string k_png = "\x89PNG\r\n\x1A\n screenshot";

} // namespace

TEST_CASE("photos of shared storage in an adb backup -shared are listed and read",
          "[android_backup]") {
    const auto password = GENERATE(as<std::optional<std::string>>{}, std::nullopt, "fuzz");
    TempDir tmp;
    const auto file = tmp / "backup.ab";
    {
        AbOptions options;
        options.password = password;
        options.rounds = 100;
        AbWriter w(file, options);
        w.add_directory("shared/0/DCIM/Camera");
        w.add_file("shared/0/DCIM/Camera/IMG_20261120_140200.jpg", k_jpeg);
        w.add_file("shared/0/Pictures/Screenshots/Screenshot_1.PNG", k_png);
        w.add_file("shared/0/Download/faktura.pdf", "%PDF-1.4");
        w.add_file("shared/0/DCIM/Camera/big.jpg", std::string(5000, 'x'));
        w.finish();
    }
    AndroidBackupLimits limits;
    limits.max_image_bytes = 4096;
    auto source = AndroidBackupSource::open(file, password, limits);
    REQUIRE(source);
    Recorder r;
    REQUIRE((*source)->list(r, {}));
    CHECK(r.problems.empty());
    REQUIRE(r.items.size() == 3);
    CHECK(r.items[0].ref == "shared/0/DCIM/Camera/IMG_20261120_140200.jpg");
    CHECK(r.items[0].type == ItemType::photo);
    CHECK(r.items[0].label == "Bild shared/0/DCIM/Camera/IMG_20261120_140200.jpg");
    CHECK(r.items[0].size == k_jpeg.size());
    const auto jpeg = (*source)->read(r.items[0]);
    REQUIRE(jpeg);
    CHECK(jpeg->kind == ContentKind::image);
    CHECK(jpeg->data == k_jpeg);
    CHECK((*source)->read(r.items[1]).value().data == k_png);
    // Over the photo limit: listed, and its read says why it is not analysed.
    CHECK(r.items[2].ref == "shared/0/DCIM/Camera/big.jpg");
    const auto big = (*source)->read(r.items[2]);
    REQUIRE_FALSE(big);
    CHECK(big.error().code == ErrorCode::too_large);
}
