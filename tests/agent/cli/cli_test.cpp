#include "agent/daemon/status_server.hpp"
#include "agent/demo/demo_phone.hpp"
#include "agent/store/store.hpp"
#include "agent/store/store_key.hpp"
#include "agent/store/users.hpp"
#include "tests/detectors/image/fixtures.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <sys/stat.h>

using dockscan::testing::dockscan_exe;
using dockscan::testing::read_file;
using dockscan::testing::run_process;
using dockscan::testing::TempDir;
using dockscan::testing::write_file;
using Json = nlohmann::json;

namespace {

std::vector<Json> json_lines(const std::string& out) {
    std::vector<Json> lines;
    std::size_t pos = 0;
    while (pos < out.size()) {
        const auto nl = out.find('\n', pos);
        lines.push_back(Json::parse(out.substr(pos, nl - pos)));
        pos = nl == std::string::npos ? out.size() : nl + 1;
    }
    return lines;
}

struct CliStore {
    TempDir tmp;
    std::string store = (tmp / "dockscan.db").string();
    std::string key = (tmp / "store.key").string();

    CliStore() {
        const auto r = run_process({dockscan_exe(), "init", "--store", store, "--key-file", key});
        REQUIRE(r.exit_code == 0);
    }

    // `scan --phone` names a registered phone: registers one in a unit of its own.
    void register_phone(const std::string& label) const {
        for (std::vector<std::string> args :
             {std::vector<std::string>{"units", "add", "Enhet " + label, "--area", "Hemtjänst"},
              std::vector<std::string>{"phones", "add", label, "--unit", "Enhet " + label}}) {
            args.insert(args.begin(), dockscan_exe());
            args.insert(args.end(), {"--store", store, "--key-file", key});
            REQUIRE(run_process(args).exit_code == 0);
        }
    }

    static unsigned mode_of(const std::string& path) {
        struct stat st {};
        REQUIRE(::stat(path.c_str(), &st) == 0);
        return st.st_mode & 0777u;
    }
};

} // namespace

TEST_CASE("inspect --jsonl answers every line in order, with the same id") {
    TempDir tmp;
    write_file(tmp / "note.txt", "pnr 19320102-7723");
    const std::string input =
        std::string(R"({"id": 1, "text": "Hennes personnummer är 120506-2399."})") +
        "\n"
        R"({"id": "b", "text": "Ring 070-123 45 67"})"
        "\n"
        "this is not json\n" +
        R"({"id": [3], "path": ")" + (tmp / "note.txt").string() + "\"}\n" +
        R"({"id": 4, "path": ")" + (tmp / "missing.txt").string() + "\"}\n" +
        R"({"id": 5})"
        "\n";
    const auto r = run_process({dockscan_exe(), "inspect", "--jsonl"}, input);
    REQUIRE(r.exit_code == 0);
    const auto lines = json_lines(r.out);
    REQUIRE(lines.size() == 6);

    CHECK(lines[0]["id"] == 1);
    REQUIRE(lines[0]["findings"].size() == 1);
    const Json& f = lines[0]["findings"][0];
    CHECK(f["kind"] == "personnummer");
    CHECK(f["masked"] == "120506-****");
    // UTF-8 byte offsets: "Hennes personnummer är " is 24 bytes (ä is two).
    CHECK(f["start"] == 24);
    CHECK(f["end"] == 35);
    CHECK(f["confidence"].get<double>() > 0.5);
    CHECK(f["confidence"].get<double>() <= 1.0);

    CHECK(lines[1]["id"] == "b");
    CHECK(lines[1]["findings"].empty());

    CHECK(lines[2]["id"].is_null());
    CHECK(lines[2].contains("error"));

    CHECK(lines[3]["id"] == Json::array({3}));
    REQUIRE(lines[3]["findings"].size() == 1);
    CHECK(lines[3]["findings"][0]["masked"] == "320102-****");

    CHECK(lines[4]["id"] == 4);
    CHECK(lines[4].contains("error"));
    CHECK(lines[5]["id"] == 5);
    CHECK(lines[5].contains("error"));
    // Nothing on any output shows a full number.
    CHECK(r.out.find("2399") == std::string::npos);
    CHECK(r.err.find("2399") == std::string::npos);
}

