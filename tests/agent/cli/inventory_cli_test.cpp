// The IT admin's inventory commands, run as the real binary: units, phones, users.

#include "agent/store/inventory.hpp"
#include "agent/store/store.hpp"
#include "agent/store/users.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace dockscan::agent;
using dockscan::testing::dockscan_exe;
using dockscan::testing::ProcessResult;
using dockscan::testing::run_process;
using dockscan::testing::TempDir;
using dockscan::testing::write_file;
using Json = nlohmann::json;

namespace {

struct Admin {
    TempDir tmp;
    std::string store = (tmp / "dockscan.db").string();
    std::string key = (tmp / "store.key").string();

    Admin() { REQUIRE(run({"init"}).exit_code == 0); }

    ProcessResult run(std::vector<std::string> args, const std::string& input = {}) const {
        args.insert(args.begin(), dockscan_exe());
        args.insert(args.end(), {"--store", store, "--key-file", key});
        return run_process(args, input);
    }

    Json list(const std::string& what) const {
        const auto r = run({what, "list", "--json"});
        REQUIRE(r.exit_code == 0);
        return Json::parse(r.out);
    }

    Store open() const {
        auto k = StoreKey::from_file(key);
        REQUIRE(k);
        auto s = Store::open(store, *k, OpenMode::existing);
        REQUIRE(s);
        return std::move(*s);
    }

