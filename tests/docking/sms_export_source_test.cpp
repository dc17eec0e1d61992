#include "docking/sms_export_source.hpp"
#include "tests/docking/folder_fixture.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace dockscan::docking {
namespace {

using test::Recorder;
using testing::TempDir;
using testing::write_file;

// An export as SMS Backup & Restore writes it, with an MMS whose image is inline.
std::string export_with_image(const std::string& base64) {
    return "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
           "<!--File Created By SMS Backup & Restore v10.20.002-->\n"
           "<smses count=\"2\" backup_set=\"0f9d\" backup_date=\"1795200000000\" type=\"full\">\n"
           "  <sms protocol=\"0\" address=\"+46701234567\" date=\"1795183320000\" type=\"1\" "
           "body=\"Ring mig\" read=\"1\" />\n"
           "  <mms date=\"1795183440000\" msg_box=\"1\" address=\"+46709876543\">\n"
           "    <parts>\n"
           "      <part seq=\"0\" ct=\"image/jpeg\" name=\"IMG_1.jpg\" text=\"null\" data=\"" +
           base64 +
           "\" />\n"
           "    </parts>\n"
           "  </mms>\n"
           "</smses>\n";
}

} // namespace

TEST_CASE("an export file is listed in chunks and its image read where it stands",
          "[sms_export_source]") {
    TempDir dir;
    // 3 MB of image data: the file is read over several chunks.
    const std::string base64 = "/9j/" + std::string(3'000'000, 'A');
    write_file(dir / "sms-20261120.xml", export_with_image(base64));
    auto source = SmsExportSource::open(dir / "sms-20261120.xml");
    REQUIRE(source);
    Recorder r;
    REQUIRE((*source)->list(r, {}));
    CHECK(r.problems.empty());
    REQUIRE(r.items.size() == 3);
    CHECK(r.items[0].type == ItemType::message);
    CHECK((*source)->read(r.items[0]).value().data == "Ring mig");
    const ItemInfo& image = r.items[2];
    REQUIRE(image.type == ItemType::attachment);
    const auto content = (*source)->read(image);
    REQUIRE(content);
    CHECK(content->kind == ContentKind::image);
    CHECK(content->data.size() == base64.size() / 4 * 3);
    CHECK(content->data.starts_with("\xFF\xD8\xFF"));
}

} // namespace dockscan::docking