TEST_CASE("inspect on a contact list runs the contact detectors, as a scan does") {
    TempDir tmp;
    // An iPhone export's CR CR LF line ends, and a BlackBerry card whose N is in lower case
    // while FN has the name as people write it.
    write_file(tmp / "kontakter.vcf",
               "BEGIN:VCARD\r\r\nVERSION:3.0\r\r\nN:Doe;john\r\r\nFN:John Doe\r\r\n"
               "NOTE:pnr 450411-8359\r\r\nEND:VCARD\r\r\n");
    const auto r = run_process({dockscan_exe(), "inspect", (tmp / "kontakter.vcf").string()});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("full_name J. D.") != std::string::npos);
    CHECK(r.out.find("personnummer 450411-****") != std::string::npos);
    CHECK(r.out.find("no findings") == std::string::npos);
}

TEST_CASE("inspect exit codes: 1 for a path it cannot read, 2 for usage") {
    TempDir tmp;
    CHECK(run_process({dockscan_exe(), "inspect", (tmp / "nope.txt").string()}).exit_code == 1);
    CHECK(run_process({dockscan_exe(), "inspect"}).exit_code == 2);
    CHECK(run_process({dockscan_exe(), "inspect", "--no-such-flag"}).exit_code == 2);
    CHECK(run_process({dockscan_exe()}).exit_code == 2);
    const auto help = run_process({dockscan_exe(), "inspect", "--help"});
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("--jsonl") != std::string::npos);
}

