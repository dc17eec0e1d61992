#include "agent/web/listen_address.hpp"

#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>

namespace dockscan::agent::web {

Expected<ListenAddress> parse_listen_address(std::string_view text) {
    const auto bad = [&] {
        return fail(ErrorCode::usage,
                    "--listen wants HOST:PORT or [IPV6]:PORT, not '" + std::string(text) + "'");
    };
    std::string_view host;
    std::string_view port;
    if (!text.empty() && text.front() == '[') {
        const std::size_t close = text.find("]:");
        if (close == std::string_view::npos) {
            return bad();
        }
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        const std::size_t colon = text.rfind(':');
        if (colon == std::string_view::npos || text.find(':') != colon) {
            return bad();
        }
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    if (host.empty() || port.empty() || port.size() > 5) {
        return bad();
    }
    int number = 0;
    for (const char c : port) {
        if (c < '0' || c > '9') {
            return bad();
        }
        number = number * 10 + (c - '0');
    }
    if (number > 65535) {
        return bad();
    }
    return ListenAddress{std::string(host), number};
}

bool is_loopback(std::string_view host) {
    if (host == "localhost") {
        return true;
    }
    const std::string text(host);
    in_addr v4{};
    if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
        return (ntohl(v4.s_addr) >> 24) == 127;
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
        if (IN6_IS_ADDR_LOOPBACK(&v6)) {
            return true;
        }
        return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
    }
    return false;
}

std::string url_of(const ListenAddress& address, bool tls) {
    const bool v6 = address.host.find(':') != std::string::npos;
    return std::string(tls ? "https://" : "http://") + (v6 ? "[" : "") + address.host +
           (v6 ? "]" : "") + ":" + std::to_string(address.port);
}

} // namespace dockscan::agent::web
