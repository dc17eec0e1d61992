#include "docking/ios/private_temp.hpp"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace dockscan::docking::ios {

TempFile::TempFile(TempFile&& other) noexcept
    : m_path(std::exchange(other.m_path, {})), m_fd(std::move(other.m_fd)) {}

TempFile& TempFile::operator=(TempFile&& other) noexcept {
    if (this != &other) {
        remove();
        m_path = std::exchange(other.m_path, {});
        m_fd = std::move(other.m_fd);
    }
    return *this;
}

TempFile::~TempFile() {
    remove();
}

void TempFile::remove() {
    m_fd = Fd();
    if (!m_path.empty()) {
        ::unlink(m_path.c_str());
        m_path.clear();
    }
}

Expected<PrivateTempDir> PrivateTempDir::create() {
    std::error_code ec;
    auto base = std::filesystem::temp_directory_path(ec);
    if (ec) {
        base = "/tmp";
    }
    return create_in(base);
}

Expected<PrivateTempDir> PrivateTempDir::create_in(const std::filesystem::path& base) {
    std::string pattern = (base / "dockscan-ios-XXXXXX").string();
    // mkdtemp makes the folder with mode 0700: nobody else can list or open what is in it.
    if (::mkdtemp(pattern.data()) == nullptr) {
        const Error error = errno_error(errno);
        return fail(error.code, "cannot create a private temporary folder: " + error.message);
    }
    return PrivateTempDir(pattern);
}

PrivateTempDir::PrivateTempDir(PrivateTempDir&& other) noexcept
    : m_path(std::exchange(other.m_path, {})) {}

PrivateTempDir& PrivateTempDir::operator=(PrivateTempDir&& other) noexcept {
    if (this != &other) {
        remove();
        m_path = std::exchange(other.m_path, {});
    }
    return *this;
}

PrivateTempDir::~PrivateTempDir() {
    remove();
}

void PrivateTempDir::remove() {
    if (!m_path.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
        m_path.clear();
    }
}

Expected<TempFile> PrivateTempDir::new_file() {
    std::string pattern = (m_path / "db-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) {
        const Error error = errno_error(errno);
        return fail(error.code, "cannot create a private temporary file: " + error.message);
    }
    return TempFile(pattern, Fd(fd));
}

Expected<TempFile> PrivateTempDir::new_named_file(const std::string& name) {
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
        return fail(ErrorCode::malformed, "not a file name for the private folder");
    }
    const auto path = m_path / name;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        const Error error = errno_error(errno);
        return fail(error.code, "cannot create a private temporary file: " + error.message);
    }
    return TempFile(path, Fd(fd));
}

} // namespace dockscan::docking::ios
