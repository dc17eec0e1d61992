#include "tests/detectors/image/fixtures.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using dockscan::testing::dockscan_exe;
using dockscan::testing::run_process;
using dockscan::testing::TempDir;
using dockscan::testing::write_file;
using Json = nlohmann::json;
namespace ti = dockscan::test_images;

namespace {

// Skatteverket's published test personnummer.
constexpr const char* k_test_number = "19450411-8359";

std::vector<Json> json_lines(const std::string& out) {
    std::vector<Json> lines;
    std::size_t pos = 0;
    while (pos < out.size()) {
        const auto nl = out.find('\n', pos);
        lines.push_back(Json::parse(out.substr(pos, nl - pos)));
        pos = nl == std::string::npos ? out.size() : nl + 1;
    }
    return lines;
}

const Json* find_kind(const Json& findings, const std::string& kind) {
    for (const Json& f : findings) {
        if (f["kind"] == kind) {
            return &f;
        }
    }
    return nullptr;
}

} // namespace

TEST_CASE("the dockscan process never loads the system libsqlite3 beside SQLCipher",
          "[image][deps]") {
    // OpenCV's imgcodecs links GDAL, which links libsqlite3: two SQLite libraries in one
    // process clash over global symbols. Only core, imgproc and objdetect may be linked.
    TempDir tmp;
    const auto r = run_process({"/usr/bin/ldd", dockscan_exe()});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("libsqlcipher.so") != std::string::npos);
    CHECK(r.out.find("libsqlite3.so") == std::string::npos);
    CHECK(r.out.find("libgdal") == std::string::npos);
    CHECK(r.out.find("libopencv_imgcodecs") == std::string::npos);
}

TEST_CASE("inspect --jsonl reads image paths: boxes instead of offsets, broken files as errors",
          "[image][inspect]") {
    TempDir tmp;
    write_file(tmp / "chat.png",
               ti::chat_screenshot_png({"Hej! Har ar pnr till Olle", k_test_number, "Tack"}));
    const std::string jpeg = ti::scene_photo_jpeg(1200, 900, 4);
    // Cut before its compressed data: nothing to show. (A JPEG cut later is shown with
    // grey rows, as every viewer shows it, and analysed.)
    write_file(tmp / "broken.jpg", jpeg.substr(0, jpeg.find("\xff\xda") + 2));
    const std::string input = Json{{"id", 1}, {"path", (tmp / "chat.png").string()}}.dump() + "\n" +
                              Json{{"id", 2}, {"path", (tmp / "broken.jpg").string()}}.dump() +
                              "\n" + Json{{"id", 3}, {"text", "pnr 19450411-8359"}}.dump() + "\n";
    const auto r = run_process({dockscan_exe(), "inspect", "--jsonl"}, input);
    REQUIRE(r.exit_code == 0);
    const auto lines = json_lines(r.out);
    REQUIRE(lines.size() == 3);

    CHECK(lines[0]["id"] == 1);
    REQUIRE(lines[0].contains("findings"));
    const Json* screenshot = find_kind(lines[0]["findings"], "screenshot");
    REQUIRE(screenshot != nullptr);
    CHECK((*screenshot)["box"] == Json::array({0, 0, 1170, 2532}));
    const Json* number = find_kind(lines[0]["findings"], "personnummer");
    REQUIRE(number != nullptr);
    CHECK((*number)["masked"] == "450411-****");
    REQUIRE((*number)["box"].size() == 4);
    CHECK_FALSE(number->contains("start"));
    CHECK(r.out.find("8359") == std::string::npos);

    CHECK(lines[1]["id"] == 2);
    CHECK(lines[1].contains("error"));
    CHECK(lines[2]["findings"].size() == 1);
}

TEST_CASE("a scan reads photos: a document photo's number is a serious deviation, a broken "
          "photo an item error",
          "[image][scan]") {
    TempDir tmp;
    const auto phone = tmp / "phone";
    write_file(phone / "DCIM" / "IMG_0001.jpg",
               ti::document_photo_jpeg({"KALLELSE", "Namn: Anna Andersson",
                                        std::string("Personnummer: ") + k_test_number,
                                        "Tid: 14 maj kl 10.30"},
                                       2400, 1800, 5));
    const std::string jpeg = ti::scene_photo_jpeg(1200, 900, 6);
    // Cut before its compressed data: nothing to show, an item error.
    write_file(phone / "DCIM" / "IMG_0002.jpg", jpeg.substr(0, jpeg.find("\xff\xda") + 2));
    const std::string store = (tmp / "dockscan.db").string();
    const std::string key = (tmp / "store.key").string();
    REQUIRE(run_process({dockscan_exe(), "init", "--store", store, "--key-file", key}).exit_code ==
            0);

    const auto scan = run_process(
        {dockscan_exe(), "scan", phone.string(), "--store", store, "--key-file", key, "--json"});
    REQUIRE(scan.exit_code == 0);
    const Json summary = Json::parse(scan.out);
    CHECK(summary["items"]["photos"] == 2);
    CHECK(summary["errors"] == 1);
    CHECK(summary["status"] == "partial");

    const auto list =
        run_process({dockscan_exe(), "findings", "--store", store, "--key-file", key, "--json"});
    REQUIRE(list.exit_code == 0);
    const Json findings = Json::parse(list.out);
    const Json* number = find_kind(findings, "personnummer");
    REQUIRE(number != nullptr);
    CHECK((*number)["category"] == "personnummer_i_bild");
    CHECK((*number)["severity"] == "allvarlig_avvikelse");
    CHECK((*number)["masked"] == "450411-****");
    CHECK((*number)["item"]["ref"] == "DCIM/IMG_0001.jpg");
    const Json* document = find_kind(findings, "document");
    REQUIRE(document != nullptr);
    CHECK((*document)["category"] == "dokumentbild");
    CHECK((*document)["detector"] == "image/document");
}
