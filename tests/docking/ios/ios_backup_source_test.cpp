#include "docking/ios/ios_backup_source.hpp"
#include "tests/docking/ios/backup_fixture.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <optional>
#include <string>

using namespace dockscan::docking;
using namespace dockscan::docking::ios;
using namespace dockscan::testing;

namespace {

const std::string k_password = "Vårdlösen 2026!";

std::unique_ptr<IosBackupSource> open_backup(const std::filesystem::path& folder,
                                             const std::optional<std::string>& password) {
    auto source = IosBackupSource::open(folder, password);
    if (!source) {
        FAIL("open failed: " << source.error().message);
    }
    return std::move(*source);
}

std::string read_text(IosBackupSource& source, const ItemInfo& item) {
    auto content = source.read(item);
    if (!content) {
        FAIL("read of " << item.ref << " failed: " << content.error().message);
    }
    CHECK(content->kind == ContentKind::text);
    return content->data;
}

} // namespace

TEST_CASE("messages are listed with their text, from text or attributedBody", "[ios_backup]") {
    const SwedishTime tz;
    const auto password = GENERATE(as<std::optional<std::string>>{}, std::nullopt, k_password);
    TempDir tmp;
    write_standard_backup(tmp / "backup", {.options = {.password = password}});
    auto source = open_backup(tmp / "backup", password);
    Recorder r;
    REQUIRE(source->list(r, {}));

    // 1, 2, 3, 5 and 6 have text; 4 is only an image, 7's attributedBody is broken.
    CHECK(r.count(ItemType::message) == 5);

    const ItemInfo* sms = r.find("sms:" + k_guid_sms);
    REQUIRE(sms != nullptr);
    CHECK(sms->type == ItemType::message);
    CHECK(sms->label == "SMS från +46 70\u2026 2026-11-20 14:02");
    CHECK(sms->mtime == k_nov20_1402); // stored in seconds since 2001
    CHECK(sms->size == k_text_sms.size());
    CHECK(read_text(*source, *sms) == k_text_sms);

    // iOS 16+: NULL text, the body only in attributedBody; the date in nanoseconds.
    const ItemInfo* imessage = r.find("sms:" + k_guid_imessage);
    REQUIRE(imessage != nullptr);
    CHECK(imessage->label == "iMessage till ann\u2026 2026-11-21 09:15");
    CHECK(imessage->mtime == k_nov21_0915);
    CHECK(imessage->size == k_text_imessage.size());
    CHECK(read_text(*source, *imessage) == k_text_imessage);

    const ItemInfo* group = r.find("sms:" + k_guid_group);
    REQUIRE(group != nullptr);
    CHECK(group->label == "iMessage till +46 70\u2026 m.fl. 2026-11-21 09:15");
    CHECK(read_text(*source, *group) == k_text_group);

    CHECK(r.find("sms:" + k_guid_image_only) == nullptr);
    const ItemProblem* broken = r.find_problem("sms:" + k_guid_broken);
    REQUIRE(broken != nullptr);
    CHECK(broken->code == ErrorCode::malformed);
    CHECK_THAT(broken->reason, Catch::Contains("attributedBody"));

    // No label or ref holds a full phone number or e-mail address.
    for (const ItemInfo& item : r.items) {
        CHECK(item.label.find("1740605") == std::string::npos);
        CHECK(item.ref.find("1740605") == std::string::npos);
        CHECK(item.label.find("karlsson") == std::string::npos);
    }
}

