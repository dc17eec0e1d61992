#include "docking/android/telephony_backup.hpp"
#include "tests/docking/android/ab_writer.hpp"
#include "tests/docking/android/telephony_fixture.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace dockscan::docking;
using namespace dockscan::docking::android;
using namespace dockscan::testing;

namespace {

constexpr std::uint64_t k_limit = 64u << 20;

} // namespace

TEST_CASE("only the telephony agent's own files are message files", "[telephony]") {
    const auto [name, kind] = GENERATE(table<std::string, std::optional<MessageKind>>({
        {"apps/com.android.providers.telephony/d_f/000000_sms_backup", MessageKind::sms},
        {"apps/com.android.providers.telephony/d_f/000001_mms_backup", MessageKind::mms},
        {"apps/com.android.providers.telephony/f/000002_sms_backup", MessageKind::sms},
        {"apps/com.android.providers.telephony/_manifest", std::nullopt},
        {"apps/com.android.providers.telephony/d_f/_sms_backup", std::nullopt},
        {"apps/com.android.providers.telephony/d_f/x/000000_sms_backup", std::nullopt},
        {"apps/com.android.providers.telephony/d_f/../000000_sms_backup", std::nullopt},
        {"apps/com.android.providers.telephony/db/000000_sms_backup", std::nullopt},
        {"apps/com.example.fake/d_f/000000_sms_backup", std::nullopt},
        {"../apps/com.android.providers.telephony/d_f/000000_sms_backup", std::nullopt},
        {"apps/com.android.providers.telephony/d_f/000000_sms_backup.bak", std::nullopt},
    }));
    CHECK(telephony_file_kind(name) == kind);
}

TEST_CASE("SMS in the agent's format become messages with direction and time", "[telephony]") {
    const std::string file = sms_backup_file({
        {"+46701740605", "Hej! Kan du komma 14:00? Pnr 19800102-2386", 1'795'000'000'123, 1},
        {"+46701740606", "Ok, jag kommer.", 1'795'000'100'000, 2},
        {"+46701740607", "Åäö 😀", 1'795'000'200'000, 5},
    });
    const auto parsed = parse_telephony_file(MessageKind::sms, file, k_limit);
    REQUIRE(parsed);
    REQUIRE(parsed->messages.size() == 3);
    CHECK(parsed->skipped == 0);
    const BackupMessage& first = parsed->messages[0];
    CHECK(first.kind == MessageKind::sms);
    CHECK(first.direction == MessageDirection::received);
    CHECK(first.address == "+46701740605");
    CHECK(first.body == "Hej! Kan du komma 14:00? Pnr 19800102-2386");
    CHECK(first.unix_seconds == 1'795'000'000);
    CHECK(first.date == "1795000000123");
    CHECK(parsed->messages[1].direction == MessageDirection::sent);
    CHECK(parsed->messages[2].direction == MessageDirection::sent); // failed to send
    CHECK(parsed->messages[2].body == "Åäö 😀");
}

TEST_CASE("MMS name the sender when received and the recipient when sent", "[telephony]") {
    const std::string file = mms_backup_file({
        {"+46701740610", {"+46701740699"}, "", "Bild på medicinlistan", 1'795'000'000, 1},
        {"+46701740699",
         {"+46701740611", "+46701740612"},
         "Kallelse",
         "Se bifogat",
         1'795'000'500,
         2},
    });
    const auto parsed = parse_telephony_file(MessageKind::mms, file, k_limit);
    REQUIRE(parsed);
    REQUIRE(parsed->messages.size() == 2);
    CHECK(parsed->messages[0].direction == MessageDirection::received);
    CHECK(parsed->messages[0].address == "+46701740610");
    CHECK(parsed->messages[0].body == "Bild på medicinlistan");
    CHECK(parsed->messages[0].unix_seconds == 1'795'000'000);
    CHECK(parsed->messages[1].direction == MessageDirection::sent);
    CHECK(parsed->messages[1].address == "+46701740611");
    CHECK(parsed->messages[1].body == "Kallelse\nSe bifogat");
}

TEST_CASE("values written as JSON numbers are read too", "[telephony]") {
    const std::string json =
        R"([{"address":"+46701740620","body":"x","date":1795000000000,"type":2}])";
    const auto parsed = parse_telephony_file(MessageKind::sms, zlib_compress(json), k_limit);
    REQUIRE(parsed);
    REQUIRE(parsed->messages.size() == 1);
    CHECK(parsed->messages[0].unix_seconds == 1'795'000'000);
    CHECK(parsed->messages[0].direction == MessageDirection::sent);
}

TEST_CASE("elements that are no readable message are counted, the rest kept", "[telephony]") {
    const std::string json =
        R"([1, "text", {"address":"+46701740621"}, {"body":{"nested":true}},)"
        R"( {"address":"+46701740622","body":"kept","date":"1795000000000","type":"1"}])";
    const auto parsed = parse_telephony_file(MessageKind::sms, zlib_compress(json), k_limit);
    REQUIRE(parsed);
    CHECK(parsed->skipped == 4);
    REQUIRE(parsed->messages.size() == 1);
    CHECK(parsed->messages[0].body == "kept");
}

TEST_CASE("invalid UTF-8 in one message is replaced, not fatal", "[telephony]") {
    const std::string json = "[{\"address\":\"+46701740623\",\"body\":\"a\xff"
                             "b\",\"type\":\"1\"}]";
    const auto parsed = parse_telephony_file(MessageKind::sms, zlib_compress(json), k_limit);
    REQUIRE(parsed);
    REQUIRE(parsed->messages.size() == 1);
    CHECK(parsed->messages[0].body == "a\xef\xbf\xbd"
                                      "b");
}

TEST_CASE("broken message files are errors with a reason", "[telephony]") {
    const auto [data, code, reason] = GENERATE(table<std::string, ErrorCode, std::string>({
        {"not zlib at all", ErrorCode::malformed, "damaged"},
        {zlib_compress("[{\"body\":\"x\"}]").substr(0, 8), ErrorCode::malformed, "truncated"},
        {zlib_compress("[{\"body\":"), ErrorCode::malformed, "not valid JSON"},
        {zlib_compress("{\"body\":\"x\"}"), ErrorCode::malformed, "not a JSON array"},
        {zlib_compress(std::string(100'000, '[') + std::string(100'000, ']')), ErrorCode::malformed,
         "deeper"},
    }));
    const auto parsed = parse_telephony_file(MessageKind::sms, data, k_limit);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == code);
    CHECK_THAT(parsed.error().message, Catch::Contains(reason));
}

TEST_CASE("a message file that inflates without end is stopped", "[telephony]") {
    // 256 MiB of spaces is a quarter MiB compressed: a ratio of 1000 to 1.
    const std::string bomb = zlib_compress_repeated(' ', std::uint64_t{256} << 20);
    CHECK(bomb.size() < (1u << 20));
    const auto parsed = parse_telephony_file(MessageKind::sms, bomb, 16u << 20);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == ErrorCode::too_large);
    CHECK_THAT(parsed.error().message, Catch::Contains("16 MiB"));
}