    std::vector<std::string> audit_actions() const {
        const auto r = run({"audit", "export", "--format", "jsonl"});
        REQUIRE(r.exit_code == 0);
        std::vector<std::string> rows;
        std::size_t pos = 0;
        while (pos < r.out.size()) {
            const auto nl = r.out.find('\n', pos);
            const Json row = Json::parse(r.out.substr(pos, nl - pos));
            rows.push_back(row["actor"].get<std::string>() + " " +
                           row["action"].get<std::string>() + " " +
                           row["object"].get<std::string>());
            pos = nl + 1;
        }
        return rows;
    }
};

// A usage or configuration error: exit 2 and one line on stderr.
void check_refused(const ProcessResult& r, const std::string& part) {
    CAPTURE(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.rfind("dockscan: ", 0) == 0);
    CHECK(r.err.find(part) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

} // namespace

TEST_CASE("units belong to an accepted verksamhetsområde") {
    Admin admin;
    REQUIRE(admin.run({"units", "add", "Hemtjänst Norr", "--area", "Hemtjänst"}).exit_code == 0);
    // Letter case does not matter; the stored area is the accepted spelling.
    REQUIRE(admin.run({"units", "add", "Säbo Björken", "--area", "säbo"}).exit_code == 0);
    check_refused(admin.run({"units", "add", "Skolan", "--area", "Skola"}),
                  "Funktionsstöd, Hemtjänst, SÄBO, IFO");
    check_refused(admin.run({"units", "add", "Hemtjänst Norr", "--area", "IFO"}), "already exists");
    const auto missing_area = admin.run({"units", "add", "Utan område"});
    CHECK(missing_area.exit_code == 2);
    CHECK(missing_area.err.rfind("dockscan: --area is required", 0) == 0);

    const Json units = admin.list("units");
    REQUIRE(units.size() == 2);
    CHECK(units[0] == Json{{"name", "Hemtjänst Norr"}, {"area", "Hemtjänst"}, {"phones", 0}});
    CHECK(units[1]["name"] == "Säbo Björken");
    CHECK(units[1]["area"] == "SÄBO");
    const auto table = admin.run({"units", "list"});
    // Columns line up by characters, not bytes ("ä" is two bytes).
    CHECK(table.out.find("\nSäbo Björken    SÄBO       0\n") != std::string::npos);
}

TEST_CASE("a phone belongs to one unit and can move") {
    Admin admin;
    REQUIRE(admin.run({"units", "add", "Hemtjänst Norr", "--area", "Hemtjänst"}).exit_code == 0);
    REQUIRE(admin.run({"units", "add", "IFO Barn", "--area", "IFO"}).exit_code == 0);
    REQUIRE(admin
                .run({"phones", "add", "HT-Norr-01", "--serial", "00008030-001A2B3C", "--unit",
                      "Hemtjänst Norr"})
                .exit_code == 0);
    check_refused(admin.run({"phones", "add", "X-1", "--unit", "Okänd enhet"}),
                  "unknown unit 'Okänd enhet'");
    check_refused(admin.run({"phones", "add", "HT-Norr-01", "--unit", "IFO Barn"}),
                  "already registered");
    check_refused(admin.run({"phones", "add", "Annan", "--serial", "00008030-001A2B3C", "--unit",
                             "IFO Barn"}),
                  "already registered");

    // By serial as well as by label.
    REQUIRE(admin.run({"phones", "move", "00008030-001A2B3C", "--unit", "IFO Barn"}).exit_code ==
            0);
    check_refused(admin.run({"phones", "move", "HT-Norr-99", "--unit", "IFO Barn"}),
                  "unknown phone");
    check_refused(admin.run({"phones", "move", "HT-Norr-01", "--unit", "Nej"}), "unknown unit");

    const Json phones = admin.list("phones");
    REQUIRE(phones.size() == 1);
    CHECK(phones[0]["label"] == "HT-Norr-01");
    CHECK(phones[0]["serial"] == "00008030-001A2B3C");
    CHECK(phones[0]["unit"] == "IFO Barn");
    CHECK(admin.list("units")[0]["phones"] == 0);

    const auto actions = admin.audit_actions();
    const std::string actor = actions.front().substr(0, actions.front().find(' '));
    CHECK(actor.rfind("cli:", 0) == 0);
    CHECK(std::count(actions.begin(), actions.end(), actor + " phone_add phone:HT-Norr-01") == 1);
    CHECK(std::count(actions.begin(), actions.end(),
                     actor + " phone_move phone:00008030-001A2B3C") == 1);
}

TEST_CASE("phones import registers an MDM export's phones: every line or none") {
    Admin admin;
    REQUIRE(admin.run({"units", "add", "Hemtjänst Norr", "--area", "Hemtjänst"}).exit_code == 0);
    REQUIRE(admin.run({"units", "add", "LSS Björken", "--area", "Funktionsstöd"}).exit_code == 0);
    {
        // A phone that docked before it was registered: the import gives it its label.
        Store store = admin.open();
        REQUIRE(store.upsert_phone({"R58N77", "R58N77", "Android", "SM-A525F", "14"}));
    }
    // As Intune's device export saved from Swedish Excel: byte order mark, semicolons,
    // CRLF, quotes, more columns than we read, an iPhone named by its UDID; two mistakes.
    const auto csv = admin.tmp / "intune.csv";
    write_file(csv, "\xEF\xBB\xBF"
                    "Device ID;Device name;Serial number;UDID;OS;Enhet\r\n"
                    "a1;HT-Norr-01;R58M12;;Android;Hemtjänst Norr\r\n"
                    "a2;\"LSS-B; 02\";DNPXK1;00008030-001A2D3E;iOS;\"LSS Björken\"\r\n"
                    "\r\n"
                    "a3;HT-Norr-03;R58M99;;Android;Hemtjänst Söder\r\n"
                    "a4;HT-Norr-01;R58M55;;Android;Hemtjänst Norr\r\n"
                    "a5;HT-Norr-07;R58N77;;Android;Hemtjänst Norr\r\n");
    const auto refused = admin.run({"phones", "import", csv.string()});
    CAPTURE(refused.err);
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("line 5: unknown unit 'Hemtjänst Söder'") != std::string::npos);
    CHECK(refused.err.find("line 6: the label 'HT-Norr-01' is also on line 2") !=
          std::string::npos);
    CHECK(refused.err.find("nothing imported: 2 of 5 lines") != std::string::npos);
    CHECK(admin.list("phones").size() == 1); // the docked phone only: nothing was imported

    write_file(csv, "Device name;Serial number;UDID;Enhet\n"
                    "HT-Norr-01;R58M12;;Hemtjänst Norr\n"
                    "\"LSS-B; 02\";DNPXK1;00008030-001A2D3E;LSS Björken\n"
                    "HT-Norr-07;R58N77;;Hemtjänst Norr\n");
    const auto dry = admin.run({"phones", "import", csv.string(), "--dry-run"});
    CAPTURE(dry.out);
    REQUIRE(dry.exit_code == 0);
    CHECK(dry.out.find("would register 2 new and 1 recorded phones") != std::string::npos);
    CHECK(admin.list("phones").size() == 1);

    const auto imported = admin.run({"phones", "import", csv.string(), "--from", "2026-10-01"});
    CAPTURE(imported.out, imported.err);
    REQUIRE(imported.exit_code == 0);
    const Json phones = admin.list("phones");
    REQUIRE(phones.size() == 3);
    CHECK(phones[0]["label"] == "HT-Norr-01");
    CHECK(phones[0]["serial"] == "R58M12");
    CHECK(phones[0]["unit"] == "Hemtjänst Norr");
    CHECK(phones[1]["label"] == "HT-Norr-07");
    CHECK(phones[1]["model"] == "SM-A525F"); // the docked phone, not a second one
    CHECK(phones[2]["label"] == "LSS-B; 02");
    CHECK(phones[2]["serial"] == "00008030-001A2D3E"); // what an iPhone docks as
    CHECK(phones[2]["unit"] == "LSS Björken");
    const auto history = admin.run({"phones", "history", "HT-Norr-01", "--json"});
    CHECK(Json::parse(history.out)[0]["from"] == "2026-10-01");

    // Next month's export again, one phone moved to another unit: one move, the rest as
    // they were; the audit log has each registration and the move, with the file's line.
    write_file(csv, "Device name,Serial number,Department\n"
                    "HT-Norr-01,R58M12,Hemtjänst Norr\n"
                    "HT-Norr-07,R58N77,LSS Björken\n");
    const auto again = admin.run({"phones", "import", csv.string(), "--unit-column", "Department"});
    CAPTURE(again.out, again.err);
    REQUIRE(again.exit_code == 0);
    CHECK(again.out.find("line 3: HT-Norr-07 -> LSS Björken: moved") != std::string::npos);
    CHECK(again.out.find("moved 1, 1 unchanged") != std::string::npos);
    CHECK(admin.list("phones")[1]["unit"] == "LSS Björken");
    const auto actions = admin.audit_actions();
    const std::string actor = actions.front().substr(0, actions.front().find(' '));
    CHECK(std::count(actions.begin(), actions.end(), actor + " phone_add phone:HT-Norr-01") == 1);
    CHECK(std::count(actions.begin(), actions.end(), actor + " phone_move phone:HT-Norr-07") == 1);

    // A file without a unit column says which columns it found.
    write_file(csv, "Device name,Serial number\nX,Y\n");
    const auto no_unit = admin.run({"phones", "import", csv.string()});
    CHECK(no_unit.exit_code == 2);
    CHECK(no_unit.err.find("no column for the unit") != std::string::npos);
    CHECK(no_unit.err.find("\"Device name\", \"Serial number\"") != std::string::npos);
}

TEST_CASE("a phone a scan recorded is registered by its label and keeps its findings") {
    Admin admin;
    write_file(admin.tmp / "okänd-7" / "Notes" / "a.txt",
               "Personnummer 450411-8359 till sjuksköterskan");
    // Without --phone the scan records the phone under its folder's name, in no unit.
    REQUIRE(admin.run({"scan", (admin.tmp / "okänd-7").string()}).exit_code == 0);
    CHECK(admin.list("phones")[0]["label"] == "okänd-7");
    CHECK(admin.list("phones")[0]["unit"].is_null());
    REQUIRE(admin.run({"units", "add", "SÄBO Eken", "--area", "SÄBO"}).exit_code == 0);
    REQUIRE(
        admin.run({"phones", "add", "okänd-7", "--serial", "R58M12ABCDE", "--unit", "SÄBO Eken"})
            .exit_code == 0);
    const Json phones = admin.list("phones");
    REQUIRE(phones.size() == 1);
    CHECK(phones[0]["serial"] == "R58M12ABCDE");
    CHECK(phones[0]["unit"] == "SÄBO Eken");
    const auto findings = admin.run({"findings", "--json"});
    REQUIRE(findings.exit_code == 0);
    CHECK(Json::parse(findings.out).size() == 1);
}

TEST_CASE("a phone a scan recorded with its serial takes the admin's label") {
    TempDir tmp;
    auto key = StoreKey::create_file(tmp / "k");
    REQUIRE(key);
    auto store = Store::open(tmp / "db", *key, OpenMode::create);
    REQUIRE(store);
    REQUIRE(
        store->upsert_phone({"00008030-0011", "00008030-0011", "iPhone", "iPhone12,1", "17.1"}));
    REQUIRE(inventory::add_unit(*store, "IFO Vuxen", "IFO"));
    const auto registered =
        inventory::add_phone(*store, {"IFO-V-02", "00008030-0011", "IFO Vuxen"});
    REQUIRE(registered);
    CHECK(*registered == inventory::Registered::known_phone);
    const auto phones = inventory::phones(*store);
    REQUIRE(phones);
    REQUIRE(phones->size() == 1);
    CHECK(phones->front().label == "IFO-V-02");
    CHECK(phones->front().model == "iPhone12,1");
    CHECK(phones->front().unit == "IFO Vuxen");
    // The next docking finds it by serial and keeps the admin's label.
    REQUIRE(store->upsert_phone({"00008030-0011", "00008030-0011", "", "", "17.2"}));
    CHECK(inventory::phones(*store)->front().label == "IFO-V-02");
}

TEST_CASE("users get their password from stdin, hashed with argon2id") {
    Admin admin;
    REQUIRE(admin.run({"units", "add", "Hemtjänst Norr", "--area", "Hemtjänst"}).exit_code == 0);
    const auto added = admin.run({"users", "add", "anna.berg", "--role", "supervisor", "--unit",
                                  "Hemtjänst Norr", "--display-name", "Anna Berg"},
                                 "korrekt-hast-batteri\n");
    REQUIRE(added.exit_code == 0);
    CHECK(added.out.find("korrekt") == std::string::npos);
    REQUIRE(admin.run({"users", "add", "kerstin.q", "--role", "quality_lead"}, "ett-annat-losen\n")
                .exit_code == 0);

    check_refused(admin.run({"users", "add", "bo", "--role", "admin"}, "kort\n"), "too short");
    check_refused(admin.run({"users", "add", "bo", "--role", "admin"}, ""), "no password");
    check_refused(admin.run({"users", "add", "bo", "--role", "boss"}, "ett-langt-losen\n"),
                  "--role");
    check_refused(admin.run({"users", "add", "bo", "--role", "supervisor"}, "ett-langt-losen\n"),
                  "--unit");
    check_refused(admin.run({"users", "add", "bo", "--role", "supervisor", "--unit", "Nej"},
                            "ett-langt-losen\n"),
                  "unknown unit");
    check_refused(admin.run({"users", "add", "Anna Berg", "--role", "admin"}, "ett-langt-losen\n"),
                  "user name");
    check_refused(admin.run({"users", "add", "anna.berg", "--role", "admin"}, "ett-langt-losen\n"),
                  "already exists");

    const Json users_json = admin.list("users");
    REQUIRE(users_json.size() == 2);
    CHECK(users_json[0] == Json{{"name", "anna.berg"},
                                {"display_name", "Anna Berg"},
                                {"role", "supervisor"},
                                {"units", {"Hemtjänst Norr"}},
                                {"disabled", false}});
    CHECK(users_json[1]["role"] == "quality_lead");

    std::string first_hash;
    {
        Store store = admin.open();
        const auto creds = users::credentials(store, "anna.berg");
        REQUIRE(creds);
        REQUIRE(*creds);
        first_hash = (*creds)->password_hash;
        CHECK(first_hash.rfind("$argon2id$", 0) == 0);
        CHECK(users::verify_password(first_hash, "korrekt-hast-batteri"));
        CHECK_FALSE(users::verify_password(first_hash, "korrekt-hast-batteri "));
    }

    REQUIRE(admin.run({"users", "passwd", "anna.berg"}, "nytt-losenord-42\r\n").exit_code == 0);
    check_refused(admin.run({"users", "passwd", "ingen"}, "nytt-losenord-42\n"), "unknown user");
    REQUIRE(admin.run({"users", "disable", "anna.berg"}).exit_code == 0);
    check_refused(admin.run({"users", "disable", "ingen"}), "unknown user");
    {
        Store store = admin.open();
        const auto creds = users::credentials(store, "anna.berg");
        REQUIRE(creds);
        CHECK((*creds)->password_hash != first_hash);
        CHECK(users::verify_password((*creds)->password_hash, "nytt-losenord-42"));
        CHECK((*creds)->user.disabled);
    }
    CHECK(admin.list("users")[0]["disabled"] == true);

    const auto actions = admin.audit_actions();
    const std::string actor = actions.front().substr(0, actions.front().find(' '));
    for (const std::string expected : {" user_add user:anna.berg", " user_passwd user:anna.berg",
                                       " user_disable user:anna.berg"}) {
        CHECK(std::count(actions.begin(), actions.end(), actor + expected) == 1);
    }
}

TEST_CASE("serve refuses a non-loopback address without TLS") {
    Admin admin;
    check_refused(admin.run({"serve", "--listen", "0.0.0.0:8443"}), "without TLS");
    check_refused(admin.run({"serve", "--listen", "10.1.2.3:8443", "--tls-cert", "c.pem"}),
                  "--tls-cert and --tls-key");
    check_refused(admin.run({"serve", "--listen", "nonsense"}), "--listen");
    check_refused(admin.run({"serve", "--listen", "127.0.0.1:8443", "--tls-cert",
                             (admin.tmp / "missing.pem").string(), "--tls-key",
                             (admin.tmp / "missing.key").string()}),
                  "TLS certificate");
}

TEST_CASE("the review and inventory commands have --help") {
    const auto command = GENERATE(
        as<std::vector<std::string>>{}, std::vector<std::string>{"units", "add"},
        std::vector<std::string>{"phones", "move"}, std::vector<std::string>{"users", "passwd"},
        std::vector<std::string>{"serve"}, std::vector<std::string>{"audit", "export"});
    std::vector<std::string> argv{dockscan_exe()};
    argv.insert(argv.end(), command.begin(), command.end());
    argv.emplace_back("--help");
    const auto r = run_process(argv);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("--store") != std::string::npos);
}