TEST_CASE("image attachments are linked to their message and read as images", "[ios_backup]") {
    const SwedishTime tz;
    const auto password = GENERATE(as<std::optional<std::string>>{}, std::nullopt, k_password);
    TempDir tmp;
    write_standard_backup(tmp / "backup", {.options = {.password = password}});
    auto source = open_backup(tmp / "backup", password);
    Recorder r;
    REQUIRE(source->list(r, {}));

    CHECK(r.count(ItemType::attachment) == 2);
    const ItemInfo* heic = r.find("sms:" + k_guid_group + "/attachment:1");
    REQUIRE(heic != nullptr);
    CHECK(heic->type == ItemType::attachment);
    CHECK(heic->label == "Bild i iMessage till +46 70\u2026 m.fl. 2026-11-21 09:15");
    CHECK(heic->size == k_heic_bytes.size());
    CHECK(heic->mtime == k_nov21_0915);
    auto content = source->read(*heic);
    REQUIRE(content);
    CHECK(content->kind == ContentKind::image);
    CHECK(content->data == k_heic_bytes);

    // A message that is only an image still has its image listed.
    const ItemInfo* jpeg = r.find("sms:" + k_guid_image_only + "/attachment:1");
    REQUIRE(jpeg != nullptr);
    CHECK(jpeg->label == "Bild i SMS från +46 70\u2026 2026-11-21 09:15");
    auto jpeg_content = source->read(*jpeg);
    REQUIRE(jpeg_content);
    CHECK(jpeg_content->data == k_jpeg_bytes);

    // "../" in a path from the phone is refused and recorded; a video is not listed.
    const ItemProblem* escape = r.find_problem("sms:" + k_guid_escape + "/attachment:1");
    REQUIRE(escape != nullptr);
    CHECK(escape->code == ErrorCode::malformed);
    CHECK(r.find("sms:" + k_guid_video + "/attachment:1") == nullptr);
    CHECK(r.find_problem("sms:" + k_guid_video + "/attachment:1") == nullptr);
}

TEST_CASE("camera-roll photos are listed with the phone's own flags", "[ios_backup]") {
    const auto schema = GENERATE(PhotosSchema::ios13, PhotosSchema::ios16, PhotosSchema::ios17);
    const auto password = GENERATE(as<std::optional<std::string>>{}, std::nullopt, k_password);
    TempDir tmp;
    write_standard_backup(tmp / "backup", {.options = {.password = password}, .photos = schema});
    auto source = open_backup(tmp / "backup", password);
    Recorder r;
    REQUIRE(source->list(r, {}));
    CHECK(r.problems.size() == 2); // the "../" attachment and the broken attributedBody

    CHECK(r.count(ItemType::photo) == 3); // the .MOV is no photo
    const ItemInfo* faces = r.find("Media/DCIM/100APPLE/IMG_0001.HEIC");
    REQUIRE(faces != nullptr);
    CHECK(faces->type == ItemType::photo);
    CHECK(faces->label == "Bild DCIM/100APPLE/IMG_0001.HEIC");
    CHECK(faces->size == k_photo_heic.size());
    CHECK(faces->mtime == k_nov20_1402 - 3600);
    REQUIRE(faces->photo_hints.has_value());
    CHECK(faces->photo_hints->faces == 2u);
    CHECK(faces->photo_hints->screenshot == false);
    auto content = source->read(*faces);
    REQUIRE(content);
    CHECK(content->kind == ContentKind::image);
    CHECK(content->data == k_photo_heic);

    const ItemInfo* screenshot = r.find("Media/DCIM/100APPLE/IMG_0002.PNG");
    REQUIRE(screenshot != nullptr);
    REQUIRE(screenshot->photo_hints.has_value());
    CHECK(screenshot->photo_hints->screenshot == true);
    CHECK(screenshot->photo_hints->faces == 0u);

    // Not in the photo library: nothing is known about it.
    const ItemInfo* unknown = r.find("Media/DCIM/100APPLE/IMG_0003.JPG");
    REQUIRE(unknown != nullptr);
    CHECK_FALSE(unknown->photo_hints.has_value());
}

TEST_CASE("contacts are rendered as the folder source renders a vCard", "[ios_backup]") {
    const auto password = GENERATE(as<std::optional<std::string>>{}, std::nullopt, k_password);
    TempDir tmp;
    write_standard_backup(tmp / "backup", {.options = {.password = password}});
    auto source = open_backup(tmp / "backup", password);
    Recorder r;
    REQUIRE(source->list(r, {}));

    CHECK(r.count(ItemType::contact) == 2); // the person without any field is left out
    const ItemInfo* elsa = r.find("contact:1");
    REQUIRE(elsa != nullptr);
    CHECK(elsa->label == "Kontakt nr 1");
    CHECK(elsa->mtime == k_nov20_1402);
    CHECK(elsa->size == expected_contact_text().size());
    CHECK(read_text(*source, *elsa) == expected_contact_text());
    const auto content = source->read(*elsa);
    REQUIRE(content);
    REQUIRE(content->name.has_value());
    CHECK(content->name->given == "Elsa");
    CHECK(content->name->family == "Lind");
    CHECK(content->name->formatted == "Elsa Maria Lind");

    const ItemInfo* office = r.find("contact:2");
    REQUIRE(office != nullptr);
    CHECK(read_text(*source, *office) == "Telefon: 090-123 45\nOrganisation: Hemtjänsten Norr\n");
}

