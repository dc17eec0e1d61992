#include "docking/android/spool.hpp"

#include "docking/file_access.hpp"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>
#include <utility>

namespace dockscan::docking::android {

Expected<Spool> Spool::create() {
    const char* tmpdir = std::getenv("TMPDIR");
    const std::string folder = tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
    int fd = ::open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        // A file system without O_TMPFILE: a named file, unlinked at once.
        std::string pattern = folder + "/dockscan-spool-XXXXXX";
        fd = ::mkstemp(pattern.data());
        if (fd >= 0) {
            ::unlink(pattern.c_str());
        }
    }
    if (fd < 0) {
        const Error error = errno_error(errno);
        return fail(error.code, "cannot create a private temporary file: " + error.message);
    }
    return Spool(base::Fd(fd));
}

Expected<std::uint64_t> Spool::append(std::string_view bytes) {
    const std::uint64_t start = m_size;
    while (!bytes.empty()) {
        const ssize_t n =
            ::pwrite(m_fd.get(), bytes.data(), bytes.size(), static_cast<off_t>(m_size));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            const Error error = errno_error(errno);
            return fail(error.code, "cannot write the temporary file: " + error.message);
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
        m_size += static_cast<std::uint64_t>(n);
    }
    return start;
}

Expected<std::string> Spool::read(std::uint64_t offset, std::uint64_t length) const {
    if (offset > m_size || length > m_size - offset) {
        return fail(ErrorCode::not_found, "not in the temporary file");
    }
    std::string out(static_cast<std::size_t>(length), '\0');
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t n = ::pread(m_fd.get(), out.data() + done, out.size() - done,
                                  static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            const Error error = errno_error(errno);
            return fail(error.code, "cannot read the temporary file: " + error.message);
        }
        done += static_cast<std::size_t>(n);
    }
    return out;
}

} // namespace dockscan::docking::android
