#include "docking/folder_source.hpp"
#include "tests/docking/folder_fixture.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace dockscan::docking {
namespace {

namespace fs = std::filesystem;
using namespace std::string_literals;
using test::k_two_gib;
using test::list_all;
using test::make_sparse;
using test::open_source;
using test::Recorder;
using testing::TempDir;
using testing::write_file;

TEST_CASE("open refuses what is not a folder", "[folder_source]") {
    TempDir dir;
    write_file(dir / "file.txt", "x");
    const auto [name, code] = GENERATE(table<std::string, ErrorCode>({
        {"missing", ErrorCode::not_found},
        {"file.txt", ErrorCode::not_a_source},
    }));
    CAPTURE(name);
    const auto source = FolderSource::open(dir / name);
    REQUIRE_FALSE(source);
    CHECK(source.error().code == code);
}

TEST_CASE("an empty folder lists nothing and no problem", "[folder_source]") {
    TempDir dir;
    auto source = open_source(dir.path());
    CHECK(source->describe().kind == "folder");
    CHECK(source->describe().location == dir.path().string());
    const Recorder r = list_all(*source);
    CHECK(r.items.empty());
    CHECK(r.problems.empty());
}

TEST_CASE("photos and notes anywhere are listed in a stable order", "[folder_source]") {
    TempDir dir;
    write_file(dir / "DCIM/Camera/IMG_2.JPG", "jpeg2");
    write_file(dir / "DCIM/Camera/IMG_1.jpg", "jpeg1");
    write_file(dir / "DCIM/.thumbnails/1.jpeg", "thumb");
    write_file(dir / "Pictures/Screenshots/s.png", "png");
    write_file(dir / "Pictures/a.HEIC", "heic");
    write_file(dir / "Pictures/b.heif", "heif");
    write_file(dir / "Documents/Anteckningar/möte.txt", "Möte med Åsa");
    write_file(dir / "Documents/report.pdf", "%PDF");
    write_file(dir / "Music/song.mp3", "ID3");
    write_file(dir / "jpg", "no extension");
    fs::create_directories(dir / "Empty/Deeper");

    auto source = open_source(dir.path());
    const Recorder r = list_all(*source);
    CHECK(r.problems.empty());
    CHECK(r.refs() == std::vector<std::string>{
                          "DCIM/.thumbnails/1.jpeg",
                          "DCIM/Camera/IMG_1.jpg",
                          "DCIM/Camera/IMG_2.JPG",
                          "Documents/Anteckningar/möte.txt",
                          "Pictures/Screenshots/s.png",
                          "Pictures/a.HEIC",
                          "Pictures/b.heif",
                      });
    const ItemInfo* photo = r.find("DCIM/Camera/IMG_1.jpg");
    REQUIRE(photo);
    CHECK(photo->type == ItemType::photo);
    CHECK(photo->size == 5);
    struct stat st {};
    REQUIRE(stat((dir / "DCIM/Camera/IMG_1.jpg").c_str(), &st) == 0);
    CHECK(photo->mtime == st.st_mtim.tv_sec);
    CHECK(photo->label == "Bild DCIM/Camera/IMG_1.jpg");
    const ItemInfo* note = r.find("Documents/Anteckningar/möte.txt");
    REQUIRE(note);
    CHECK(note->type == ItemType::file);
    CHECK(note->label == "Anteckning Documents/Anteckningar/möte.txt");

    // The same listing twice: the same items in the same order.
    CHECK(list_all(*source).refs() == r.refs());
}

TEST_CASE("read returns photos as image bytes within the limit", "[folder_source]") {
    TempDir dir;
    write_file(dir / "DCIM/small.jpg", "\xff\xd8\xff\xe0 small"s);
    write_file(dir / "DCIM/big.jpg", std::string(2000, 'x'));
    make_sparse(dir / "DCIM/huge.jpg", k_two_gib);
    FolderLimits limits;
    limits.max_image_bytes = 1000;
    auto source = open_source(dir.path(), limits);
    const Recorder r = list_all(*source);
    REQUIRE(r.items.size() == 3);
    CHECK(r.find("DCIM/huge.jpg")->size == k_two_gib);

    const auto small = source->read(*r.find("DCIM/small.jpg"));
    REQUIRE(small);
    CHECK(small->kind == ContentKind::image);
    CHECK(small->data == "\xff\xd8\xff\xe0 small"s);
    for (const char* ref : {"DCIM/big.jpg", "DCIM/huge.jpg"}) {
        CAPTURE(ref);
        const auto refused = source->read(*r.find(ref));
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::too_large);
    }
}

