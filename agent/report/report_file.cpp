#include "agent/report/report_file.hpp"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace dockscan::agent::reports {

namespace {

// A new file beside the target, removed unless it was renamed into place. It is made
// with open(O_EXCL) and mode 0666 rather than mkstemp (0600), so that the process's
// umask decides who may read the report, as for any file the user writes.
class TempFile {
public:
    explicit TempFile(const std::filesystem::path& target) {
        static std::atomic<unsigned> counter{0};
        const std::filesystem::path folder =
            target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
        for (int attempt = 0; attempt < 100 && m_fd < 0; ++attempt) {
            // Appended, not `"." + target.filename().string() + …`: at -O3 GCC 12 reports
            // a false -Wrestrict in that.
            std::string name = ".";
            name += target.filename().string();
            name += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
            m_path = (folder / name).string();
            m_fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
            if (m_fd < 0 && errno != EEXIST) {
                break;
            }
        }
        m_created = m_fd >= 0;
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile() {
        close();
        if (m_created && !m_kept) {
            ::unlink(m_path.c_str());
        }
    }
    [[nodiscard]] explicit operator bool() const { return m_created; }
    [[nodiscard]] int fd() const { return m_fd; }
    [[nodiscard]] const std::string& path() const { return m_path; }
    bool close() {
        const bool ok = m_fd < 0 || ::close(m_fd) == 0;
        m_fd = -1;
        return ok;
    }
    void keep() { m_kept = true; }

private:
    std::string m_path;
    int m_fd = -1;
    bool m_created = false;
    bool m_kept = false;
};

Error write_error(const std::filesystem::path& path, int error) {
    return Error{ErrorCode::input,
                 "cannot write the report to " + path.string() + ": " + std::strerror(error)};
}

Expected<void> write_all(int fd, std::string_view bytes, const std::filesystem::path& path) {
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return tl::unexpected(write_error(path, errno));
        }
        written += static_cast<std::size_t>(n);
    }
    return {};
}

} // namespace

Expected<void> write_report_file(const std::filesystem::path& path, std::string_view bytes) {
    // What is not ours to replace (/dev/stdout, /dev/null, a pipe) is written to as it is:
    // renaming a file over a device would replace the device for everyone on the machine.
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            return tl::unexpected(write_error(path, EISDIR));
        }
        const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) {
            return tl::unexpected(write_error(path, errno));
        }
        auto written = write_all(fd, bytes, path);
        ::close(fd);
        return written;
    }
    TempFile temp(path);
    if (!temp) {
        return tl::unexpected(write_error(path, errno));
    }
    DOCKSCAN_TRY(write_all(temp.fd(), bytes, path));
    if (::fsync(temp.fd()) != 0 || !temp.close()) {
        return tl::unexpected(write_error(path, errno));
    }
    if (::rename(temp.path().c_str(), path.c_str()) != 0) {
        return tl::unexpected(write_error(path, errno));
    }
    temp.keep();
    return {};
}

} // namespace dockscan::agent::reports