TEST_CASE("scan --phone never creates a phone: an unknown label is an error with the hint") {
    Admin admin;
    write_file(admin.tmp / "phone" / "Notes" / "a.txt", "Personnummer 450411-8359");
    const auto typo = admin.run({"scan", (admin.tmp / "phone").string(), "--phone", "HT-Nora-01"});
    CHECK(typo.exit_code == 2);
    CHECK(typo.err.find("unknown phone 'HT-Nora-01'") != std::string::npos);
    CHECK(typo.err.find("dockscan phones add HT-Nora-01 --unit") != std::string::npos);
    CHECK(admin.list("phones").empty());

    // By label or by serial, a registered phone is the one scanned.
    REQUIRE(admin.run({"units", "add", "Hemtjänst Norr", "--area", "Hemtjänst"}).exit_code == 0);
    REQUIRE(admin
                .run({"phones", "add", "HT-Norr-01", "--serial", "R58M12ABCDE", "--unit",
                      "Hemtjänst Norr"})
                .exit_code == 0);
    CHECK(admin.run({"scan", (admin.tmp / "phone").string(), "--phone", "R58M12ABCDE"}).exit_code ==
          0);
    const Json phones = admin.list("phones");
    REQUIRE(phones.size() == 1);
    CHECK(phones[0]["label"] == "HT-Norr-01");
}

