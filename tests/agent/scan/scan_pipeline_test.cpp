#include "agent/scan/scan_pipeline.hpp"
#include "agent/scan/sources.hpp"
#include "tests/detectors/image/fixtures.hpp"
#include "tests/support/temp_dir.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <map>
#include <set>
#include <unistd.h>

using namespace dockscan;
using dockscan::testing::TempDir;
using dockscan::testing::write_file;

namespace {

// Skatteverket's published test numbers (see shared/conformance/personnummer-meta).
constexpr const char* k_note = "Överlämning: Gunnar pnr 19320102-7723 har ny medicin.\n";
constexpr const char* k_contacts =
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lindqvist;Karin;;;\r\nFN:Karin Lindqvist\r\n"
    "NOTE:God man för Bengt 450411-8359\r\nEND:VCARD\r\n";
constexpr const char* k_sms = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
                              "<smses count=\"2\">\n"
                              "<sms address=\"+46701234502\" date=\"1795161720000\" type=\"1\" "
                              "body=\"Hennes personnummer är 120506-2399 om ni behöver det.\" />\n"
                              "<sms address=\"+46701234505\" date=\"1795176300000\" type=\"1\" "
                              "body=\"Ring mig på 0701234567 om passet.\" />\n"
                              "</smses>\n";

struct Station {
    TempDir tmp;
    agent::Store store;
    std::int64_t phone_id;

    static agent::Store make_store(const TempDir& tmp) {
        auto key = agent::StoreKey::create_file(tmp / "store.key");
        REQUIRE(key);
        auto store = agent::Store::open(tmp / "dockscan.db", *key, agent::OpenMode::create);
        REQUIRE(store);
        return std::move(*store);
    }

    Station() : store(make_store(tmp)), phone_id(0) {
        agent::PhoneIdentity phone;
        phone.label = "Telefon 1";
        auto id = store.upsert_phone(phone);
        REQUIRE(id);
        phone_id = *id;
    }

    agent::ScanSummary scan(const std::filesystem::path& folder) {
        auto source = agent::open_source(folder.string());
        REQUIRE(source);
        auto summary =
            agent::run_scan(**source, store, phone_id, agent::ScanOptions{}, std::stop_token{});
        INFO((summary ? std::string() : summary.error().message));
        REQUIRE(summary);
        return *summary;
    }
};

void write_phone(const std::filesystem::path& root) {
    write_file(root / "Documents" / "overlamning.txt", k_note);
    write_file(root / "Download" / "kontakter.vcf", k_contacts);
    write_file(root / "SMSBackupRestore" / "sms-20261120.xml", k_sms);
    // A real photo without client data: the image detectors read it and find nothing.
    write_file(root / "DCIM" / "Camera" / "IMG_0001.jpg",
               dockscan::test_images::scene_photo_jpeg(640, 480, 12));
}

} // namespace

TEST_CASE("a scan finds the identity numbers in notes, contacts and messages") {
    Station station;
    write_phone(station.tmp / "phone");
    const agent::ScanSummary s = station.scan(station.tmp / "phone");

    CHECK(s.status == agent::ScanStatus::complete);
    CHECK(s.counts.messages == 2);
    CHECK(s.counts.contacts == 1);
    CHECK(s.counts.files == 1);
    CHECK(s.counts.photos == 1);
    CHECK(s.counts.errors == 0);
    CHECK(s.findings == 4);

    auto rows = station.store.findings();
    REQUIRE(rows);
    REQUIRE(rows->size() == 4);
    std::set<std::string> categories;
    std::set<std::string> masked;
    for (const agent::FindingRow& r : *rows) {
        categories.insert(r.category);
        masked.insert(r.masked);
        CHECK(r.phone == "Telefon 1");
        if (r.kind == "full_name") {
            // A contact saved with first and last name is a deviation of its own.
            CHECK(r.severity == "avvikelse");
            CHECK(r.match_hash.empty());
            CHECK(r.excerpt.find("Lindqvist") == std::string::npos);
        } else {
            CHECK(r.severity == "allvarlig_avvikelse");
            CHECK(r.match_hash.size() == 64);
            CHECK(r.excerpt.find("****") != std::string::npos);
        }
    }
    CHECK(categories == std::set<std::string>{"personnummer_i_anteckning", "personnummer_i_kontakt",
                                              "personnummer_i_meddelande",
                                              "kontakt_med_fullstandigt_namn"});
    CHECK(masked == std::set<std::string>{"320102-****", "450411-****", "120506-****", "K. L."});
}