TEST_CASE("notes are read as text, whatever shape they come in", "[folder_source]") {
    TempDir dir;
    const auto [what, bytes, code, text] =
        GENERATE(table<std::string, std::string, std::optional<ErrorCode>, std::string>({
            {"UTF-8", "Åsa Nyström 19800102-2386", std::nullopt, "Åsa Nyström 19800102-2386"},
            {"Latin-1", "\xc5sa Nystr\xf6m", std::nullopt, "Åsa Nyström"},
            {"invalid UTF-8", "Åsa \xff Nyström", std::nullopt, "Åsa \xef\xbf\xbd Nyström"},
            {"UTF-16 LE",
             "\xff\xfe\xc5\x00s\x00"
             "a\x00"s,
             std::nullopt, "Åsa"},
            {"binary junk",
             "\x7f"
             "ELF\x02\x01\x01\x00\x00\x00"s,
             ErrorCode::not_text, ""},
            {"empty", "", std::nullopt, ""},
        }));
    CAPTURE(what);
    write_file(dir / "Notes/a.txt", bytes);
    auto source = open_source(dir.path());
    const Recorder r = list_all(*source);
    REQUIRE(r.items.size() == 1);
    const auto content = source->read(r.items[0]);
    if (code) {
        REQUIRE_FALSE(content);
        CHECK(content.error().code == *code);
        CHECK(content.error().message == "binary content, not text");
    } else {
        REQUIRE(content);
        CHECK(content->kind == ContentKind::text);
        CHECK(content->data == text);
    }
}

TEST_CASE("a 2 GiB note is refused from its size", "[folder_source]") {
    TempDir dir;
    make_sparse(dir / "huge.txt", k_two_gib);
    auto source = open_source(dir.path());
    const Recorder r = list_all(*source);
    REQUIRE(r.items.size() == 1);
    CHECK(r.items[0].size == k_two_gib);
    const auto content = source->read(r.items[0]);
    REQUIRE_FALSE(content);
    CHECK(content.error().code == ErrorCode::too_large);
}

TEST_CASE("read refuses refs that leave the root or name other files", "[folder_source]") {
    TempDir dir;
    write_file(dir / "root/a.txt", "text");
    write_file(dir / "root/b.pdf", "%PDF");
    write_file(dir / "secret.txt", "secret");
    auto source = open_source(dir / "root");
    const auto [type, ref, code] = GENERATE(table<ItemType, std::string, ErrorCode>({
        {ItemType::file, "../secret.txt", ErrorCode::malformed},
        {ItemType::file, "/etc/hostname", ErrorCode::malformed},
        {ItemType::file, "b.pdf", ErrorCode::unsupported},
        {ItemType::photo, "a.txt", ErrorCode::unsupported},
        {ItemType::file, "gone.txt", ErrorCode::not_found},
        {ItemType::message, "sms:1:0000000000000000", ErrorCode::not_found},
        {ItemType::contact, "a.txt", ErrorCode::malformed},
    }));
    CAPTURE(ref);
    const auto content = source->read(ItemInfo{type, ref, 0, 0, ""});
    REQUIRE_FALSE(content);
    CHECK(content.error().code == code);
}

