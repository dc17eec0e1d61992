#include "docking/android/ab_archive.hpp"
#include "tests/docking/android/ab_writer.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

using namespace dockscan::docking;
using namespace dockscan::docking::android;
using dockscan::testing::AbOptions;
using dockscan::testing::AbWriter;
using dockscan::testing::ChecksumStyle;
using dockscan::testing::TempDir;

namespace {

const std::string k_long_name = "apps/com.example.notes/f/" + std::string(120, 'n') + ".txt";

// A small archive with a folder, two files and a name longer than ustar's 100 bytes.
void write_sample(const std::filesystem::path& path, AbOptions options) {
    AbWriter w(path, std::move(options));
    w.add_directory("apps/com.example.notes/");
    w.add_file("apps/com.example.notes/_manifest", "1\n23\ncom.example.notes\n");
    w.add_file("apps/com.example.notes/f/note.txt", "Ring Maria om tiden, 198001022386\n");
    w.add_file(k_long_name, std::string(1000, 'x'));
    w.finish();
}

struct Listing {
    std::map<std::string, std::string> files; // name -> content (regular files only)
    std::vector<std::string> names;           // every entry, in order
};

Expected<Listing> read_all(const std::filesystem::path& path,
                           const std::optional<std::string>& password, AbLimits limits = {}) {
    DOCKSCAN_TRY_ASSIGN(FileStream file, FileStream::open(path));
    DOCKSCAN_TRY_ASSIGN(const AbArchive archive, AbArchive::open(file, password, limits));
    Listing listing;
    const auto result =
        archive.read_entries(file,
                             [&](AbEntry& entry) -> Expected<void> {
                                 listing.names.push_back(entry.name());
                                 if (entry.regular()) {
                                     auto content = entry.read();
                                     listing.files[entry.name()] =
                                         content ? *content : "<" + content.error().message + ">";
                                 }
                                 return {};
                             },
                             {});
    if (!result) {
        return tl::unexpected(result.error());
    }
    return listing;
}

std::string run(const std::string& command) {
    std::string out;
    std::FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) {
        out.append(buf, n);
    }
    const int status = pclose(pipe);
    INFO(command << "\n" << out);
    REQUIRE(status == 0);
    return out;
}

void require_tool(const std::string& tool, const std::string& package) {
    INFO(tool << " is needed for this test (Debian package " << package << ")");
    REQUIRE(std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0);
}

} // namespace

TEST_CASE("every variant of the format reads back the same entries", "[ab_archive]") {
    const auto [version, compressed, password] =
        GENERATE(table<int, bool, std::optional<std::string>>({
            {5, false, std::nullopt},
            {5, true, std::nullopt},
            {1, true, std::nullopt},
            {5, true, std::string("hemtjänst-2026")},
            {5, false, std::string("hemtjänst-2026")},
            {1, true, std::string("secret")},
            {2, true, std::string("secret")},
            {4, false, std::string("secret")},
        }));
    TempDir tmp;
    write_sample(tmp / "b.ab",
                 {.version = version, .compressed = compressed, .password = password});

    const auto listing = read_all(tmp / "b.ab", password);
    REQUIRE(listing);
    CHECK(listing->names ==
          std::vector<std::string>{"apps/com.example.notes/", "apps/com.example.notes/_manifest",
                                   "apps/com.example.notes/f/note.txt", k_long_name});
    CHECK(listing->files.at("apps/com.example.notes/f/note.txt") ==
          "Ring Maria om tiden, 198001022386\n");
    CHECK(listing->files.at(k_long_name) == std::string(1000, 'x'));
}

TEST_CASE("an encrypted backup needs the right password", "[ab_archive]") {
    TempDir tmp;
    write_sample(tmp / "b.ab", {.password = std::string("rätt lösen")});

    const auto none = read_all(tmp / "b.ab", std::nullopt);
    REQUIRE_FALSE(none);
    CHECK(none.error().code == ErrorCode::password_needed);
    CHECK(none.error().message == "encrypted backup: password needed");

    const auto wrong = read_all(tmp / "b.ab", std::string("fel lösen"));
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == ErrorCode::wrong_password);
    CHECK(wrong.error().message == "wrong backup password");

    // A password given for a plain backup is not needed and does no harm.
    write_sample(tmp / "plain.ab", {});
    CHECK(read_all(tmp / "plain.ab", std::string("anything")));
}

