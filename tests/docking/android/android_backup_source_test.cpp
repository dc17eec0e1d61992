#include "docking/android/android_backup_source.hpp"
#include "tests/docking/android/ab_writer.hpp"
#include "tests/docking/android/telephony_fixture.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

using namespace dockscan::docking;
using namespace dockscan::docking::android;
using namespace dockscan::testing;

namespace {

// 2026-11-20 14:02 and 2026-11-21 09:15 in Sweden (CET, UTC+1).
constexpr std::int64_t k_nov20_1402 = 1'795'179'720;
constexpr std::int64_t k_nov21_0915 = 1'795'248'900;

const std::string k_sms_name = std::string(k_telephony_dir) + "000000_sms_backup";
const std::string k_mms_name = std::string(k_telephony_dir) + "000001_mms_backup";

const std::vector<SmsFixture> k_sms = {
    {"+46701740605", "Hej, här är pnr till Elsa: 198001022386", k_nov20_1402 * 1000, 1},
    {"+46 70 174 06 06", "Tack, jag tar med journalen.", k_nov21_0915 * 1000, 2},
};
const std::vector<MmsFixture> k_mms = {
    {"+46701740610", {"+46701740699"}, "Sår", "Bild på såret i morse", k_nov21_0915, 1},
};

using Recorder = CollectedItems;

void write_backup(const std::filesystem::path& path, AbOptions options,
                  const std::vector<std::pair<std::string, std::string>>& extra = {}) {
    AbWriter w(path, std::move(options));
    w.add_file("apps/com.android.providers.telephony/_manifest",
               "1\n30\ncom.android.providers.telephony\n");
    w.add_file(k_sms_name, sms_backup_file(k_sms));
    w.add_file(k_mms_name, mms_backup_file(k_mms));
    for (const auto& [name, content] : extra) {
        w.add_file(name, content);
    }
    w.finish();
}

struct SwedishTime {
    SwedishTime() {
        setenv("TZ", "Europe/Stockholm", 1);
        tzset();
    }
};

} // namespace

TEST_CASE("messages of a backup are listed and read", "[android_backup]") {
    const SwedishTime tz;
    const auto password = GENERATE(as<std::optional<std::string>>{}, std::nullopt, "lösen ord");
    TempDir tmp;
    write_backup(tmp / "phone.ab", {.password = password});

    auto source = AndroidBackupSource::open(tmp / "phone.ab", password);
    REQUIRE(source);
    CHECK((*source)->describe().kind == "android-backup");
    Recorder sink;
    REQUIRE((*source)->list(sink, {}));
    CHECK(sink.problems.empty());
    REQUIRE(sink.items.size() == 3);

    const ItemInfo& received = sink.items[0];
    CHECK(received.type == ItemType::message);
    CHECK(received.label == "SMS från +46 70\u2026 2026-11-20 14:02");
    CHECK(received.mtime == k_nov20_1402);
    CHECK(received.ref.starts_with("sms:1795179720000:"));
    CHECK(sink.items[1].label == "SMS till +46 70\u2026 2026-11-21 09:15");
    CHECK(sink.items[2].label == "MMS från +46 70\u2026 2026-11-21 09:15");
    CHECK(sink.items[2].ref.starts_with("mms:1795248900:"));
    for (const ItemInfo& item : sink.items) {
        // The ref names no phone number, not even in part.
        CHECK(item.ref.find("174060") == std::string::npos);
        CHECK(item.ref.find("174061") == std::string::npos);
    }

    const auto text = (*source)->read(received);
    REQUIRE(text);
    CHECK(text->kind == ContentKind::text);
    CHECK(text->data == "Hej, här är pnr till Elsa: 198001022386");
    CHECK((*source)->read(sink.items[2])->data == "Sår\nBild på såret i morse");
    CHECK(received.size == text->data.size());
}