TEST_CASE("each card of a contacts file is a contact item", "[folder_source]") {
    TempDir dir;
    write_file(dir / "Kontakter/contacts.vcf",
               "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lindqvist;Märta;;;\r\nFN:Märta Lindqvist\r\n"
               "TEL:0701234567\r\nEND:VCARD\r\n"
               "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Per Svensson\r\n"
               "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Öhman;Åke;;;\r\n"
               "NOTE:pnr 19800102-2386\r\nEND:VCARD\r\n");
    auto source = open_source(dir.path());
    const Recorder r = list_all(*source);
    REQUIRE(r.refs() ==
            std::vector<std::string>{"Kontakter/contacts.vcf#1", "Kontakter/contacts.vcf#3"});
    const ItemInfo& first = r.items[0];
    CHECK(first.type == ItemType::contact);
    // Labels are stored: they say where the contact is, never who it is.
    CHECK(first.label == "Kontakt nr 1 i Kontakter/contacts.vcf");
    CHECK(r.items[1].label == "Kontakt nr 3 i Kontakter/contacts.vcf");
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].ref == "Kontakter/contacts.vcf#2");
    CHECK(r.problems[0].code == ErrorCode::malformed);

    const std::string expected = "Namn: Märta Lindqvist\nFörnamn: Märta\nEfternamn: Lindqvist\n"
                                 "Telefon: 0701234567\n";
    const auto content = source->read(first);
    REQUIRE(content);
    CHECK(content->kind == ContentKind::text);
    CHECK(content->data == expected);
    CHECK(first.size == expected.size());
    // Read again (the kept text is gone now) and from a source that never listed it:
    // the file is parsed again.
    CHECK(source->read(first).value().data == expected);
    const auto fresh = open_source(dir.path())->read(r.items[1]);
    REQUIRE(fresh);
    CHECK(fresh->data == "Förnamn: Åke\nEfternamn: Öhman\nAnteckning: pnr 19800102-2386\n");
    const auto missing =
        source->read(ItemInfo{ItemType::contact, "Kontakter/contacts.vcf#9", 0, 0, ""});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::not_found);
}

TEST_CASE("contacts files that cannot be read are problems", "[folder_source]") {
    TempDir dir;
    make_sparse(dir / "huge.vcf", k_two_gib);
    write_file(dir / "junk.vcf", "\x89PNG\r\n\x1a\n binary"s);
    write_file(dir / "empty.vcf", "");
    auto source = open_source(dir.path());
    const Recorder r = list_all(*source);
    CHECK(r.items.empty());
    REQUIRE(r.problems.size() == 2);
    CHECK(r.problem_of("huge.vcf")->code == ErrorCode::too_large);
    CHECK(r.problem_of("junk.vcf")->code == ErrorCode::malformed);
    CHECK(r.problem_of("junk.vcf")->reason == "no vCard in the file");
}

// An SMS Backup & Restore export with two messages and an MMS with a photo.
std::string sms_export(const std::string& extra = "") {
    return "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
           "<smses count=\"3\">\n"
           "  <sms address=\"+46701234567\" date=\"1795183320000\" type=\"1\" "
           "body=\"Per Svensson 19800102-2386 har ont\" contact_name=\"Per Svensson\" />\n"
           "  <mms date=\"1795183440000\" msg_box=\"2\" address=\"0709876543\">\n"
           "    <parts>\n"
           "      <part ct=\"text/plain\" text=\"Såret\" />\n"
           "      <part ct=\"image/jpeg\" data=\"/9j/4AAQSkZJRg==\" />\n"
           "    </parts>\n"
           "  </mms>\n" +
           extra + "</smses>\n";
}

const std::string k_jpeg_head = "\xff\xd8\xff\xe0\x00\x10JFIF"s;

