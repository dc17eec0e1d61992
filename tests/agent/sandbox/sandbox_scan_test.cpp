// `dockscan scan` with its analysis in sandboxed workers (the default): a phone whose
// notes crash a worker, take it over its memory limit, hang it or make it open a socket
// is scanned to its end; those items are recorded as failed with the reason, and what
// the other items held is recorded as findings.

#include "agent/sandbox/sandbox.hpp"
#include "tests/detectors/image/fixtures.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

using namespace dockscan::testing;
using Json = nlohmann::json;

namespace {

// `dockscan scan` of `phone` with the test markers honoured; `wrapper` runs it under
// another program first.
ProcessResult scan_with_triggers(const std::string& store, const std::string& key,
                                 const std::filesystem::path& phone,
                                 std::vector<std::string> wrapper = {}) {
    std::vector<std::string> argv = std::move(wrapper);
    for (const std::string& a :
         {dockscan_exe(), std::string("scan"), phone.string(), std::string("--store"), store,
          std::string("--key-file"), key, std::string("--json"), std::string("--worker-memory"),
          std::string("64"), std::string("--item-timeout"), std::string("2")}) {
        argv.push_back(a);
    }
    return run_process(argv, "", {{dockscan::agent::sandbox::k_test_triggers_env, "1"}});
}

} // namespace

TEST_CASE("dockscan scan goes on past items that end their worker, and says why each failed") {
    TempDir tmp;
    const std::string store = (tmp / "dockscan.db").string();
    const std::string key = (tmp / "store.key").string();
    REQUIRE(run_process({dockscan_exe(), "init", "--store", store, "--key-file", key}).exit_code ==
            0);
    const auto phone = tmp / "phone";
    write_file(phone / "Documents" / "a.txt", "Bengt personnummer 450411-8359");
    write_file(phone / "Documents" / "krasch.txt", "DOCKSCAN-TEST-SANDBOX:crash");
    write_file(phone / "Documents" / "minne.txt", "DOCKSCAN-TEST-SANDBOX:allocate");
    write_file(phone / "Documents" / "seg.txt", "DOCKSCAN-TEST-SANDBOX:hang");
    write_file(phone / "Documents" / "natet.txt", "DOCKSCAN-TEST-SANDBOX:socket");
    write_file(phone / "Documents" / "z.txt", "Till Elsa, pnr 19320102-7723");

    const std::map<std::string, std::string> env = {
        {dockscan::agent::sandbox::k_test_triggers_env, "1"}};
    const auto scan =
        run_process({dockscan_exe(), "scan", phone.string(), "--store", store, "--key-file", key,
                     "--json", "--worker-memory", "64", "--item-timeout", "2"},
                    "", env);
    INFO(scan.err);
    REQUIRE(scan.exit_code == 0);
    const Json summary = Json::parse(scan.out);
    CHECK(summary["status"] == "partial");
    CHECK(summary["items"]["files"] == 6);
    CHECK(summary["findings"] == 2);
    std::map<std::string, std::string> reasons;
    for (const Json& item : summary["failed_items"]) {
        reasons[item["ref"].get<std::string>()] = item["reason"].get<std::string>();
    }
    CHECK(reasons == std::map<std::string, std::string>{
                         {"Documents/krasch.txt", "analysis crashed (SIGSEGV)"},
                         {"Documents/minne.txt", "over the memory limit"},
                         {"Documents/seg.txt", "analysis took too long (over 2 s)"},
                         {"Documents/natet.txt",
                          "analysis crashed (SIGSYS: a system call the sandbox forbids)"}});

    // The findings of the items around them are in the store, masked.
    const auto list =
        run_process({dockscan_exe(), "findings", "--store", store, "--key-file", key, "--json"});
    REQUIRE(list.exit_code == 0);
    std::multiset<std::string> masked;
    for (const Json& f : Json::parse(list.out)) {
        masked.insert(f["masked"].get<std::string>());
    }
    CHECK(masked == std::multiset<std::string>{"450411-****", "320102-****"});

    // The failed items are read again at the next scan: with the workers well, they are
    // analysed (the markers are plain text without the test variable).
    const auto again = run_process(
        {dockscan_exe(), "scan", phone.string(), "--store", store, "--key-file", key, "--json"});
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    const Json second = Json::parse(again.out);
    CHECK(second["status"] == "complete");
    CHECK(second["scanned"] == 4);
}

