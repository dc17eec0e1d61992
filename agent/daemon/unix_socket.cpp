#include "agent/daemon/unix_socket.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace dockscan::agent::daemon {
namespace {

Expected<sockaddr_un> address_of(const std::filesystem::path& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string text = path.string();
    if (text.empty() || text.size() >= sizeof addr.sun_path) {
        return fail(ErrorCode::config, "socket path too long: " + text);
    }
    std::memcpy(addr.sun_path, text.data(), text.size());
    return addr;
}

std::string errno_text() {
    return std::strerror(errno);
}

} // namespace

Expected<Fd> listen_unix(const std::filesystem::path& path, mode_t mode) {
    DOCKSCAN_TRY_ASSIGN(const sockaddr_un addr, address_of(path));
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            return fail(ErrorCode::config, path.string() + " exists and is not a socket");
        }
        ::unlink(path.c_str());
    }
    Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!fd) {
        return fail(ErrorCode::internal, "cannot create a socket: " + errno_text());
    }
    // The socket file takes the umask's mode at bind; narrow it first, set it exactly after.
    const mode_t old = ::umask(0177);
    const int bound = ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    ::umask(old);
    if (bound != 0) {
        return fail(ErrorCode::config, "cannot listen at " + path.string() + ": " + errno_text());
    }
    if (::chmod(path.c_str(), mode) != 0 || ::listen(fd.get(), 16) != 0) {
        return fail(ErrorCode::config, "cannot listen at " + path.string() + ": " + errno_text());
    }
    return fd;
}

Expected<Fd> connect_unix(const std::filesystem::path& path) {
    DOCKSCAN_TRY_ASSIGN(const sockaddr_un addr, address_of(path));
    Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) {
        return fail(ErrorCode::internal, "cannot create a socket: " + errno_text());
    }
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        return fail(ErrorCode::input, "cannot connect to " + path.string() + ": " + errno_text());
    }
    return fd;
}

std::optional<Fd> accept_client(const Fd& listener) {
    const int fd = ::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) {
        return std::nullopt;
    }
    return Fd(fd);
}

std::optional<std::string> read_line(const Fd& fd, std::string& buffer, std::size_t limit,
                                     std::chrono::milliseconds timeout) {
    while (true) {
        if (const auto nl = buffer.find('\n'); nl != std::string::npos) {
            std::string line = buffer.substr(0, nl);
            buffer.erase(0, nl + 1);
            return line;
        }
        if (buffer.size() > limit) {
            return std::nullopt;
        }
        pollfd p{fd.get(), POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
        if (ready <= 0) {
            return std::nullopt;
        }
        char chunk[4096];
        const ssize_t n = ::read(fd.get(), chunk, sizeof chunk);
        if (n <= 0) {
            return std::nullopt;
        }
        buffer.append(chunk, static_cast<std::size_t>(n));
    }
}

bool write_all(const Fd& fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::send(fd.get(), data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

} // namespace dockscan::agent::daemon