TEST_CASE("messages and their photos come from SMS exports", "[folder_source]") {
    test::use_utc();
    TempDir dir;
    write_file(dir / "SMSBackup/sms-20261120.xml", sms_export());
    // The next night's export holds the same messages and one more.
    write_file(dir / "SMSBackup/sms-20261121.xml",
               sms_export("  <sms address=\"0701234567\" date=\"1795269720000\" type=\"2\" "
                          "body=\"Kommer kl 9\" />\n"));
    auto source = open_source(dir.path());
    const Recorder r = list_all(*source);
    CHECK(r.problems.empty());
    REQUIRE(r.items.size() == 4);
    const ItemInfo& sms = r.items[0];
    CHECK(sms.type == ItemType::message);
    CHECK(sms.ref.starts_with("sms:1795183320000:"));
    CHECK(sms.label == "SMS från +46 70… 2026-11-20 15:02");
    CHECK(sms.mtime == 1795183320);
    CHECK(r.items[1].type == ItemType::message);
    CHECK(r.items[1].label == "MMS till 070… 2026-11-20 15:04");
    const ItemInfo& photo = r.items[2];
    CHECK(photo.type == ItemType::attachment);
    CHECK(photo.ref == r.items[1].ref + "/part:2");
    CHECK(photo.size == k_jpeg_head.size());
    CHECK(r.items[3].label == "SMS till 070… 2026-11-21 15:02");

    const auto body = source->read(sms);
    REQUIRE(body);
    CHECK(body->kind == ContentKind::text);
    CHECK(body->data == "Per Svensson 19800102-2386 har ont");
    CHECK(source->read(r.items[1]).value().data == "Såret");
    const auto image = source->read(photo);
    REQUIRE(image);
    CHECK(image->kind == ContentKind::image);
    CHECK(image->data == k_jpeg_head);
    // Read a second time: the kept text is gone and the export is parsed again.
    CHECK(source->read(sms).value().data == "Per Svensson 19800102-2386 har ont");

    // A message can only be read by the source that listed it.
    const auto unlisted = open_source(dir.path())->read(sms);
    REQUIRE_FALSE(unlisted);
    CHECK(unlisted.error().code == ErrorCode::not_found);
}

TEST_CASE("an attachment is read again from where it was listed", "[folder_source]") {
    TempDir dir;
    const fs::path file = dir / "sms-1.xml";
    write_file(file, sms_export());
    auto source = open_source(dir.path());
    const Recorder r = list_all(*source);
    REQUIRE(r.items.size() == 3);
    const ItemInfo photo = r.items[2];

    SECTION("the export is unchanged: only the data is read, at its offset") {
        // Same size and time, other bytes at the data's place: what read() returns
        // shows that it went to the offset and did not parse the file.
        std::string changed = sms_export();
        changed.replace(changed.find("/9j/4AAQSkZJRg=="), 16, "QUJDREVGR0hJSg==");
        struct stat before {};
        REQUIRE(stat(file.c_str(), &before) == 0);
        write_file(file, changed);
        const timespec times[2] = {before.st_atim, before.st_mtim};
        REQUIRE(utimensat(AT_FDCWD, file.c_str(), times, 0) == 0);
        CHECK(source->read(photo).value().data == "ABCDEFGHIJ");
    }
    SECTION("the export changed: it is parsed again") {
        write_file(file, "<!-- moved -->" + sms_export("<sms date=\"1\" type=\"1\" body=\"x\"/>"));
        CHECK(source->read(photo).value().data == k_jpeg_head);
    }
    SECTION("the message is gone from the export") {
        write_file(file, "<smses/>");
        const auto gone = source->read(photo);
        REQUIRE_FALSE(gone);
        CHECK(gone.error().code == ErrorCode::not_found);
    }
    SECTION("the photo is over the limit") {
        FolderLimits limits;
        limits.max_image_bytes = 4;
        auto limited = open_source(dir.path(), limits);
        static_cast<void>(list_all(*limited));
        const auto refused = limited->read(photo);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::too_large);
    }
}

TEST_CASE("XML files are exports by name or by root element", "[folder_source]") {
    TempDir dir;
    write_file(dir / "Backup/messages.xml", sms_export());
    write_file(dir / "Android/data/app/config.xml", "<?xml version='1.0'?><config a=\"1\"/>");
    write_file(dir / "Android/data/app/broken.xml", "<config");
    write_file(dir / "calls-1.xml", "<calls count=\"0\"/>");
    auto source = open_source(dir.path());
    const Recorder r = list_all(*source);
    CHECK(r.items.size() == 3);
    CHECK(r.problems.empty());
}