TEST_CASE("a real photo that needs more memory than a worker may use fails as over the limit") {
    TempDir tmp;
    const std::string store = (tmp / "dockscan.db").string();
    const std::string key = (tmp / "store.key").string();
    REQUIRE(run_process({dockscan_exe(), "init", "--store", store, "--key-file", key}).exit_code ==
            0);
    const auto phone = tmp / "phone";
    // A 12 MP HEIC whose thumbnail claims to be a 32000x32400 grid, so that its primary
    // image is decoded whole by libheif: ~4.8 bytes a pixel at the peak, far more than
    // 16 MB of address space allows. (A 99.99 MP interlaced PNG served here until the
    // back-camera face model stopped running on every photo: the PNG's row-by-row decode
    // fits in 16 MB, and it was that model's first run, whose buffers are allocated under
    // the limit, that went over.)
    namespace ti = dockscan::test_images;
    write_file(phone / "DCIM" / "IMG_0001.HEIC",
               ti::with_claimed_size(ti::scene_photo_heic(4000, 3000, 7), 320, 240, 32000, 32400));
    write_file(phone / "Documents" / "a.txt", "Bengt personnummer 450411-8359");
    const auto tight = run_process({dockscan_exe(), "scan", phone.string(), "--store", store,
                                    "--key-file", key, "--json", "--worker-memory", "16"});
    INFO(tight.err);
    REQUIRE(tight.exit_code == 0);
    const Json summary = Json::parse(tight.out);
    CHECK(summary["status"] == "partial");
    CHECK(summary["findings"] == 1);
    REQUIRE(summary["failed_items"].size() == 1);
    CHECK(summary["failed_items"][0]["ref"] == "DCIM/IMG_0001.HEIC");
    CHECK(summary["failed_items"][0]["reason"] == "over the memory limit");

    // With the default allowance the same photo is analysed.
    const auto roomy = run_process(
        {dockscan_exe(), "scan", phone.string(), "--store", store, "--key-file", key, "--json"});
    INFO(roomy.err);
    REQUIRE(roomy.exit_code == 0);
    const Json second = Json::parse(roomy.out);
    CHECK(second["status"] == "complete");
    CHECK(second["scanned"] == 1);
}

TEST_CASE("where seccomp() is refused, as under the station's unit, the filter still holds") {
    TempDir tmp;
    const std::string store = (tmp / "dockscan.db").string();
    const std::string key = (tmp / "store.key").string();
    REQUIRE(run_process({dockscan_exe(), "init", "--store", store, "--key-file", key}).exit_code ==
            0);
    const auto phone = tmp / "phone";
    write_file(phone / "Documents" / "a.txt", "Bengt personnummer 450411-8359");
    write_file(phone / "Documents" / "natet.txt", "DOCKSCAN-TEST-SANDBOX:socket");
    write_file(phone / "Documents" / "program.txt", "DOCKSCAN-TEST-SANDBOX:exec");
    write_file(phone / "Documents" / "skriva.txt", "DOCKSCAN-TEST-SANDBOX:write");
    const auto scan = scan_with_triggers(store, key, phone, {DOCKSCAN_NO_SECCOMP_EXEC});
    INFO(scan.err);
    REQUIRE(scan.exit_code == 0);
    const Json summary = Json::parse(scan.out);
    CHECK(summary["findings"] == 1);
    std::map<std::string, std::string> reasons;
    for (const Json& item : summary["failed_items"]) {
        reasons[item["ref"].get<std::string>()] = item["reason"].get<std::string>();
    }
    const std::string sigsys = "analysis crashed (SIGSYS: a system call the sandbox forbids)";
    CHECK(reasons == std::map<std::string, std::string>{
                         {"Documents/natet.txt", sigsys},
                         {"Documents/program.txt", sigsys},
                         {"Documents/skriva.txt",
                          "test: opening a file for writing was refused: Permission denied"}});
}
