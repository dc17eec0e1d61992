#include "base/owned.hpp"
#include "docking/adb/byte_transport.hpp"
#include "docking/file_access.hpp"

#include <cerrno>
#include <cstring>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace dockscan::docking::adb {
namespace {

class TcpTransport final : public ByteTransport {
public:
    TcpTransport(Fd fd, std::chrono::milliseconds timeout)
        : m_fd(std::move(fd)), m_timeout(timeout) {}

    Expected<void> read_exact(std::span<std::uint8_t> out) override {
        std::size_t done = 0;
        while (done < out.size()) {
            pollfd p{m_fd.get(), POLLIN, 0};
            const int ready = ::poll(&p, 1, static_cast<int>(m_timeout.count()));
            if (ready < 0 && errno == EINTR) {
                continue;
            }
            if (ready == 0) {
                return fail(ErrorCode::interrupted, "the phone stopped answering");
            }
            const ssize_t n = ::recv(m_fd.get(), out.data() + done, out.size() - done, 0);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                return fail(ErrorCode::interrupted, "the phone disconnected");
            }
            done += static_cast<std::size_t>(n);
        }
        return {};
    }

    Expected<void> write_all(std::span<const std::uint8_t> data) override {
        std::size_t done = 0;
        while (done < data.size()) {
            // MSG_NOSIGNAL: a phone that went away must be an error, not SIGPIPE.
            const ssize_t n =
                ::send(m_fd.get(), data.data() + done, data.size() - done, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                return fail(ErrorCode::interrupted, "the phone disconnected");
            }
            done += static_cast<std::size_t>(n);
        }
        return {};
    }

    void set_read_timeout(std::chrono::milliseconds timeout) override { m_timeout = timeout; }

private:
    Fd m_fd;
    std::chrono::milliseconds m_timeout;
};

} // namespace

Expected<std::unique_ptr<ByteTransport>> connect_tcp(const std::string& host, std::uint16_t port,
                                                     std::chrono::milliseconds read_timeout) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (::getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0 || found == nullptr) {
        return fail(ErrorCode::not_found, "cannot resolve " + host);
    }
    const base::Owned<addrinfo, ::freeaddrinfo> list(found);
    int last_errno = 0;
    for (const addrinfo* a = list.get(); a != nullptr; a = a->ai_next) {
        Fd fd(::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol));
        if (!fd) {
            last_errno = errno;
            continue;
        }
        if (::connect(fd.get(), a->ai_addr, a->ai_addrlen) != 0) {
            last_errno = errno;
            continue;
        }
        const int one = 1;
        (void)::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        return std::unique_ptr<ByteTransport>(new TcpTransport(std::move(fd), read_timeout));
    }
    return fail(ErrorCode::not_found,
                "cannot connect to " + host + ":" + service + ": " + std::strerror(last_errno));
}

} // namespace dockscan::docking::adb
