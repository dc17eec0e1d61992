// Writes the seed corpora of the fuzz targets into <folder>/typedstream,
// <folder>/android_backup, <folder>/telephony, <folder>/ios_plist, <folder>/ios_databases
// and <folder>/image_decode, from the same fixture writers the suites use. The seeds in
// tests/fuzz/corpus were made with it; run it again when a format grows.

#include "base/sqlite.hpp"
#include "tests/detectors/image/fixtures.hpp"
#include "tests/docking/android/ab_writer.hpp"
#include "tests/docking/android/telephony_fixture.hpp"
#include "tests/docking/ios/backup_writer.hpp"
#include "tests/docking/ios/phone_db_fixtures.hpp"
#include "tests/docking/ios/typedstream_writer.hpp"
#include "tests/support/temp_dir.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>

using namespace dockscan::testing;

namespace {

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

// The database rewritten with 512-byte pages: the same tables and rows in a file an
// eighth the size, so that mutations land on records rather than on empty page space.
std::string small_pages(const std::string& database) {
    const TempDir scratch;
    const auto path = scratch / "seed.db";
    write_file(path, database);
    {
        namespace sqlite = dockscan::base::sqlite;
        auto db = sqlite::Database::open(path, sqlite::Access::read_write);
        if (!db || !db->exec("PRAGMA journal_mode = DELETE; PRAGMA page_size = 512; VACUUM;")) {
            throw std::runtime_error("cannot rewrite a seed database");
        }
    }
    return read_file(path);
}

// A seed of dockscan_fuzz_ios_databases: the reader's number, then the file.
void write_database(const std::filesystem::path& path, char reader, const std::string& database) {
    write_file(path, std::string(1, reader) + small_pages(database));
}

void write_ios_seeds(const std::filesystem::path& plists, const std::filesystem::path& dbs) {
    const TempDir scratch;
    {
        IosBackupWriter w(scratch / "plain");
        w.add_file("CameraRollDomain", "Media/DCIM/100APPLE/IMG_0001.HEIC", "heic");
        w.add_file("HomeDomain", "Library/SMS/sms.db", "db");
        w.add_file("MediaDomain", "Library/SMS/Attachments/ab/12/IMG_1.jpeg", "jpeg");
        w.add_row("0123456789abcdef0123456789abcdef01234567", "CameraRollDomain",
                  "Media/DCIM/../../etc/passwd", "");
        w.finish();
    }
    {
        IosBackupWriter w(scratch / "encrypted",
                          {.password = std::string("fuzz"), .dp_iterations = 1, .iterations = 1});
        w.add_file("HomeDomain", "Library/SMS/sms.db", "db");
        w.finish();
    }
    write_file(plists / "Info.plist", read_file(scratch / "plain" / "Info.plist"));
    write_file(plists / "Manifest.plist", read_file(scratch / "plain" / "Manifest.plist"));
    write_file(plists / "Manifest-encrypted.plist",
               read_file(scratch / "encrypted" / "Manifest.plist"));
    write_file(plists / "Status.plist", read_file(scratch / "plain" / "Status.plist"));
    write_file(plists / "mbfile",
               mbfile_blob("Media/DCIM/100APPLE/IMG_0001.HEIC", 1234, k_ios_nov20_1402, 4,
                           std::string("\x04\0\0\0", 4) + std::string(40, 'k')));
    write_file(plists / "string.xml", string_plist("Device Name", "Anna Åberg", false));

    write_database(dbs / "manifest.db", 0, read_file(scratch / "plain" / "Manifest.db"));
    SmsDbFixture sms;
    sms.handles = {{1, "+46701740605"}, {2, "anna@example.se", "iMessage"}};
    sms.chats = {{1, "chat1", 43, {1, 2}}};
    sms.messages = {{.rowid = 1,
                     .guid = "g1",
                     .text = "Pnr 198001022386",
                     .attributed_body = std::nullopt,
                     .date = 700000000,
                     .handle = 1},
                    {.rowid = 2,
                     .guid = "g2",
                     .text = std::nullopt,
                     .attributed_body = attributed_body("Åsa \xef\xbf\xbc ring"),
                     .date = 700000000000000000,
                     .from_me = true,
                     .handle = 2,
                     .chat = 1,
                     .service = "iMessage"}};
    sms.attachments = {
        {1, 2, "~/Library/SMS/Attachments/ab/12/IMG_1.jpeg", "image/jpeg", "IMG_1.jpeg", 1234}};
    write_database(dbs / "sms.db", 1, sms_db(sms));
    write_database(
        dbs / "sms-message-only.db", 1,
        sms_db_message_only(
            {{.rowid = 7, .guid = "g7", .text = "Hej", .attributed_body = std::nullopt}}));
    AbPersonRow anna{};
    anna.rowid = 1;
    anna.first = "Anna";
    anna.last = "Åberg";
    anna.note = "pnr 19800102-2386";
    anna.birthday = "-631108800";
    anna.phones = {"070-174 06 05"};
    anna.emails = {"anna@example.se"};
    anna.addresses = {{"Storgatan 1", "Umeå", "903 25", "Sverige"}};
    write_database(dbs / "address-book.db", 2, address_book_db({anna}));
    const std::vector<PhotoAssetRow> assets = {{1, "DCIM/100APPLE", "IMG_0001.HEIC", false, 2},
                                               {2, "DCIM/100APPLE", "IMG_0002.PNG", true, 0}};
    write_database(dbs / "photos-ios13.db", 3, photos_db(PhotosSchema::ios13, assets));
    write_database(dbs / "photos-ios17.db", 3, photos_db(PhotosSchema::ios17, assets));
}

void write_image_seeds(const std::filesystem::path& images) {
    namespace ti = dockscan::test_images;
    write_file(images / "scene.jpg", ti::scene_photo_jpeg(96, 64, 1));
    write_file(images / "camera-exif.jpg",
               ti::with_camera_exif(ti::scene_photo_jpeg(64, 96, 2), "Apple", "iPhone 13"));
    write_file(images / "grey.jpg", ti::large_gray_jpeg(80, 60));
    write_file(images / "gradient.png", ti::large_png(64, 48));
    write_file(images / "adam7.png", ti::large_png(33, 17, ti::Interlace::adam7));
    write_file(images / "one-row-adam7.png", ti::large_png(40, 1, ti::Interlace::adam7));
    // With a 320 px thumbnail, as an iPhone writes it; and that file with the thumbnail
    // claiming a 32000x32400 grid (issue 16 row 1).
    const std::string heic = ti::plain_heic(400, 300);
    if (!heic.empty()) {
        write_file(images / "thumbnail.heic", heic);
        write_file(images / "thumbnail-claims-grid.heic",
                   ti::with_claimed_size(heic, 320, 240, 32000, 32400));
        // Grids of tiles as phones write photos (decoded tile by tile), upright and
        // turned and mirrored.
        write_file(images / "grid.heic", ti::plain_heic_grid(200, 120, {.tile = 64}));
        write_file(
            images / "grid-turned-mirrored.heic",
            ti::plain_heic_grid(136, 72, {.tile = 64, .quarter_turns = 1, .mirror_axis = 0}));
    }
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
    const auto plists = root / "ios_plist";
    const auto dbs = root / "ios_databases";
    const auto images = root / "image_decode";
    std::filesystem::create_directories(plists);
    std::filesystem::create_directories(dbs);
    std::filesystem::create_directories(images);
    write_ios_seeds(plists, dbs);
    write_image_seeds(images);

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