TEST_CASE("refs are the same when the same backup is listed again", "[android_backup]") {
    TempDir tmp;
    write_backup(tmp / "a.ab", {});
    write_backup(tmp / "b.ab", {.compressed = false, .password = std::string("pw")});
    Recorder first;
    Recorder second;
    REQUIRE(AndroidBackupSource::open(tmp / "a.ab", std::nullopt).value()->list(first, {}));
    REQUIRE(AndroidBackupSource::open(tmp / "b.ab", std::string("pw")).value()->list(second, {}));
    REQUIRE(first.items.size() == second.items.size());
    for (std::size_t i = 0; i < first.items.size(); ++i) {
        CHECK(first.items[i].ref == second.items[i].ref);
    }
}

TEST_CASE("an encrypted backup without the right password is refused at open", "[android_backup]") {
    TempDir tmp;
    write_backup(tmp / "phone.ab", {.password = std::string("rätt")});
    const auto none = AndroidBackupSource::open(tmp / "phone.ab", std::nullopt);
    REQUIRE_FALSE(none);
    CHECK(none.error().code == ErrorCode::password_needed);
    CHECK(none.error().message == "encrypted backup: password needed");
    const auto wrong = AndroidBackupSource::open(tmp / "phone.ab", std::string("fel"));
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == ErrorCode::wrong_password);
    CHECK(wrong.error().message == "wrong backup password");
}

TEST_CASE("files that are missing or no backup are refused at open", "[android_backup]") {
    TempDir tmp;
    write_file(tmp / "notes.txt", "hello");
    CHECK(AndroidBackupSource::open(tmp / "missing.ab", std::nullopt).error().code ==
          ErrorCode::not_found);
    CHECK(AndroidBackupSource::open(tmp / "notes.txt", std::nullopt).error().code ==
          ErrorCode::not_a_source);
}

TEST_CASE("a damaged message file is a problem, the others are listed", "[android_backup]") {
    TempDir tmp;
    const std::string bad_json = std::string(k_telephony_dir) + "000002_sms_backup";
    const std::string bad_zlib = std::string(k_telephony_dir) + "000003_mms_backup";
    write_backup(tmp / "phone.ab", {},
                 {{bad_json, zlib_compress("[{\"body\": \"cut")}, {bad_zlib, "not zlib"}});
    auto source = AndroidBackupSource::open(tmp / "phone.ab", std::nullopt).value();
    Recorder sink;
    REQUIRE(source->list(sink, {}));
    CHECK(sink.items.size() == 3);
    REQUIRE(sink.problems.size() == 2);
    CHECK(sink.problems[0].ref == bad_json);
    CHECK(sink.problems[0].code == ErrorCode::malformed);
    CHECK(sink.problems[1].ref == bad_zlib);
    CHECK_THAT(sink.problems[1].reason, Catch::Contains("damaged"));
}

TEST_CASE("entries outside the telephony folder are never read as messages", "[android_backup]") {
    TempDir tmp;
    const std::string sms = sms_backup_file({{"+46701740630", "fel plats", 0, 1}});
    write_backup(tmp / "phone.ab", {},
                 {{"../../000000_sms_backup", sms},
                  {"apps/com.android.providers.telephony/d_f/../../x/000009_sms_backup", sms},
                  {"apps/com.evil/d_f/000000_sms_backup", sms}});
    auto source = AndroidBackupSource::open(tmp / "phone.ab", std::nullopt).value();
    Recorder sink;
    REQUIRE(source->list(sink, {}));
    CHECK(sink.items.size() == 3);
    CHECK(sink.problems.empty());
}

