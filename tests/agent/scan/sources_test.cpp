#include "tests/docking/android/ab_writer.hpp"
#include "tests/docking/android/telephony_fixture.hpp"
#include "tests/docking/ios/backup_fixture.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sys/stat.h>

using dockscan::testing::dockscan_exe;
using dockscan::testing::run_process;
using dockscan::testing::TempDir;
using dockscan::testing::write_file;
using Json = nlohmann::json;

namespace {

struct Station {
    TempDir tmp;
    std::string store = (tmp / "dockscan.db").string();
    std::string key = (tmp / "store.key").string();

    Station() {
        REQUIRE(
            run_process({dockscan_exe(), "init", "--store", store, "--key-file", key}).exit_code ==
            0);
    }

    dockscan::testing::ProcessResult scan(const std::string& source,
                                          std::vector<std::string> extra = {}) {
        std::vector<std::string> argv{dockscan_exe(), "scan",       source, "--store",
                                      store,          "--key-file", key,    "--json"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return run_process(argv);
    }
};

// An encrypted `adb backup` of the telephony provider, as a phone on the dock makes it.
std::string write_android_backup(const TempDir& tmp, const std::optional<std::string>& password) {
    const auto path = tmp / "telephony.ab";
    dockscan::testing::AbWriter writer(path, {5, true, password, 2000});
    writer.add_file(
        std::string(dockscan::testing::k_telephony_dir) + "000000_sms_backup",
        dockscan::testing::sms_backup_file({
            {"+46701740605", "Hej, Saras personnummer är 120506-2399.", 1795161720000, 1},
            {"+46701740606", "Ring mig på 070-174 06 06 ikväll", 1795176300000, 2},
        }));
    writer.finish();
    return path.string();
}

std::string write_password(const TempDir& tmp, const std::string& password) {
    const auto path = tmp / "backup.pw";
    write_file(path, password + "\n");
    ::chmod(path.c_str(), 0600);
    return path.string();
}

} // namespace

TEST_CASE("an encrypted adb backup is scanned with its password, incrementally") {
    Station station;
    const std::string ab = write_android_backup(station.tmp, std::string("dockstation"));
    const std::string pw = write_password(station.tmp, "dockstation");

    const auto first = station.scan(ab, {"--backup-password-file", pw});
    REQUIRE(first.exit_code == 0);
    const Json summary = Json::parse(first.out);
    CHECK(summary["status"] == "complete");
    CHECK(summary["items"]["messages"] == 2);
    CHECK(summary["findings"] == 1);

    const auto second = station.scan(ab, {"--backup-password-file", pw});
    REQUIRE(second.exit_code == 0);
    const Json again = Json::parse(second.out);
    CHECK(again["scanned"] == 0);
    CHECK(again["unchanged"] == 2);

    const auto list = run_process({dockscan_exe(), "findings", "--store", station.store,
                                   "--key-file", station.key, "--json"});
    const Json findings = Json::parse(list.out);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0]["item"]["type"] == "message");
    CHECK(findings[0]["category"] == "personnummer_i_meddelande");
    CHECK(findings[0]["masked"] == "120506-****");
    // The ref names the message without its number.
    CHECK(findings[0]["item"]["ref"].get<std::string>().find("0701740605") == std::string::npos);
}

TEST_CASE("an encrypted adb backup without its password, or with a wrong one, is refused clearly") {
    Station station;
    const std::string ab = write_android_backup(station.tmp, std::string("dockstation"));

    const auto without = station.scan(ab);
    CHECK(without.exit_code == 1);
    CHECK(without.err.find("encrypted backup: password needed") != std::string::npos);

    const auto wrong = station.scan(
        ab, {"--backup-password-file", write_password(station.tmp, "not-the-password")});
    CHECK(wrong.exit_code == 1);
    CHECK(wrong.err.find("wrong backup password") != std::string::npos);
}

TEST_CASE("a backup password file that others can read is refused") {
    Station station;
    const std::string ab = write_android_backup(station.tmp, std::string("dockstation"));
    const std::string pw = write_password(station.tmp, "dockstation");
    ::chmod(pw.c_str(), 0644);
    const auto r = station.scan(ab, {"--backup-password-file", pw});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("chmod 600") != std::string::npos);
}

TEST_CASE("a plain adb backup needs no password") {
    Station station;
    const auto r = station.scan(write_android_backup(station.tmp, std::nullopt));
    REQUIRE(r.exit_code == 0);
    CHECK(Json::parse(r.out)["items"]["messages"] == 2);
}

TEST_CASE("an iPhone backup folder is scanned: messages, attachments, photos and contacts") {
    Station station;
    const auto backup = station.tmp / "00008110-001A2B3C4D5E6F70";
    dockscan::testing::write_standard_backup(backup);

    const auto r = station.scan(backup.string());
    REQUIRE(r.exit_code == 0);
    const Json summary = Json::parse(r.out);
    CHECK(summary["items"]["messages"].get<int>() >= 3);
    CHECK(summary["items"]["attachments"].get<int>() >= 2);
    CHECK(summary["items"]["photos"].get<int>() >= 1);
    CHECK(summary["items"]["contacts"].get<int>() >= 1);

    const auto list = run_process({dockscan_exe(), "findings", "--store", station.store,
                                   "--key-file", station.key, "--json"});
    const Json findings = Json::parse(list.out);
    std::set<std::string> masked;
    for (const Json& f : findings) {
        masked.insert(f["masked"].get<std::string>());
    }
    // The SMS with text and the iMessage whose body is only in attributedBody.
    CHECK(masked.count("800102-****") == 1);

    const auto again = station.scan(backup.string());
    REQUIRE(again.exit_code == 0);
    CHECK(Json::parse(again.out)["scanned"] == 0);
}

