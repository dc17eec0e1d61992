#include "agent/store/store_key.hpp"

#include "agent/store/sodium_seam.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace dockscan::agent {

namespace {

constexpr std::string_view k_credential_name = "dockscan-store-key";

// Owns a file descriptor for the scope of one function.
class UniqueFd {
public:
    explicit UniqueFd(int fd) : m_fd(fd) {}
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    [[nodiscard]] int get() const { return m_fd; }
    explicit operator bool() const { return m_fd >= 0; }

private:
    int m_fd;
};

std::string errno_text(int error) {
    return std::strerror(error);
}

std::string octal_mode(mode_t mode) {
    std::string out = "0000";
    for (std::size_t i = 0; i < 4; ++i) {
        out[3 - i] = static_cast<char>('0' + ((mode >> (3 * i)) & 07));
    }
    return out;
}

// Reads exactly `out.size()` bytes, or fewer at end of file.
ssize_t read_all(int fd, std::span<std::uint8_t> out) {
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t n = ::read(fd, out.data() + done, out.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -1;
        }
        if (n == 0) {
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    return static_cast<ssize_t>(done);
}

} // namespace

Expected<StoreKey> StoreKey::from_file(const std::filesystem::path& path) {
    const std::string name = path.string();
    // O_NONBLOCK: a FIFO in the key's place must not hang the station; the check below
    // refuses it. Reads of a regular file do not block either way.
    const UniqueFd fd(::open(name.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (!fd) {
        return fail(ErrorCode::config, "cannot read store key " + name + ": " + errno_text(errno));
    }
    // The checks use the open file, not the name, so the file cannot be swapped between
    // checking and reading.
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) {
        return fail(ErrorCode::config, "cannot read store key " + name + ": " + errno_text(errno));
    }
    if (!S_ISREG(st.st_mode)) {
        return fail(ErrorCode::config, "store key " + name + " is not a regular file");
    }
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        return fail(ErrorCode::config,
                    "store key " + name + " is accessible by group or others (mode " +
                        octal_mode(st.st_mode & 07777) + "); fix it with: chmod 600 " + name);
    }
    if (st.st_size != static_cast<off_t>(k_size)) {
        return fail(ErrorCode::config,
                    "store key " + name + " is " + std::to_string(st.st_size) +
                        " bytes; a store key is exactly 32 random bytes (create one with: "
                        "umask 077; head -c 32 /dev/urandom > " +
                        name + ")");
    }
    StoreKey key;
    std::array<std::uint8_t, 1> extra{};
    if (read_all(fd.get(), key.m_bytes) != static_cast<ssize_t>(k_size) ||
        read_all(fd.get(), extra) != 0) {
        return fail(ErrorCode::config,
                    "cannot read store key " + name + ": it changed size while being read");
    }
    return key;
}

Expected<StoreKey> StoreKey::from_credentials() {
    const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
    if (dir == nullptr || *dir == '\0') {
        return fail(ErrorCode::config,
                    "CREDENTIALS_DIRECTORY is not set: run dockscan as a systemd service with "
                    "LoadCredential=dockscan-store-key:<key file>, or give the key file "
                    "explicitly");
    }
    return from_file(std::filesystem::path(dir) / k_credential_name);
}

Expected<StoreKey> StoreKey::create_file(const std::filesystem::path& path) {
    if (!crypto::ready()) {
        return fail(ErrorCode::internal, "libsodium could not be initialised");
    }
    const std::string name = path.string();
    // O_EXCL: an existing key may be the only way into an existing store.
    const UniqueFd fd(::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                             S_IRUSR | S_IWUSR));
    if (!fd) {
        const int error = errno;
        if (error == EEXIST) {
            return fail(ErrorCode::config,
                        "store key " + name +
                            " already exists; refusing to overwrite it (a store cannot be read "
                            "without the key it was created with)");
        }
        return fail(ErrorCode::config,
                    "cannot create store key " + name + ": " + errno_text(error));
    }
    StoreKey key;
    crypto::random_bytes(key.m_bytes);
    std::size_t done = 0;
    bool ok = ::fchmod(fd.get(), S_IRUSR | S_IWUSR) == 0; // whatever the umask was
    while (ok && done < k_size) {
        const ssize_t n = ::write(fd.get(), key.m_bytes.data() + done, k_size - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        ok = n > 0;
        done += ok ? static_cast<std::size_t>(n) : 0;
    }
    ok = ok && ::fsync(fd.get()) == 0;
    if (!ok) {
        const int error = errno;
        ::unlink(name.c_str());
        return fail(ErrorCode::config, "cannot write store key " + name + ": " + errno_text(error));
    }
    return key;
}

StoreKey::StoreKey(StoreKey&& other) noexcept : m_bytes(other.m_bytes) {
    crypto::wipe(other.m_bytes);
}

StoreKey& StoreKey::operator=(StoreKey&& other) noexcept {
    if (this != &other) {
        m_bytes = other.m_bytes;
        crypto::wipe(other.m_bytes);
    }
    return *this;
}

StoreKey::~StoreKey() {
    crypto::wipe(m_bytes);
}

StoreKey StoreKey::derive(std::string_view purpose) const {
    static_assert(crypto::k_key_size == k_size && crypto::k_mac_size == k_size);
    const std::string label = "dockscan:" + std::string(purpose);
    StoreKey derived;
    crypto::Mac mac = crypto::hmac_sha256(m_bytes, label);
    derived.m_bytes = mac;
    crypto::wipe(mac);
    return derived;
}

} // namespace dockscan::agent