TEST_CASE("the phone's identity comes from Info.plist and Manifest.plist", "[ios_backup]") {
    const auto password = GENERATE(as<std::optional<std::string>>{}, std::nullopt, k_password);
    TempDir tmp;
    write_standard_backup(tmp / "backup", {.options = {.password = password}});
    auto source = open_backup(tmp / "backup", password);
    const SourceInfo info = source->describe();
    const IosDeviceFixture device;
    CHECK(info.kind == "ios-backup");
    CHECK(info.location == (tmp / "backup").string());
    CHECK(info.udid == device.udid);
    CHECK(info.serial == device.serial);
    CHECK(info.name == device.name);
    CHECK(info.model == device.product_type);
    CHECK(info.os_version == device.product_version);
}

TEST_CASE("an encrypted backup needs its password", "[ios_backup][encrypted]") {
    TempDir tmp;
    write_standard_backup(tmp / "backup", {.options = {.password = k_password}});
    struct Case {
        std::optional<std::string> password;
        ErrorCode code;
        const char* message;
    };
    const auto c = GENERATE(
        Case{std::nullopt, ErrorCode::password_needed, "encrypted backup: password needed"},
        Case{"vårdlösen 2026!", ErrorCode::wrong_password, "wrong backup password"},
        Case{"", ErrorCode::wrong_password, "wrong backup password"});
    const auto source = IosBackupSource::open(tmp / "backup", c.password);
    REQUIRE_FALSE(source);
    CHECK(source.error().code == c.code);
    CHECK(source.error().message == c.message);
}

TEST_CASE("decrypted databases live in a private folder that goes with the source",
          "[ios_backup][encrypted]") {
    TempDir tmp;
    write_standard_backup(tmp / "backup", {.options = {.password = k_password}});
    const auto private_tmp = tmp / "station-tmp";
    std::filesystem::create_directories(private_tmp);
    const char* old = std::getenv("TMPDIR");
    const std::string saved = old != nullptr ? old : "";
    setenv("TMPDIR", private_tmp.c_str(), 1);
    {
        auto source = open_backup(tmp / "backup", k_password);
        Recorder r;
        REQUIRE(source->list(r, {}));
        std::size_t folders = 0;
        for (const auto& entry : std::filesystem::directory_iterator(private_tmp)) {
            ++folders;
            CHECK(entry.path().filename().string().starts_with("dockscan-ios-"));
            const auto perms = std::filesystem::status(entry.path()).permissions();
            CHECK((perms & std::filesystem::perms::all) == std::filesystem::perms::owner_all);
            for (const auto& file : std::filesystem::directory_iterator(entry.path())) {
                const auto file_perms = std::filesystem::status(file.path()).permissions();
                CHECK((file_perms &
                       (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) ==
                      std::filesystem::perms::none);
            }
        }
        CHECK(folders == 1);
    }
    old != nullptr ? setenv("TMPDIR", saved.c_str(), 1) : unsetenv("TMPDIR");
    CHECK(std::filesystem::is_empty(private_tmp));
}

TEST_CASE("which folders look like an iOS backup", "[ios_backup]") {
    TempDir tmp;
    write_file(tmp / "with-db" / "Manifest.db", "x");
    write_file(tmp / "with-plist" / "Manifest.plist", "x");
    write_file(tmp / "phone-copy" / "DCIM" / "a.jpg", "x");
    write_file(tmp / "file", "x");
    struct Case {
        const char* name;
        bool expected;
    };
    const auto c = GENERATE(Case{"with-db", true}, Case{"with-plist", true},
                            Case{"phone-copy", false}, Case{"file", false}, Case{"missing", false});
    CHECK(IosBackupSource::looks_like_ios_backup(tmp / c.name) == c.expected);
}
