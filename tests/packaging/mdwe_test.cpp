// The unit's MemoryDenyWriteExecute=yes must not break the daemon's binary: Tesseract
// and its OpenMP runtime, OpenCV, libjpeg-turbo, libspng, libheif, SQLCipher and the
// rest must not need memory that is writable and executable. The dockscan binary runs
// OCR under the seccomp filter systemd 252 installs for it (dockscan-mdwe-exec), and
// must find the same identity numbers as without it.

#include "tests/detectors/image/fixtures.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace dockscan::testing;
namespace ti = dockscan::test_images;

namespace {

constexpr const char* k_test_number = "19450411-8359";

} // namespace

TEST_CASE("the seccomp filter refuses writable and executable memory") {
    const ProcessResult result = run_process({DOCKSCAN_MDWE_EXEC, "--self-test"});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
}

TEST_CASE("the daemon's binary runs OCR under MemoryDenyWriteExecute") {
    TempDir tmp;
    write_file(tmp / "kallelse.jpg",
               ti::document_photo_jpeg({"KALLELSE", "Namn: Anna Andersson",
                                        std::string("Personnummer: ") + k_test_number,
                                        "Tid: 14 maj kl 10.30"},
                                       2400, 1800, 5));
    write_file(tmp / "chat.png",
               ti::chat_screenshot_png({"Hej! Har ar pnr till Olle", k_test_number, "Tack"}));
    const std::vector<std::string> inspect = {
        dockscan_exe(), "inspect", (tmp / "kallelse.jpg").string(), (tmp / "chat.png").string()};

    const ProcessResult plain = run_process(inspect);
    std::vector<std::string> confined = {DOCKSCAN_MDWE_EXEC};
    confined.insert(confined.end(), inspect.begin(), inspect.end());
    const ProcessResult under_filter = run_process(confined);

    INFO("without the filter:\n" << plain.out << plain.err);
    INFO("with the filter:\n" << under_filter.out << under_filter.err);
    REQUIRE(plain.exit_code == 0);
    CHECK(under_filter.exit_code == 0);
    CHECK(under_filter.out == plain.out);
    // OCR ran: the number was read from the pixels (it is printed masked).
    CHECK_THAT(under_filter.out, Catch::Contains("450411-****"));
}
