#include "tests/docking/ios/backup_fixture.hpp"

#include "tests/docking/ios/typedstream_writer.hpp"

namespace dockscan::testing {
namespace {

constexpr std::int64_t k_apple_epoch = 978'307'200;

// Before iOS 11 message.date is in seconds since 2001, since then in nanoseconds.
std::int64_t apple_seconds(std::int64_t unix_time) {
    return unix_time - k_apple_epoch;
}
std::int64_t apple_nanoseconds(std::int64_t unix_time) {
    return (unix_time - k_apple_epoch) * 1'000'000'000 + 123'456'789;
}

SmsDbFixture standard_messages() {
    SmsDbFixture f;
    f.handles = {{1, "+46701740605", "SMS"},
                 {2, "anna.karlsson@example.se", "iMessage"},
                 {3, "+46701740610", "iMessage"},
                 {4, "+46701740611", "iMessage"}};
    f.chats = {{1, "+46701740605", 45, {1}},
               {2, "anna.karlsson@example.se", 45, {2}},
               {3, "chat612345678901234567", 43, {3, 4}}};
    f.messages = {
        {1, k_guid_sms, k_text_sms, std::nullopt, apple_seconds(k_nov20_1402), false, 1, 1, "SMS"},
        // iOS 16+: no text column, only the archived attributed string.
        {2, k_guid_imessage, std::nullopt, attributed_body(k_text_imessage),
         apple_nanoseconds(k_nov21_0915), true, 2, 2, "iMessage"},
        // Sent to a group: no handle of its own.
        {3, k_guid_group, "", attributed_body(k_text_group, AttributedVariant::mutable_),
         apple_nanoseconds(k_nov21_0915), true, 0, 3, "iMessage"},
        // Only an image: the text is the attachment's placeholder.
        {4, k_guid_image_only, "\xEF\xBF\xBC", std::nullopt, apple_nanoseconds(k_nov21_0915), false,
         1, 1, "SMS"},
        {5, k_guid_escape, "se bilden", std::nullopt, apple_nanoseconds(k_nov21_0915), false, 1, 1,
         "SMS"},
        {6, k_guid_video, "film från utflykten", std::nullopt, apple_nanoseconds(k_nov21_0915),
         false, 1, 1, "SMS"},
        {7, k_guid_broken, std::nullopt, std::string("\x04\x0bstreamtyped\x81\xe8\x03", 16),
         apple_nanoseconds(k_nov21_0915), false, 1, 1, "SMS"},
    };
    f.attachments = {
        {1, 3, "~/" + k_heic_attachment, "image/heic", "IMG_0042.HEIC",
         static_cast<std::int64_t>(k_heic_bytes.size())},
        {2, 4, "~/" + k_jpeg_attachment, "image/jpeg", "IMG_0043.jpeg",
         static_cast<std::int64_t>(k_jpeg_bytes.size())},
        {3, 5, "~/Library/SMS/Attachments/../../../../etc/passwd.jpeg", "image/jpeg", "passwd.jpeg",
         100},
        {4, 6, "~/Library/SMS/Attachments/11/01/AB12/IMG_0044.MOV", "video/quicktime",
         "IMG_0044.MOV", 1000},
    };
    return f;
}

std::vector<AbPersonRow> standard_people() {
    AbPersonRow elsa{1,
                     "Elsa",
                     "Maria",
                     "Lind",
                     "",
                     "",
                     "",
                     "Brukare, nyckel i kodlåset",
                     // 1980-01-02 12:00 UTC in seconds since 2001, as iOS writes it.
                     "-662644800.000000",
                     816'872'520.0,
                     {"+46 70 174 06 05"},
                     {"elsa.lind@example.se"},
                     {{"Storgatan 1", "Umeå", "903 25", "Sverige"}}};
    AbPersonRow office{2,  "", "", "", "", "Hemtjänsten Norr", "", "", "", 0, {"090-123 45"},
                       {}, {}};
    AbPersonRow empty{3, "", "", "", "", "", "", "", "", 0, {}, {}, {}};
    return {elsa, office, empty};
}

} // namespace

std::string expected_contact_text() {
    return "Namn: Elsa Maria Lind\n"
           "Förnamn: Elsa\n"
           "Mellannamn: Maria\n"
           "Efternamn: Lind\n"
           "Telefon: +46 70 174 06 05\n"
           "E-post: elsa.lind@example.se\n"
           "Adress: Storgatan 1, Umeå, 903 25, Sverige\n"
           "Födelsedag: 1980-01-02\n"
           "Anteckning: Brukare, nyckel i kodlåset\n";
}

void write_standard_backup(const std::filesystem::path& folder, const StandardBackup& spec) {
    IosBackupWriter w(folder, spec.options);
    std::string sms = sms_db(standard_messages());
    if (spec.sms_bytes) {
        sms.resize(*spec.sms_bytes);
    }
    w.add_file("HomeDomain", k_sms_path, sms);
    w.add_file("MediaDomain", k_heic_attachment, k_heic_bytes);
    w.add_file("MediaDomain", k_jpeg_attachment, k_jpeg_bytes);
    w.add_file("HomeDomain", "Library/AddressBook/AddressBook.sqlitedb",
               address_book_db(standard_people()));

    w.add_file("CameraRollDomain", "Media/DCIM/100APPLE/IMG_0001.HEIC", k_photo_heic,
               k_nov20_1402 - 3600);
    w.add_file("CameraRollDomain", "Media/DCIM/100APPLE/IMG_0002.PNG", "\x89PNG\r\n\x1a\n-shot",
               k_nov20_1402 - 60);
    w.add_file("CameraRollDomain", "Media/DCIM/100APPLE/IMG_0003.JPG", "\xFF\xD8\xFF-no-library",
               k_nov20_1402);
    w.add_file("CameraRollDomain", "Media/DCIM/100APPLE/IMG_0004.MOV", "moov-video");
    w.add_file("CameraRollDomain", "Media/PhotoData/Photos.sqlite",
               photos_db(spec.photos, {{1, "DCIM/100APPLE", "IMG_0001.HEIC", false, 2},
                                       {2, "DCIM/100APPLE", "IMG_0002.PNG", true, 0}}));
    // What else a phone backs up, so that Manifest.db spans many pages like a real one.
    for (int i = 0; i < 300; ++i) {
        w.add_file("AppDomain-se.example.omsorg",
                   "Library/Preferences/cache-" + std::to_string(i) + ".plist",
                   "<plist>" + std::to_string(i) + "</plist>");
    }
    if (spec.extra) {
        spec.extra(w);
    }
    w.finish();
}

} // namespace dockscan::testing