TEST_CASE("exports that cannot be read whole are problems", "[folder_source]") {
    TempDir dir;
    const std::string whole = sms_export();
    // Cut inside the MMS: the SMS before the cut is still listed.
    write_file(dir / "a/sms-cut.xml", whole.substr(0, whole.find("<parts>") + 10));
    make_sparse(dir / "b/sms-huge.xml", k_two_gib);
    write_file(dir / "c/sms-calls.xml", "<calls count=\"0\"/>");
    write_file(dir / "d/sms-junk.xml", "\x01\x02\x03 not xml"s);
    auto source = open_source(dir.path());
    const Recorder r = list_all(*source);
    REQUIRE_FALSE(r.items.empty());
    CHECK(r.items[0].ref.starts_with("sms:1795183320000:"));
    REQUIRE(r.problems.size() == 4);
    CHECK(r.problem_of("a/sms-cut.xml")->code == ErrorCode::malformed);
    CHECK(r.problem_of("a/sms-cut.xml")->reason.starts_with("broken XML"));
    CHECK(r.problem_of("b/sms-huge.xml")->code == ErrorCode::too_large);
    CHECK(r.problem_of("c/sms-calls.xml")->code == ErrorCode::malformed);
    CHECK(r.problem_of("d/sms-junk.xml")->code == ErrorCode::malformed);
}

TEST_CASE("a contact's embedded photo is an attachment read as an image", "[folder_source]") {
    TempDir dir;
    // A JPEG's bytes (the detectors decode it; the source passes it through).
    const std::string jpeg = "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x00\x01\xFF\xD9"s;
    // As iOS exports a contact with a photo: CR CR LF, the base64 on folded lines.
    write_file(
        dir / "Kontakter/iphone.vcf",
        "BEGIN:VCARD\r\r\nVERSION:3.0\r\r\nN:Lindqvist;Elsa;;;\r\r\nFN:Elsa Lindqvist\r\r\n"
        "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgAB\r\r\n AQAAAAH/2Q==\r\r\n"
        "END:VCARD\r\r\nBEGIN:VCARD\r\r\nVERSION:3.0\r\r\nFN:Nils Berg\r\r\nEND:VCARD\r\r\n");
    auto source = open_source(dir.path());
    const Recorder r = list_all(*source);
    CHECK(r.problems.empty());
    REQUIRE(r.refs() == std::vector<std::string>{"Kontakter/iphone.vcf#1",
                                                 "Kontakter/iphone.vcf#1/photo",
                                                 "Kontakter/iphone.vcf#2"});
    const ItemInfo& photo = r.items[1];
    CHECK(photo.type == ItemType::attachment);
    CHECK(photo.label == "Bild i kontakt nr 1 i Kontakter/iphone.vcf");
    CHECK(photo.size == jpeg.size());
    const auto content = source->read(photo);
    REQUIRE(content);
    CHECK(content->kind == ContentKind::image);
    CHECK(content->data == jpeg);
    // The contacts are read as before, also again after their kept text is gone.
    CHECK(source->read(r.items[2]).value().data == "Namn: Nils Berg\n");
    CHECK(source->read(r.items[2]).value().data == "Namn: Nils Berg\n");

    // The same limit as any photo.
    FolderLimits limits;
    limits.max_image_bytes = 10;
    auto limited = open_source(dir.path(), limits);
    const Recorder r2 = list_all(*limited);
    const auto refused = limited->read(r2.items[1]);
    REQUIRE(!refused);
    CHECK(refused.error().code == ErrorCode::too_large);
}

TEST_CASE("a contacts file larger than memory should hold is read card by card",
          "[folder_source]") {
    TempDir dir;
    // 40 MB of cards: over the 32 MiB a file could have before it was read in chunks.
    std::string card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Berg;Nils;;;\r\nFN:Nils Berg\r\nNOTE:" +
                       std::string(4000, 'x') + "\r\nEND:VCARD\r\n";
    std::string file;
    const std::size_t count = 40'000'000 / card.size() + 1;
    file.reserve(count * card.size());
    for (std::size_t i = 0; i < count; ++i) {
        file += card;
    }
    write_file(dir / "all.vcf", file);
    file = {};
    auto source = open_source(dir.path());
    const Recorder r = list_all(*source);
    CHECK(r.problems.empty());
    CHECK(r.items.size() == count);
    const auto last = source->read(r.items.back());
    REQUIRE(last);
    CHECK(last->data.starts_with("Namn: Nils Berg\n"));
}

} // namespace
} // namespace dockscan::docking