TEST_CASE("the master key checksum follows the format version", "[ab_archive]") {
    // Version 1 checksums the raw key bytes, later versions their Java UTF-8 form.
    // Android refuses a checksum of the other kind, and so do we.
    const auto [version, style, accepted] = GENERATE(table<int, ChecksumStyle, bool>({
        {1, ChecksumStyle::raw_bytes, true},
        {1, ChecksumStyle::java_utf8, false},
        {5, ChecksumStyle::java_utf8, true},
        {5, ChecksumStyle::raw_bytes, false},
        {3, ChecksumStyle::raw_bytes, false},
    }));
    TempDir tmp;
    write_sample(tmp / "b.ab",
                 {.version = version, .password = std::string("pw"), .checksum = style});
    const auto listing = read_all(tmp / "b.ab", std::string("pw"));
    CHECK(static_cast<bool>(listing) == accepted);
    if (!accepted) {
        CHECK(listing.error().code == ErrorCode::wrong_password);
    }
}

TEST_CASE("a truncated archive keeps the entries before the cut and says why", "[ab_archive]") {
    const auto [compressed, password] = GENERATE(table<bool, std::optional<std::string>>({
        {true, std::nullopt},
        {false, std::nullopt},
        {true, std::string("pw")},
    }));
    TempDir tmp;
    {
        AbWriter w(tmp / "b.ab", {.compressed = compressed, .password = password});
        w.add_file("apps/a/f/first.txt", "first");
        // Incompressible content, so that the cut lands inside this entry.
        std::string noise;
        for (std::uint32_t x = 1; noise.size() < 200'000;) {
            x = x * 1'664'525u + 1'013'904'223u;
            noise += static_cast<char>(x >> 24);
        }
        w.add_file("apps/a/f/second.bin", noise);
        w.add_file("apps/a/f/third.txt", "third");
        w.finish();
    }
    std::filesystem::resize_file(tmp / "b.ab", std::filesystem::file_size(tmp / "b.ab") / 2);

    std::vector<std::string> seen;
    FileStream file = FileStream::open(tmp / "b.ab").value();
    const AbArchive archive = AbArchive::open(file, password).value();
    const auto result =
        archive.read_entries(file,
                             [&](AbEntry& entry) -> Expected<void> {
                                 auto content = entry.read();
                                 seen.push_back(entry.name() + (content ? "" : " (failed)"));
                                 CHECK((content.has_value() || entry.archive_failed()));
                                 return {};
                             },
                             {});
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::malformed);
    CHECK_THAT(result.error().message, Catch::Contains("truncated"));
    CHECK(seen == std::vector<std::string>{"apps/a/f/first.txt", "apps/a/f/second.bin (failed)"});
}

TEST_CASE("a compression bomb is stopped at the size limit with a reason", "[ab_archive]") {
    TempDir tmp;
    {
        // 1 GiB of zeros is about 1 MiB compressed; generated piece by piece.
        AbWriter w(tmp / "bomb.ab", {.compressed = true});
        w.add_file("apps/a/f/before.txt", "kept");
        constexpr std::uint64_t k_size = std::uint64_t{1} << 30;
        w.begin_file("apps/a/f/zeros.bin", k_size);
        const std::string chunk(1u << 20, '\0');
        for (std::uint64_t done = 0; done < k_size; done += chunk.size()) {
            w.write(chunk);
        }
        w.end_file();
        w.finish();
    }
    CHECK(std::filesystem::file_size(tmp / "bomb.ab") < (4u << 20));

    const auto listing = read_all(tmp / "bomb.ab", std::nullopt, {.max_total_bytes = 64u << 20});
    REQUIRE_FALSE(listing);
    CHECK(listing.error().code == ErrorCode::too_large);
    CHECK_THAT(listing.error().message, Catch::Contains("expands beyond the limit of 64 MiB"));
}

TEST_CASE("an uncompressed archive over the size limit is refused as too large", "[ab_archive]") {
    TempDir tmp;
    {
        AbWriter w(tmp / "b.ab", {.compressed = false});
        w.add_file("apps/a/f/big.bin", std::string(3u << 20, 'b'));
        w.finish();
    }
    const auto listing = read_all(tmp / "b.ab", std::nullopt, {.max_total_bytes = 1u << 20});
    REQUIRE_FALSE(listing);
    CHECK(listing.error().code == ErrorCode::too_large);
    CHECK(listing.error().message == "backup archive is larger than the limit of 1 MiB");
}

