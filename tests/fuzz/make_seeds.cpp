// Writes the seed corpora of the fuzz targets into <folder>/typedstream,
// <folder>/android_backup and <folder>/telephony, from the same fixture writers the suites use. The
// seeds in tests/fuzz/corpus were made with it; run it again when a format grows.

#include "tests/docking/android/ab_writer.hpp"
#include "tests/docking/android/telephony_fixture.hpp"
#include "tests/docking/ios/typedstream_writer.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

using namespace dockscan::testing;

namespace {

void write_file(const std::filesystem::path& path, std::string_view content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

void write_ab(const std::filesystem::path& path, AbOptions options) {
    AbWriter w(path, std::move(options));
    w.add_file("apps/com.android.providers.telephony/_manifest", "1\n30\n");
    w.add_file(
        std::string(k_telephony_dir) + "000000_sms_backup",
        sms_backup_file({{"+46701740605", "Pnr 198001022386, ring tillbaka", 1795179720000, 1},
                         {"+46701740606", "Ok 😀", 1795179780000, 2}}));
    w.add_file(std::string(k_telephony_dir) + "000001_mms_backup",
               mms_backup_file({{"+46701740610", {"+46701740699"}, "Sår", "Bild", 1795179800, 1}}));
    w.finish();
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <corpus folder>\n", argv[0]);
        return 2;
    }
    const std::filesystem::path root(argv[1]);
    const auto ts = root / "typedstream";
    const auto ab = root / "android_backup";
    const auto tel = root / "telephony";
    std::filesystem::create_directories(ts);
    std::filesystem::create_directories(ab);
    std::filesystem::create_directories(tel);

    write_file(ts / "short", attributed_body("Hej"));
    write_file(ts / "swedish-mutable",
               attributed_body("Åsa, 198001022386, 😀", AttributedVariant::mutable_));
    write_file(ts / "length-0x81", attributed_body(std::string(200, 'a')));
    write_file(ts / "big-endian",
               attributed_body("Ok", AttributedVariant::immutable, ByteOrder::big));

    write_ab(ab / "plain-compressed.ab", {.compressed = true});
    write_ab(ab / "plain-uncompressed.ab", {.compressed = false});
    write_ab(ab / "aes-v5.ab",
             {.version = 5, .compressed = true, .password = std::string("fuzz"), .rounds = 1});
    write_ab(ab / "aes-v1.ab",
             {.version = 1, .compressed = false, .password = std::string("fuzz"), .rounds = 1});

    write_file(tel / "sms.json",
               sms_backup_json({{"+46701740605", "Pnr 198001022386", 1795179720000, 1},
                                {"+46 70 174 06 06", "Åäö 😀", 1795179780000, 2}}));
    write_file(
        tel / "mms.json",
        mms_backup_json(
            {{"+46701740610", {"+46701740699", "+46701740611"}, "Sår", "Bild", 1795179800, 2}}));
    return 0;
}