TEST_CASE("a truncated backup keeps what was listed and fails with a reason", "[android_backup]") {
    TempDir tmp;
    {
        AbWriter w(tmp / "phone.ab", {});
        w.add_file(k_sms_name, sms_backup_file(k_sms));
        std::string noise;
        for (std::uint32_t x = 7; noise.size() < 300'000;) {
            x = x * 1'664'525u + 1'013'904'223u;
            noise += static_cast<char>(x >> 24);
        }
        w.add_file("apps/com.example.camera/f/photo.jpg", noise);
        w.add_file(k_mms_name, mms_backup_file(k_mms));
        w.finish();
    }
    std::filesystem::resize_file(tmp / "phone.ab",
                                 std::filesystem::file_size(tmp / "phone.ab") / 2);
    auto source = AndroidBackupSource::open(tmp / "phone.ab", std::nullopt).value();
    Recorder sink;
    const auto listed = source->list(sink, {});
    REQUIRE_FALSE(listed);
    CHECK(listed.error().code == ErrorCode::malformed);
    CHECK_THAT(listed.error().message, Catch::Contains("truncated"));
    REQUIRE(sink.items.size() == 2);
    CHECK(source->read(sink.items[0]));
}

TEST_CASE("a compression bomb inside a backup is stopped with a reason", "[android_backup]") {
    TempDir tmp;
    // A message file that inflates to 256 MiB; the whole backup stays small.
    const std::string inner_bomb = zlib_compress_repeated(' ', std::uint64_t{256} << 20);
    write_backup(tmp / "phone.ab", {},
                 {{std::string(k_telephony_dir) + "000005_sms_backup", inner_bomb}});
    AndroidBackupLimits limits;
    limits.max_message_file_bytes = 16u << 20;
    auto source = AndroidBackupSource::open(tmp / "phone.ab", std::nullopt, limits).value();
    Recorder sink;
    REQUIRE(source->list(sink, {}));
    CHECK(sink.items.size() == 3);
    REQUIRE(sink.problems.size() == 1);
    CHECK(sink.problems[0].code == ErrorCode::too_large);
}

TEST_CASE("the same message twice gets two refs", "[android_backup]") {
    TempDir tmp;
    const SmsFixture twice{"+46701740640", "Påminnelse", k_nov20_1402 * 1000, 1};
    {
        AbWriter w(tmp / "phone.ab", {});
        w.add_file(k_sms_name, sms_backup_file({twice, twice}));
        w.finish();
    }
    auto source = AndroidBackupSource::open(tmp / "phone.ab", std::nullopt).value();
    Recorder sink;
    REQUIRE(source->list(sink, {}));
    REQUIRE(sink.items.size() == 2);
    CHECK(sink.items[1].ref == sink.items[0].ref + "#2");
    CHECK(source->read(sink.items[1])->data == "Påminnelse");
}

TEST_CASE("reading what was not listed fails", "[android_backup]") {
    TempDir tmp;
    write_backup(tmp / "phone.ab", {});
    auto source = AndroidBackupSource::open(tmp / "phone.ab", std::nullopt).value();
    ItemInfo unknown{ItemType::message, "sms:1:000000000000", 0, 0, ""};
    const auto content = source->read(unknown);
    REQUIRE_FALSE(content);
    CHECK(content.error().code == ErrorCode::not_found);
}

TEST_CASE("a backup replaced between open and list is noticed", "[android_backup]") {
    TempDir tmp;
    write_backup(tmp / "phone.ab", {.password = std::string("pw")});
    auto source = AndroidBackupSource::open(tmp / "phone.ab", std::string("pw")).value();
    write_backup(tmp / "phone.ab", {.password = std::string("pw")});
    Recorder sink;
    const auto listed = source->list(sink, {});
    REQUIRE_FALSE(listed);
    CHECK_THAT(listed.error().message, Catch::Contains("changed"));
}

TEST_CASE("a stop request ends the listing", "[android_backup]") {
    TempDir tmp;
    write_backup(tmp / "phone.ab", {});
    auto source = AndroidBackupSource::open(tmp / "phone.ab", std::nullopt).value();
    std::stop_source stop;
    stop.request_stop();
    Recorder sink;
    const auto listed = source->list(sink, stop.get_token());
    REQUIRE_FALSE(listed);
    CHECK(listed.error().code == ErrorCode::interrupted);
}