TEST_CASE("every subcommand has --help") {
    const auto command =
        GENERATE(as<std::string>{}, "init", "inspect", "scan", "findings", "demo", "purge");
    const auto r = run_process({dockscan_exe(), command, "--help"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("Usage") != std::string::npos);
}

TEST_CASE("purge empties the evidence of findings past the retention, and only those") {
    CliStore cli;
    const auto phone = cli.tmp / "phone";
    write_file(phone / "Documents" / "a.txt", "Bengt personnummer 450411-8359");
    cli.register_phone("Hemtjänst 7");
    auto scan = [&] {
        REQUIRE(run_process({dockscan_exe(), "scan", phone.string(), "--store", cli.store,
                             "--key-file", cli.key, "--phone", "Hemtjänst 7"})
                    .exit_code == 0);
    };
    scan();
    {
        // That scan was two years ago; a second one, today, finds the note again.
        auto key = dockscan::agent::StoreKey::from_file(cli.key);
        REQUIRE(key);
        auto store =
            dockscan::agent::Store::open(cli.store, *key, dockscan::agent::OpenMode::existing);
        REQUIRE(store);
        auto aged =
            store->database().prepare("UPDATE findings SET created_at = '2024-11-01T10:00:00Z'");
        REQUIRE(aged);
        REQUIRE(aged->step());
    }
    const auto purge = run_process(
        {dockscan_exe(), "purge", "--store", cli.store, "--key-file", cli.key, "--days", "365"});
    INFO(purge.err);
    REQUIRE(purge.exit_code == 0);
    CHECK(purge.out.find("purged the evidence of 1 findings") != std::string::npos);
    scan(); // the purged note is read again: it is still on the phone
    const auto list = run_process(
        {dockscan_exe(), "findings", "--store", cli.store, "--key-file", cli.key, "--json"});
    REQUIRE(list.exit_code == 0);
    const Json findings = Json::parse(list.out);
    REQUIRE(findings.size() == 2);
    int purged = 0;
    for (const Json& f : findings) {
        CHECK(f["kind"] == "personnummer");
        purged += f["masked"] == "" ? 1 : 0;
    }
    CHECK(purged == 1); // the old one; today's keeps its evidence
    CHECK(run_process(
              {dockscan_exe(), "purge", "--store", cli.store, "--key-file", cli.key, "--days", "7"})
              .exit_code == 2); // under 30 days: refused
}

TEST_CASE("scan --json and findings --json keep their contracts") {
    CliStore cli;
    const auto phone = cli.tmp / "phone";
    write_file(phone / "Documents" / "a.txt", "Bengt personnummer 450411-8359, ring 0701234567");
    write_file(phone / "DCIM" / "IMG_1.jpg", dockscan::test_images::scene_photo_jpeg(640, 480, 12));

    cli.register_phone("Hemtjänst 7");
    const auto scan = run_process({dockscan_exe(), "scan", phone.string(), "--store", cli.store,
                                   "--key-file", cli.key, "--phone", "Hemtjänst 7", "--json"});
    REQUIRE(scan.exit_code == 0);
    const Json summary = Json::parse(scan.out);
    CHECK(summary["scan_id"].is_number_integer());
    CHECK(summary["source"] == phone.string());
    CHECK(summary["status"] == "complete");
    CHECK_FALSE(summary.contains("reason"));
    CHECK(summary["items"]["messages"] == 0);
    CHECK(summary["items"]["photos"] == 1);
    CHECK(summary["items"]["contacts"] == 0);
    CHECK(summary["items"]["files"] == 1);
    CHECK(summary["findings"] == 1);

    const auto list = run_process(
        {dockscan_exe(), "findings", "--store", cli.store, "--key-file", cli.key, "--json"});
    REQUIRE(list.exit_code == 0);
    const Json findings = Json::parse(list.out);
    REQUIRE(findings.is_array());
    REQUIRE(findings.size() == 1);
    const Json& f = findings[0];
    for (const char* key : {"id", "scan_id", "item", "kind", "category", "severity", "confidence",
                            "masked", "detector", "created_at"}) {
        CHECK(f.contains(key));
    }
    CHECK(f["scan_id"] == summary["scan_id"]);
    CHECK(f["item"]["type"] == "file");
    CHECK(f["item"]["ref"] == "Documents/a.txt");
    CHECK(f["kind"] == "personnummer");
    CHECK(f["category"] == "personnummer_i_anteckning");
    CHECK(f["severity"] == "allvarlig_avvikelse");
    CHECK(f["masked"] == "450411-****");
    CHECK(f["detector"] == "text/identity-number");
    CHECK(f["created_at"].get<std::string>().size() == 20);

    const auto table =
        run_process({dockscan_exe(), "findings", "--store", cli.store, "--key-file", cli.key});
    CHECK(table.exit_code == 0);
    CHECK(table.out.find("450411-****") != std::string::npos);
    CHECK(table.out.find("Hemtjänst 7") != std::string::npos);
    CHECK(table.out.find("8359") == std::string::npos);
}

TEST_CASE("a number written again and again is one finding with its count, and every item is "
          "capped") {
    CliStore cli;
    const auto phone = cli.tmp / "phone";
    std::string repeated;
    for (int i = 0; i < 150; ++i) {
        repeated += "Påminnelse: Bengt personnummer 450411-8359.\n";
    }
    write_file(phone / "Documents" / "paminnelse.txt", repeated);
    // A list of 300 different clients in one note: one item for the supervisor, at most
    // 100 findings, and the rest counted.
    std::string list;
    for (int day = 1; day <= 28; ++day) {
        for (int serial = 0; serial < 11; ++serial) {
            // Valid dates and check digits, generated: never a real person's on purpose.
            std::string digits = "4501" + std::string(day < 10 ? "0" : "") + std::to_string(day) +
                                 std::to_string(100 + serial * 7).substr(0, 3);
            int sum = 0;
            for (std::size_t i = 0; i < 9; ++i) {
                int d = (digits[i] - '0') * (i % 2 == 0 ? 2 : 1);
                sum += d > 9 ? d - 9 : d;
            }
            digits += std::to_string((10 - sum % 10) % 10);
            list += "Brukare " + digits.substr(0, 6) + "-" + digits.substr(6) + "\n";
        }
    }
    write_file(phone / "Documents" / "lista.txt", list);

    const auto scan = run_process({dockscan_exe(), "scan", phone.string(), "--store", cli.store,
                                   "--key-file", cli.key, "--json"});
    REQUIRE(scan.exit_code == 0);
    const Json summary = Json::parse(scan.out);
    CHECK(summary["status"] == "complete");
    CHECK(summary["findings"] == 101);
    CHECK(summary["findings_not_recorded"] == 308 - 100);
    CHECK_THAT(summary["reason"].get<std::string>(),
               Catch::Contains("208 more findings were not recorded"));

    const auto list_out = run_process(
        {dockscan_exe(), "findings", "--store", cli.store, "--key-file", cli.key, "--json"});
    REQUIRE(list_out.exit_code == 0);
    const Json findings = Json::parse(list_out.out);
    int reminders = 0;
    for (const Json& f : findings) {
        if (f["item"]["ref"] == "Documents/paminnelse.txt") {
            ++reminders;
            CHECK(f["occurrences"] == 150);
            CHECK(f["masked"] == "450411-****");
        }
    }
    CHECK(reminders == 1);
    const auto table =
        run_process({dockscan_exe(), "findings", "--store", cli.store, "--key-file", cli.key});
    CHECK(table.out.find("the same number 150 times in this item") != std::string::npos);
}

TEST_CASE("what a phone names is printed so that it cannot drive the terminal") {
    CliStore cli;
    const auto phone = cli.tmp / "phone";
    // An SMS whose sender is an escape sequence that would clear the screen and set the
    // terminal's title (XML carries it as character references).
    write_file(phone / "SMSBackupRestore" / "sms-20261201.xml",
               "<?xml version='1.0' encoding='UTF-8'?>\n<smses count=\"1\">"
               "<sms protocol=\"0\" address=\"&#27;[2J&#27;]0;pwned&#7;+46701234567\" "
               "date=\"1795158600000\" type=\"1\" read=\"1\" status=\"-1\" "
               "contact_name=\"&#27;[31mKarin\" "
               "body=\"Bengts personnummer 450411-8359\" /></smses>\n");
    const auto scan = run_process(
        {dockscan_exe(), "scan", phone.string(), "--store", cli.store, "--key-file", cli.key});
    REQUIRE(scan.exit_code == 0);
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"findings"}, {"findings", "--json"}}) {
        std::vector<std::string> command = {dockscan_exe()};
        command.insert(command.end(), args.begin(), args.end());
        for (const char* a : {"--store", cli.store.c_str(), "--key-file", cli.key.c_str()}) {
            command.emplace_back(a);
        }
        const auto shown = run_process(command);
        CAPTURE(args, shown.out);
        CHECK(shown.exit_code == 0);
        CHECK(shown.out.find("450411-****") != std::string::npos);
        CHECK(shown.out.find('\x1b') == std::string::npos);
        CHECK(shown.out.find('\x07') == std::string::npos);
    }
}

