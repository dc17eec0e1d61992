// A folder that holds an `adb backup` archive (an AndroidQF acquisition folder): the
// folder source must name the archive, not scan the folder's .txt files and say
// "complete" as if the phone had no messages.

#include "docking/android/android_backup_source.hpp"
#include "docking/folder_source.hpp"
#include "tests/docking/android/ab_writer.hpp"
#include "tests/docking/android/telephony_fixture.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

using namespace dockscan::docking;
using namespace dockscan::testing;

namespace {

using Recorder = CollectedItems;

} // namespace

TEST_CASE("an AndroidQF folder names its backup.ab", "[nested_source]") {
    TempDir tmp;
    const auto folder = tmp / "a1b2c3d4-acquisition";
    // AndroidQF's layout: acquisition.json, backup.ab, and text dumps of the phone.
    write_file(folder / "acquisition.json", R"({"uuid": "a1b2c3d4", "android_qf_version": "1.5"})");
    write_file(folder / "getprop.txt", "[ro.product.model]: [Pixel 7]\n");
    {
        AbWriter w(folder / "backup.ab", AbOptions{});
        w.add_file("apps/com.android.providers.telephony/_manifest",
                   "1\n30\ncom.android.providers.telephony\n");
        w.finish();
    }
    auto source = FolderSource::open(folder);
    REQUIRE(source);
    Recorder r;
    REQUIRE((*source)->list(r, {}));
    CHECK(r.items.size() == 1); // getprop.txt, a note
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].ref == "backup.ab");
    CHECK(r.problems[0].code == ErrorCode::nested_source);
    CHECK(r.problems[0].reason ==
          "this folder holds an Android backup (adb backup) in backup.ab: scan that file");
    REQUIRE((*source)->nested_sources().size() == 1);
    const NestedSource& nested = (*source)->nested_sources()[0];
    CHECK(nested.kind == NestedKind::android_backup);
    CHECK(android::AndroidBackupSource::open(nested.path, std::nullopt));
}
