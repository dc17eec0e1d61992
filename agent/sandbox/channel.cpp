#include "agent/sandbox/channel.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>

namespace dockscan::agent::sandbox {
namespace {

// Waits until `fd` is ready for `events` or the deadline passes.
Io wait_for(int fd, short events, Deadline deadline) {
    for (;;) {
        int timeout_ms = -1;
        if (deadline) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                *deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                return Io::timed_out;
            }
            timeout_ms = static_cast<int>(std::min<std::int64_t>(left.count(), INT32_MAX));
        }
        pollfd p{fd, events, 0};
        const int n = ::poll(&p, 1, timeout_ms);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return Io::failed;
        }
        if (n == 0) {
            return Io::timed_out;
        }
        // Readable or hung up: the read or write that follows tells which.
        return Io::ok;
    }
}

Io write_all(int fd, const char* data, std::size_t size, Deadline deadline) {
    while (size > 0) {
        if (const Io ready = wait_for(fd, POLLOUT, deadline); ready != Io::ok) {
            return ready;
        }
        // MSG_NOSIGNAL: a worker that died is an answer, not a SIGPIPE for the parent.
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (n < 0) {
            return errno == EPIPE || errno == ECONNRESET ? Io::closed : Io::failed;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return Io::ok;
}

Io read_all(int fd, char* data, std::size_t size, Deadline deadline) {
    while (size > 0) {
        if (const Io ready = wait_for(fd, POLLIN, deadline); ready != Io::ok) {
            return ready;
        }
        const ssize_t n = ::recv(fd, data, size, MSG_DONTWAIT);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (n < 0) {
            return errno == ECONNRESET ? Io::closed : Io::failed;
        }
        if (n == 0) {
            return Io::closed;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return Io::ok;
}

} // namespace

Io write_frame(int fd, std::string_view payload, Deadline deadline) {
    const std::uint64_t size = payload.size();
    char header[sizeof size];
    std::memcpy(header, &size, sizeof size);
    if (const Io io = write_all(fd, header, sizeof header, deadline); io != Io::ok) {
        return io;
    }
    return write_all(fd, payload.data(), payload.size(), deadline);
}

Io read_frame(int fd, std::string& payload, std::size_t max_size, Deadline deadline) {
    std::uint64_t size = 0;
    char header[sizeof size];
    if (const Io io = read_all(fd, header, sizeof header, deadline); io != Io::ok) {
        return io;
    }
    std::memcpy(&size, header, sizeof size);
    if (size > max_size) {
        return Io::failed;
    }
    payload.resize(size);
    return read_all(fd, payload.data(), payload.size(), deadline);
}

} // namespace dockscan::agent::sandbox