TEST_CASE("init makes the store and its key readable by their owner only") {
    CliStore cli;
    CHECK(CliStore::mode_of(cli.store) == 0600u);
    CHECK(CliStore::mode_of(cli.key) == 0600u);
    CHECK(dockscan::testing::read_file(cli.key).size() == 32);
    const auto again =
        run_process({dockscan_exe(), "init", "--store", cli.store, "--key-file", cli.key});
    CHECK(again.exit_code == 2);
    CHECK(again.err.find("exists already") != std::string::npos);
}

TEST_CASE("a wrong key, a missing store or a loose key file is refused with exit 2") {
    CliStore cli;
    TempDir other;
    const std::string other_key = (other / "other.key").string();
    REQUIRE(run_process({dockscan_exe(), "init", "--store", (other / "x.db").string(), "--key-file",
                         other_key})
                .exit_code == 0);

    const auto wrong =
        run_process({dockscan_exe(), "findings", "--store", cli.store, "--key-file", other_key});
    CHECK(wrong.exit_code == 2);
    CHECK(wrong.err == "dockscan: cannot open store: wrong key or not a dockscan store\n");
    CHECK(wrong.out.empty());

    const auto missing = run_process({dockscan_exe(), "findings", "--store",
                                      (cli.tmp / "nope.db").string(), "--key-file", cli.key});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("nope.db") != std::string::npos);

    REQUIRE(::chmod(cli.key.c_str(), 0644) == 0);
    const auto loose =
        run_process({dockscan_exe(), "findings", "--store", cli.store, "--key-file", cli.key});
    CHECK(loose.exit_code == 2);
    CHECK(loose.err.find("chmod 600") != std::string::npos);
}

TEST_CASE("a key file that is a FIFO is refused at once, not waited on") {
    CliStore cli;
    const auto fifo = cli.tmp / "store.fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const auto r = run_process(
        {dockscan_exe(), "findings", "--store", cli.store, "--key-file", fifo.string()});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("is not a regular file") != std::string::npos);
}

TEST_CASE("the key can come from a systemd credential") {
    CliStore cli;
    TempDir creds;
    std::filesystem::copy_file(cli.key, creds / "dockscan-store-key");
    ::chmod((creds / "dockscan-store-key").c_str(), 0600);
    const auto r = run_process({dockscan_exe(), "findings", "--store", cli.store, "--json"}, "",
                               {{"CREDENTIALS_DIRECTORY", creds.path().string()}});
    CHECK(r.exit_code == 0);
    CHECK(r.out == "[]\n");
}