TEST_CASE("the register's life cycle: retire a phone, rename a unit, enable a user, change units") {
    Admin admin;
    REQUIRE(admin.run({"units", "add", "Hemtjänst Norr", "--area", "Hemtjänst"}).exit_code == 0);
    REQUIRE(admin.run({"units", "add", "LSS Ekbacken", "--area", "Funktionsstöd"}).exit_code == 0);
    REQUIRE(admin.run({"phones", "add", "HT-Norr-01", "--unit", "Hemtjänst Norr"}).exit_code == 0);

    CHECK(admin.run({"phones", "retire", "HT-Norr-01", "--date", "2026-02-30"}).exit_code == 2);
    REQUIRE(admin.run({"phones", "retire", "HT-Norr-01", "--date", "2026-11-30"}).exit_code == 0);
    CHECK(admin.list("phones")[0]["retired_on"] == "2026-11-30");
    const auto again = admin.run({"phones", "retire", "HT-Norr-01"});
    CHECK(again.exit_code == 2);
    CHECK(again.err.find("was retired on 2026-11-30") != std::string::npos);
    CHECK(admin.run({"phones", "list"}).out.find("(retired 2026-11-30)") != std::string::npos);

    REQUIRE(admin.run({"units", "rename", "Hemtjänst Norr", "Hemtjänst Norra"}).exit_code == 0);
    CHECK(admin.list("phones")[0]["unit"] == "Hemtjänst Norra");
    CHECK(admin.run({"units", "rename", "LSS Ekbacken", "Hemtjänst Norra"}).exit_code == 2);

    REQUIRE(
        admin
            .run({"users", "add", "anna.berg", "--role", "supervisor", "--unit", "Hemtjänst Norra"},
                 "Vinter-Ekorre-2026\n")
            .exit_code == 0);
    REQUIRE(admin
                .run({"users", "units", "anna.berg", "--unit", "LSS Ekbacken", "--unit",
                      "Hemtjänst Norra"})
                .exit_code == 0);
    CHECK(admin.list("users")[0]["units"] == Json::array({"Hemtjänst Norra", "LSS Ekbacken"}));
    REQUIRE(admin.run({"users", "disable", "anna.berg"}).exit_code == 0);
    CHECK(admin.list("users")[0]["disabled"] == true);
    REQUIRE(admin.run({"users", "enable", "anna.berg"}).exit_code == 0);
    CHECK(admin.list("users")[0]["disabled"] == false);
    const auto actions = admin.audit_actions();
    for (const char* action : {"phone_retire", "unit_rename", "user_units", "user_enable"}) {
        CHECK(std::any_of(actions.begin(), actions.end(), [&](const std::string& row) {
            return row.find(std::string(" ") + action + " ") != std::string::npos;
        }));
    }
}