TEST_CASE("a second scan of an unchanged phone re-scans nothing, a changed note is re-scanned") {
    Station station;
    write_phone(station.tmp / "phone");
    const agent::ScanSummary first = station.scan(station.tmp / "phone");
    REQUIRE(first.scanned == 5); // 2 messages, 1 contact, 1 note, 1 photo

    const agent::ScanSummary second = station.scan(station.tmp / "phone");
    CHECK(second.status == agent::ScanStatus::complete);
    CHECK(second.scanned == 0);
    CHECK(second.counts.unchanged == 5); // the photo too: it was scanned, not only listed
    CHECK(second.findings == 0);

    write_file(station.tmp / "phone" / "Documents" / "overlamning.txt",
               std::string(k_note) + "Ny rad: pnr 20120506-2399.\n");
    const agent::ScanSummary third = station.scan(station.tmp / "phone");
    CHECK(third.scanned == 1);
    CHECK(third.counts.unchanged == 4);
    CHECK(third.findings == 2);
}

TEST_CASE("the same person on two phones has the same keyed hash") {
    Station station;
    write_phone(station.tmp / "phone");
    (void)station.scan(station.tmp / "phone");
    agent::PhoneIdentity other;
    other.label = "Telefon 2";
    auto other_id = station.store.upsert_phone(other);
    REQUIRE(other_id);
    write_file(station.tmp / "phone2" / "a.txt", "Bengt, personnummer 19450411-8359.");
    auto source = agent::open_source((station.tmp / "phone2").string());
    REQUIRE(source);
    REQUIRE(agent::run_scan(**source, station.store, *other_id, {}, std::stop_token{}));

    auto rows = station.store.findings();
    REQUIRE(rows);
    std::map<std::string, std::set<std::string>> phones_by_hash;
    for (const agent::FindingRow& r : *rows) {
        phones_by_hash[r.match_hash].insert(r.phone);
    }
    const auto both = std::count_if(phones_by_hash.begin(), phones_by_hash.end(),
                                    [](const auto& entry) { return entry.second.size() == 2; });
    CHECK(both == 1);
}

TEST_CASE("bad files are recorded as errors and the scan keeps what it could read") {
    Station station;
    const auto root = station.tmp / "phone";
    write_phone(root);
    write_file(root / "Documents" / "junk.txt",
               std::string("\x00\x01\x02\x03\xff\xfe", 6) + std::string(4096, '\0'));
    {
        // A 2 GiB note, sparse so that it costs no disk.
        const auto big = root / "Documents" / "huge.txt";
        const int fd = ::open(big.c_str(), O_CREAT | O_WRONLY, 0644);
        REQUIRE(fd >= 0);
        REQUIRE(::ftruncate(fd, off_t{2} << 30) == 0);
        ::close(fd);
    }
    std::filesystem::create_directory_symlink(root, root / "Documents" / "loop");

    const agent::ScanSummary s = station.scan(root);
    CHECK(s.status == agent::ScanStatus::partial);
    CHECK(s.counts.errors == 3);
    CHECK(s.reason.find("3 items") != std::string::npos);
    CHECK(s.findings == 4); // the good items were still scanned

    auto scan = station.store.scan(s.scan_id);
    REQUIRE(scan);
    REQUIRE(*scan);
    CHECK((*scan)->status == agent::ScanStatus::partial);
    CHECK((*scan)->counts.errors == 3);
}

TEST_CASE("an empty folder is an empty scan, never a complete one") {
    Station station;
    std::filesystem::create_directories(station.tmp / "empty");
    const agent::ScanSummary s = station.scan(station.tmp / "empty");
    CHECK(s.status == agent::ScanStatus::empty);
    CHECK(s.scanned == 0);
    CHECK(s.findings == 0);
}

TEST_CASE("a scan that is asked to stop records itself as partial") {
    Station station;
    write_phone(station.tmp / "phone");
    auto source = agent::open_source((station.tmp / "phone").string());
    REQUIRE(source);
    std::stop_source stop;
    stop.request_stop();
    auto s = agent::run_scan(**source, station.store, station.phone_id, {}, stop.get_token());
    REQUIRE(s);
    CHECK(s->status != agent::ScanStatus::complete);
    auto scan = station.store.scan(s->scan_id);
    REQUIRE(scan);
    REQUIRE(*scan);
    CHECK((*scan)->status == s->status);
    CHECK_FALSE((*scan)->reason.empty());
}