TEST_CASE("a source that does not exist is a failed scan, recorded, exit 1") {
    CliStore cli;
    const auto r = run_process({dockscan_exe(), "scan", (cli.tmp / "gone").string(), "--store",
                                cli.store, "--key-file", cli.key, "--json"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("no such file or folder") != std::string::npos);
}

TEST_CASE("a store in a missing folder is a clear configuration error") {
    TempDir tmp;
    const auto r = run_process({dockscan_exe(), "init", "--store",
                                (tmp / "no" / "such" / "dir" / "s.db").string(), "--key-file",
                                (tmp / "k").string()});
    CHECK(r.exit_code == 2);
    CHECK(r.err.rfind("dockscan: ", 0) == 0);
    CHECK(r.err.find("no/such/dir") != std::string::npos);
    // The key made for a store that could not be made is not left behind.
    CHECK_FALSE(std::filesystem::exists(tmp / "k"));
}

TEST_CASE("init on an existing store makes no new key file") {
    CliStore cli;
    const auto fresh = cli.tmp / "fresh.key";
    const auto r =
        run_process({dockscan_exe(), "init", "--store", cli.store, "--key-file", fresh.string()});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("exists already") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(fresh));
}

TEST_CASE("without --store the station's config names the store and its key") {
    CliStore cli;
    const auto config = cli.tmp / "dockscan.toml";
    write_file(config, "[store]\npath = \"" + cli.store + "\"\nkey_file = \"" + cli.key +
                           "\"\n\n[[slots]]\nport = \"1-1.1\"\nnumber = 1\nlabel = "
                           "\"Plats 1\"\n");
    const auto listed =
        run_process({dockscan_exe(), "findings", "--config", config.string(), "--json"});
    CHECK(listed.exit_code == 0);
    CHECK(listed.out == "[]\n");
    const auto units = run_process({dockscan_exe(), "units", "add", "Hemtjänst Väst", "--area",
                                    "Hemtjänst", "--config", config.string()});
    CHECK(units.exit_code == 0);
    // --store still wins over the config.
    const auto missing =
        run_process({dockscan_exe(), "findings", "--config", config.string(), "--store",
                     (cli.tmp / "other.db").string(), "--key-file", cli.key});
    CHECK(missing.exit_code == 2);
    // A store that is not there says how to make one.
    CHECK(missing.err.find("dockscan init") != std::string::npos);
    // A broken config names its file and line.
    write_file(config, "[store]\npath = 7\n");
    const auto broken = run_process({dockscan_exe(), "findings", "--config", config.string()});
    CHECK(broken.exit_code == 2);
    CHECK(broken.err.find("dockscan.toml:2") != std::string::npos);
}

TEST_CASE("a mistyped command is named with the nearest one") {
    const auto top = run_process({dockscan_exe(), "scna", "phone"});
    CHECK(top.exit_code == 2);
    CHECK(top.err.find("unknown command 'scna'") != std::string::npos);
    CHECK(top.err.find("did you mean 'scan'") != std::string::npos);
    const auto nested = run_process({dockscan_exe(), "phones", "lst"});
    CHECK(nested.exit_code == 2);
    CHECK(nested.err.find("did you mean 'list'") != std::string::npos);
    const auto far = run_process({dockscan_exe(), "zzzzzz"});
    CHECK(far.exit_code == 2);
    CHECK(far.err.find("commands: init,") != std::string::npos);
}

TEST_CASE("slots without a running station says where to look") {
    TempDir tmp;
    const auto r =
        run_process({dockscan_exe(), "slots", "--socket", (tmp / "status.sock").string()});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("systemctl status dockscan") != std::string::npos);
}