TEST_CASE("an entry over the per-entry limit is refused alone", "[ab_archive]") {
    TempDir tmp;
    {
        AbWriter w(tmp / "b.ab", {});
        w.add_file("apps/a/f/big.bin", std::string(300'000, 'b'));
        w.add_file("apps/a/f/small.txt", "small");
        w.finish();
    }
    const auto listing = read_all(tmp / "b.ab", std::nullopt, {.max_entry_bytes = 100'000});
    REQUIRE(listing);
    CHECK_THAT(listing->files.at("apps/a/f/big.bin"), Catch::Contains("larger than the limit"));
    CHECK(listing->files.at("apps/a/f/small.txt") == "small");
}

TEST_CASE("an archive with too many entries is stopped", "[ab_archive]") {
    TempDir tmp;
    {
        AbWriter w(tmp / "b.ab", {});
        for (int i = 0; i < 20; ++i) {
            w.add_file("apps/a/f/" + std::to_string(i), "x");
        }
        w.finish();
    }
    const auto listing = read_all(tmp / "b.ab", std::nullopt, {.max_entries = 10});
    REQUIRE_FALSE(listing);
    CHECK(listing.error().code == ErrorCode::too_large);
}

TEST_CASE("entry names that climb out are strings, never paths", "[ab_archive]") {
    TempDir tmp;
    const auto work = tmp / "work";
    std::filesystem::create_directories(work);
    {
        AbWriter w(tmp / "b.ab", {});
        w.add_file("../../escaped.txt", "out");
        w.add_file("/etc/dockscan-absolute.txt", "abs");
        w.add_file("apps/a/../../../escaped2.txt", "out");
        w.finish();
    }
    const auto cwd = std::filesystem::current_path();
    std::filesystem::current_path(work);
    const auto listing = read_all(tmp / "b.ab", std::nullopt);
    std::filesystem::current_path(cwd);
    REQUIRE(listing);
    CHECK(listing->files.at("../../escaped.txt") == "out");
    CHECK(std::filesystem::is_empty(work));
    CHECK_FALSE(std::filesystem::exists(tmp.path().parent_path() / "escaped.txt"));
    CHECK_FALSE(std::filesystem::exists("/etc/dockscan-absolute.txt"));
}

TEST_CASE("plain fixtures are what GNU tar reads", "[ab_archive][real-tool]") {
    TempDir tmp;
    const auto path = tmp / "b.ab";
    AbWriter w(path, {.compressed = false});
    w.add_file("apps/com.example.notes/f/note.txt", "x");
    w.add_file(k_long_name, "y");
    w.finish();
    // "ANDROID BACKUP\n5\n0\nnone\n" is 24 bytes; the tar stream starts at byte 25.
    CHECK(w.header_size() == 24);
    const std::string names = run("tail -c +25 '" + path.string() + "' | tar -t");
    CHECK(names == "apps/com.example.notes/f/note.txt\n" + k_long_name + "\n");
}

TEST_CASE("compressed fixtures are what zlib-flate and tar read", "[ab_archive][real-tool]") {
    require_tool("zlib-flate", "qpdf");
    TempDir tmp;
    const auto path = tmp / "b.ab";
    AbWriter w(path, {.compressed = true});
    w.add_file("apps/com.android.providers.telephony/d_f/000000_sms_backup", "x");
    w.finish();
    const std::string names = run("tail -c +" + std::to_string(w.header_size() + 1) + " '" +
                                  path.string() + "' | zlib-flate -uncompress | tar -t");
    CHECK(names == "apps/com.android.providers.telephony/d_f/000000_sms_backup\n");
}

TEST_CASE("encrypted fixtures are what openssl, zlib-flate and tar read",
          "[ab_archive][real-tool]") {
    require_tool("zlib-flate", "qpdf");
    require_tool("openssl", "openssl");
    TempDir tmp;
    const auto path = tmp / "b.ab";
    AbWriter w(path, {.compressed = true, .password = std::string("pw")});
    w.add_file("apps/a/f/note.txt", "hello");
    w.finish();
    const std::string content =
        run("tail -c +" + std::to_string(w.header_size() + 1) + " '" + path.string() +
            "' | openssl enc -d -aes-256-cbc -K " + w.master_key_hex() + " -iv " +
            w.master_iv_hex() + " | zlib-flate -uncompress | tar -xO");
    CHECK(content == "hello");
}