TEST_CASE("phones unknown lists the serials that docked unregistered, for the admin") {
    Admin admin;
    {
        Store store = admin.open();
        REQUIRE(store.database().exec(
            "INSERT INTO dockings (slot, slot_label, backend, serial, docked_at, outcome) VALUES "
            "(1, 'Vänster', 'adb', 'R58M12ABCDE', '2026-11-02T07:00:00Z', 'unknown_phone'), "
            "(2, '', 'adb', 'R58M12ABCDE', '2026-11-03T07:00:00Z', 'unknown_phone'), "
            "(1, 'Vänster', 'ios', '00008030-001A2B3C', '2026-11-04T07:00:00Z', 'unknown_phone')"));
    }
    const auto listed = admin.run({"phones", "unknown", "--json"});
    REQUIRE(listed.exit_code == 0);
    const Json unknown = Json::parse(listed.out);
    REQUIRE(unknown.size() == 2);
    CHECK(unknown[0]["serial"] == "00008030-001A2B3C");
    CHECK(unknown[1]["serial"] == "R58M12ABCDE");
    CHECK(unknown[1]["dockings"] == 2);
    CHECK(unknown[1]["last_slot"] == "Plats 2");
    CHECK(admin.run({"phones", "unknown"}).out.find("dockscan phones add LABEL --serial") !=
          std::string::npos);

    // Registered: no longer unknown.
    REQUIRE(admin.run({"units", "add", "IFO Barn", "--area", "IFO"}).exit_code == 0);
    REQUIRE(admin.run({"phones", "add", "IFO-1", "--serial", "R58M12ABCDE", "--unit", "IFO Barn"})
                .exit_code == 0);
    CHECK(Json::parse(admin.run({"phones", "unknown", "--json"}).out).size() == 1);
}
