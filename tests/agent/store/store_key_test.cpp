#include "agent/store/store_key.hpp"
#include "tests/agent/store/store_test_support.hpp"
#include "tests/support/temp_dir.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <optional>
#include <string>
#include <sys/stat.h>

using dockscan::agent::ErrorCode;
using dockscan::agent::StoreKey;
using dockscan::agent::store_test::counting_key;
using dockscan::agent::store_test::new_key;
using dockscan::testing::read_file;
using dockscan::testing::TempDir;
using dockscan::testing::write_file;

namespace {

std::string hex(std::span<const std::uint8_t> bytes) {
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out;
    for (const auto b : bytes) {
        out += k_hex[b >> 4];
        out += k_hex[b & 0x0f];
    }
    return out;
}

std::string as_string(std::span<const std::uint8_t> bytes) {
    return std::string(bytes.begin(), bytes.end());
}

mode_t file_mode(const std::filesystem::path& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

// Sets an environment variable for the scope of a test and restores it afterwards.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : m_name(name) {
        if (const char* old = std::getenv(name)) {
            m_old = old;
        }
        if (value != nullptr) {
            ::setenv(name, value, 1);
        } else {
            ::unsetenv(name);
        }
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;
    ~ScopedEnv() {
        if (m_old) {
            ::setenv(m_name, m_old->c_str(), 1);
        } else {
            ::unsetenv(m_name);
        }
    }

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

} // namespace

TEST_CASE("create_file writes 32 random bytes with mode 0600, and from_file reads them") {
    TempDir dir;
    // Even with a permissive umask the key file is the owner's alone.
    const mode_t old_umask = ::umask(0);
    auto created = StoreKey::create_file(dir / "store.key");
    ::umask(old_umask);
    REQUIRE(created);
    CHECK(file_mode(dir / "store.key") == 0600);
    CHECK(read_file(dir / "store.key") == as_string(created->bytes()));

    auto read = StoreKey::from_file(dir / "store.key");
    REQUIRE(read);
    CHECK(hex(read->bytes()) == hex(created->bytes()));

    const StoreKey other = new_key(dir, "other.key");
    CHECK(hex(other.bytes()) != hex(created->bytes()));
    CHECK(std::any_of(created->bytes().begin(), created->bytes().end(),
                      [](std::uint8_t b) { return b != 0; }));
}

TEST_CASE("create_file refuses to overwrite an existing key") {
    TempDir dir;
    const StoreKey first = new_key(dir);
    const std::string before = read_file(dir / "store.key");
    auto second = StoreKey::create_file(dir / "store.key");
    REQUIRE_FALSE(second);
    CHECK(second.error().code == ErrorCode::config);
    CHECK_THAT(second.error().message,
               Catch::Contains((dir / "store.key").string()) && Catch::Contains("already exists"));
    CHECK(read_file(dir / "store.key") == before);
}

TEST_CASE("from_file refuses a key that group or others can read or write") {
    TempDir dir;
    const auto path = dir / "store.key";
    write_file(path, std::string(32, 'k'));
    const auto [mode, accepted] = GENERATE(table<mode_t, bool>({
        {0600, true},
        {0400, true},
        {0700, true},
        {0640, false},
        {0604, false},
        {0620, false},
        {0602, false},
        {0644, false},
        {0666, false},
        {0610, false},
    }));
    INFO("mode " << std::oct << mode);
    REQUIRE(::chmod(path.c_str(), mode) == 0);
    auto key = StoreKey::from_file(path);
    CHECK(key.has_value() == accepted);
    if (!key) {
        CHECK(key.error().code == ErrorCode::config);
        CHECK_THAT(key.error().message,
                   Catch::Contains(path.string()) && Catch::Contains("chmod 600"));
    }
}

TEST_CASE("from_file refuses a key that is not exactly 32 bytes") {
    TempDir dir;
    const auto path = dir / "store.key";
    // 64 is a key written as hex text by mistake.
    const std::size_t size =
        GENERATE(std::size_t{0}, std::size_t{31}, std::size_t{33}, std::size_t{64});
    INFO(size << " bytes");
    write_file(path, std::string(size, 'a'));
    REQUIRE(::chmod(path.c_str(), 0600) == 0);
    auto key = StoreKey::from_file(path);
    REQUIRE_FALSE(key);
    CHECK(key.error().code == ErrorCode::config);
    CHECK_THAT(key.error().message, Catch::Contains(path.string()) &&
                                        Catch::Contains(std::to_string(size) + " bytes") &&
                                        Catch::Contains("exactly 32"));
}

TEST_CASE("from_file names a key file that is missing or not a file") {
    TempDir dir;
    const auto path = GENERATE_REF(dir / "missing.key", dir.path());
    auto key = StoreKey::from_file(path);
    REQUIRE_FALSE(key);
    CHECK(key.error().code == ErrorCode::config);
    CHECK_THAT(key.error().message, Catch::Contains(path.string()));
}

TEST_CASE("from_credentials reads the systemd credential dockscan-store-key") {
    TempDir dir;
    const StoreKey written = new_key(dir, "dockscan-store-key");
    {
        const ScopedEnv env("CREDENTIALS_DIRECTORY", dir.path().c_str());
        auto key = StoreKey::from_credentials();
        REQUIRE(key);
        CHECK(hex(key->bytes()) == hex(written.bytes()));
    }
    {
        const ScopedEnv env("CREDENTIALS_DIRECTORY", nullptr);
        auto key = StoreKey::from_credentials();
        REQUIRE_FALSE(key);
        CHECK(key.error().code == ErrorCode::config);
        CHECK_THAT(key.error().message, Catch::Contains("LoadCredential"));
    }
    {
        TempDir empty;
        const ScopedEnv env("CREDENTIALS_DIRECTORY", empty.path().c_str());
        auto key = StoreKey::from_credentials();
        REQUIRE_FALSE(key);
        CHECK_THAT(key.error().message, Catch::Contains("dockscan-store-key"));
    }
}

TEST_CASE("derive is HMAC-SHA256(key, \"dockscan:\" + purpose)") {
    TempDir dir;
    const StoreKey key = counting_key(dir);
    // Computed with Python: hmac.new(bytes(range(32)), b"dockscan:...", sha256).
    const auto [purpose, expected] = GENERATE(table<std::string, std::string>({
        {"identity-hmac", "1248a6e4563e795bfe6ee2d9725185d4fd17b314fde1b4c22f1195c3a50b2941"},
        {"other", "843ba040c83ba4398a3c033bfe9026cedefef42f95733cf6a950be61890a35fd"},
    }));
    CHECK(hex(key.derive(purpose).bytes()) == expected);
}

TEST_CASE("a moved-from key holds no key bytes") {
    TempDir dir;
    StoreKey key = counting_key(dir);
    const std::string original = hex(key.bytes());
    StoreKey moved = std::move(key);
    CHECK(hex(moved.bytes()) == original);
    // NOLINTNEXTLINE(bugprone-use-after-move): checking the wipe is the point.
    CHECK(hex(key.bytes()) == std::string(64, '0'));

    StoreKey assigned = new_key(dir);
    assigned = std::move(moved);
    CHECK(hex(assigned.bytes()) == original);
    CHECK(hex(moved.bytes()) == std::string(64, '0'));
}