TEST_CASE("an encrypted iPhone backup opens with its password and is refused clearly without") {
    Station station;
    const auto backup = station.tmp / "00008110-001A2B3C4D5E6F71";
    dockscan::testing::StandardBackup spec;
    spec.options.password = "stationens-backup";
    dockscan::testing::write_standard_backup(backup, spec);

    const auto without = station.scan(backup.string());
    CHECK(without.exit_code == 1);
    CHECK(without.err.find("encrypted backup: password needed") != std::string::npos);

    const auto with =
        station.scan(backup.string(),
                     {"--backup-password-file", write_password(station.tmp, "stationens-backup")});
    REQUIRE(with.exit_code == 0);
    CHECK(Json::parse(with.out)["findings"].get<int>() >= 2);
}

TEST_CASE("an SMS Backup & Restore export file is scanned on its own") {
    Station station;
    const auto xml = station.tmp / "sms-20261120183000.xml";
    write_file(xml, "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
                    "<smses count=\"2\">\n"
                    "<sms address=\"+46701740605\" date=\"1795161720000\" type=\"1\" "
                    "body=\"Alvas personnummer är 201205062399\" />\n"
                    "<sms address=\"+46701740606\" date=\"1795176300000\" type=\"2\" "
                    "body=\"Ring 0701740606\" />\n"
                    "</smses>\n");
    const auto r = station.scan(xml.string());
    REQUIRE(r.exit_code == 0);
    const Json summary = Json::parse(r.out);
    CHECK(summary["items"]["messages"] == 2);
    CHECK(summary["findings"] == 1);

    write_file(station.tmp / "not-an-export.xml", "<?xml version='1.0'?><config/>");
    const auto other = station.scan((station.tmp / "not-an-export.xml").string());
    CHECK(other.exit_code == 1);
    CHECK(other.err.find("not a phone source") != std::string::npos);
}

TEST_CASE("a folder that holds an iPhone backup one level down is empty, not complete, and "
          "names the backup") {
    Station station;
    const auto parent = station.tmp / "backups";
    dockscan::testing::write_standard_backup(parent / "00008110-001A2B3C4D5E6F70");

    const auto r = station.scan(parent.string());
    CHECK(r.exit_code == 1);
    const Json summary = Json::parse(r.out);
    CHECK(summary["status"] == "empty");
    CHECK_THAT(summary["reason"].get<std::string>(),
               Catch::Contains("00008110-001A2B3C4D5E6F70") && Catch::Contains("scan that folder"));
    REQUIRE(summary["skipped_sources"].size() == 1);

    // Without --json the person reads the same.
    const auto text = run_process({dockscan_exe(), "scan", parent.string(), "--store",
                                   station.store, "--key-file", station.key});
    CHECK(text.out.find("empty") != std::string::npos);
    CHECK(text.out.find("this is not a clean phone") != std::string::npos);
    CHECK(text.out.find("00008110-001A2B3C4D5E6F70") != std::string::npos);
}

TEST_CASE("an empty folder is an empty scan, exit 1") {
    Station station;
    std::filesystem::create_directories(station.tmp / "nothing");
    const auto r = station.scan((station.tmp / "nothing").string());
    CHECK(r.exit_code == 1);
    const Json summary = Json::parse(r.out);
    CHECK(summary["status"] == "empty");
    CHECK(summary["reason"] == "the source listed nothing to scan");
}

TEST_CASE("items that could not be read are listed with their reasons, now and later") {
    Station station;
    const auto phone = station.tmp / "phone";
    for (int i = 0; i < 25; ++i) {
        write_file(phone / "DCIM" / ("IMG_" + std::to_string(1000 + i) + ".jpg"),
                   "\xFF\xD8\xFF not a photo after all");
    }
    write_file(phone / "Documents" / "a.txt", "Bengt personnummer 450411-8359");

    const auto json = station.scan(phone.string());
    REQUIRE(json.exit_code == 0);
    const Json summary = Json::parse(json.out);
    CHECK(summary["status"] == "partial");
    REQUIRE(summary["failed_items"].size() == 25);
    CHECK(summary["failed_items"][0]["ref"] == "DCIM/IMG_1000.jpg");
    CHECK_FALSE(summary["failed_items"][0]["reason"].get<std::string>().empty());

    // On the terminal: a screenful, then where to see the rest.
    std::filesystem::remove_all(station.tmp / "dockscan.db");
    REQUIRE(
        run_process({dockscan_exe(), "init", "--store", station.store, "--key-file", station.key})
            .exit_code == 0);
    const auto text = run_process({dockscan_exe(), "scan", phone.string(), "--store", station.store,
                                   "--key-file", station.key});
    CHECK(text.out.find("DCIM/IMG_1000.jpg: ") != std::string::npos);
    CHECK(text.out.find("DCIM/IMG_1019.jpg: ") != std::string::npos);
    CHECK(text.out.find("DCIM/IMG_1020.jpg") == std::string::npos);
    CHECK(text.out.find("and 5 more: dockscan errors --scan 1") != std::string::npos);

    const auto later = run_process({dockscan_exe(), "errors", "--scan", "1", "--store",
                                    station.store, "--key-file", station.key, "--json"});
    REQUIRE(later.exit_code == 0);
    const Json items = Json::parse(later.out);
    CHECK(items.size() == 25);
    const auto audit = run_process(
        {dockscan_exe(), "audit", "export", "--store", station.store, "--key-file", station.key});
    CHECK(audit.out.find("list_errors") != std::string::npos);
}