TEST_CASE("the demo scans the demo phone, shows masked findings and leaves no clear text") {
    TempDir tmp;
    const auto dir = tmp / "demo";
    const auto r = run_process({dockscan_exe(), "demo", "--dir", dir.string()});
    REQUIRE(r.exit_code == 0);
    for (const std::string& number : dockscan::agent::demo_identity_numbers()) {
        const std::string masked = number.substr(2, 6) + "-****";
        CHECK(r.out.find(masked) != std::string::npos);
        // Neither the full number nor its last four digits appear anywhere.
        CHECK(r.out.find(number.substr(2, 6) + "-" + number.substr(8)) == std::string::npos);
    }
    CHECK(r.out.find("Second scan: complete") != std::string::npos);

    // A newcomer sees the loop: the findings are open, a supervisor and a quality lead can
    // log in with the passwords printed once, and the command that opens the UI is there.
    CHECK(r.out.find("serve --store " + (dir / "dockscan.db").string() + " --key-file " +
                     (dir / "store.key").string()) != std::string::npos);
    {
        auto key = dockscan::agent::StoreKey::from_file(dir / "store.key");
        REQUIRE(key);
        auto store = dockscan::agent::Store::open(dir / "dockscan.db", *key,
                                                  dockscan::agent::OpenMode::existing);
        REQUIRE(store);
        const auto all = store->findings();
        REQUIRE(all);
        CHECK(all->size() >= 5);
        auto reviews = store->database().prepare("SELECT count(*) FROM reviews");
        REQUIRE(reviews);
        REQUIRE(reviews->step().value());
        CHECK(reviews->column_int(0) == 0);
        for (const std::string name : {"demo.chef", "demo.kvalitet"}) {
            const auto at = r.out.find(name + " ");
            REQUIRE(at != std::string::npos);
            const auto word = r.out.find("password ", at);
            REQUIRE(word != std::string::npos);
            const std::string password = r.out.substr(word + 9, 19);
            const auto user = dockscan::agent::users::credentials(*store, name);
            REQUIRE(user);
            REQUIRE(*user);
            CHECK(dockscan::agent::users::verify_password((*user)->password_hash, password));
            CHECK_FALSE(dockscan::agent::users::verify_password((*user)->password_hash, "x"));
        }
    }

    std::string stored = read_file(dir / "dockscan.db");
    if (std::filesystem::exists(dir / "dockscan.db-wal")) {
        stored += read_file(dir / "dockscan.db-wal");
    }
    CHECK(stored.find("SQLite format 3") == std::string::npos);
    // Nothing in clear from the messages, nor from the photographed medication list.
    for (const char* clear :
         {"-****", "personnummer", "Demotelefon", "Bengt", "8359", "Elsa", "Alvedon", "2660"}) {
        CHECK(stored.find(clear) == std::string::npos);
    }
    // A second run replaces the demo it made before.
    CHECK(run_process({dockscan_exe(), "demo", "--dir", dir.string()}).exit_code == 0);
}

TEST_CASE("every identity number in the demo phone is one of Skatteverket's test numbers") {
    const auto dir = dockscan::testing::conformance_dir() / "personnummer-meta";
    const Json pins = Json::parse(read_file(dir / "allPins.json"));
    const Json coords = Json::parse(read_file(dir / "allCoords.json"));
    std::set<std::string> published;
    for (const Json& p : pins) {
        published.insert(p.get<std::string>());
    }
    for (const Json& c : coords) {
        published.insert(c.get<std::string>());
    }
    for (const std::string& number : dockscan::agent::demo_identity_numbers()) {
        CHECK(published.count(number) == 1);
    }
}

TEST_CASE("status tells the admin what is up and what is not, with the exit code") {
    CliStore cli;
    const auto config = cli.tmp / "dockscan.toml";
    const auto socket = cli.tmp / "status.sock";
    write_file(config, "[store]\npath = \"" + cli.store + "\"\nkey_file = \"" + cli.key +
                           "\"\n\n[status]\nsocket = \"" + socket.string() +
                           "\"\n\n[[slots]]\nport = \"1-1.1\"\nnumber = 1\nlabel = \"Plats 1\"\n");
    // No station runs here: the slots do not answer, so the exit code says so.
    const auto r = run_process({dockscan_exe(), "status", "--config", config.string()});
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("slots         not answering on " + socket.string()) != std::string::npos);
    CHECK(r.out.find("schema version 11") != std::string::npos);
    CHECK(r.out.find("last docking  none recorded") != std::string::npos);
    CHECK(r.out.find("audit anchor") != std::string::npos);

    const auto json =
        run_process({dockscan_exe(), "status", "--config", config.string(), "--json"});
    CHECK(json.exit_code == 1);
    const Json status = Json::parse(json.out);
    CHECK(status["healthy"] == false);
    CHECK(status["slots"].is_null());
    CHECK(status["store"]["path"] == cli.store);
    CHECK(status["store"]["schema_version"] == 11);

    // The station's real status socket, with two idle slots: they answer.
    using namespace dockscan::agent::daemon;
    StatusBoard board({SlotStatus{1, "Plats 1", "1-1.1", SlotState::idle, {}, 0, 0, {}},
                       SlotStatus{2, "Plats 2", "1-1.2", SlotState::idle, {}, 0, 0, {}}});
    auto server = StatusServer::start(socket, board);
    REQUIRE(server);
    const auto answering = run_process({dockscan_exe(), "status", "--config", config.string()});
    CHECK(answering.out.find("slots         2 answering, 2 × " +
                             slot_text(SlotStatus{1, "", "", SlotState::idle, {}, 0, 0, {}})) !=
          std::string::npos);
    // No systemd service on this machine: still not healthy.
    CHECK(answering.exit_code == 1);
    CHECK(answering.out.find("service       dockscan.service: ") != std::string::npos);
}
