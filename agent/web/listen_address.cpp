#include "agent/web/listen_address.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>
#include <unistd.h>

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

std::string host_port(const ListenAddress& address) {
    const bool v6 = address.host.find(':') != std::string::npos;
    return (v6 ? "[" : "") + address.host + (v6 ? "]" : "") + ":" + std::to_string(address.port);
}

std::string url_of(const ListenAddress& address, bool tls) {
    return std::string(tls ? "https://" : "http://") + host_port(address);
}

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

bool is_ip_literal(const std::string& host) {
    in_addr v4{};
    in6_addr v6{};
    return inet_pton(AF_INET, host.c_str(), &v4) == 1 ||
           inet_pton(AF_INET6, host.c_str(), &v6) == 1;
}

// The host of "name", "name:port", "[v6]" or "[v6]:port", lower case; empty when malformed.
std::string host_of(std::string_view authority) {
    if (!authority.empty() && authority.front() == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos) {
            return {};
        }
        const std::string_view rest = authority.substr(close + 1);
        if (!rest.empty() && rest.front() != ':') {
            return {};
        }
        return lower(authority.substr(1, close - 1));
    }
    const std::size_t colon = authority.find(':');
    return lower(authority.substr(0, colon));
}

} // namespace

std::vector<std::string> allowed_hosts(const ListenAddress& address,
                                       const std::vector<std::string>& names) {
    std::vector<std::string> out;
    const std::string host = lower(address.host);
    if (host != "0.0.0.0" && host != "::") {
        out.push_back(host);
    }
    if (is_loopback(host)) {
        out.insert(out.end(), {"localhost", "127.0.0.1", "::1"});
    }
    char name[256] = {};
    if (gethostname(name, sizeof(name) - 1) == 0 && name[0] != '\0') {
        out.push_back(lower(name));
    }
    for (const std::string& n : names) {
        out.push_back(lower(n));
    }
    return out;
}

bool host_allowed(std::string_view host_header, const std::vector<std::string>& allowed) {
    const std::string host = host_of(host_header);
    if (host.empty()) {
        return false;
    }
    if (is_ip_literal(host)) {
        return true;
    }
    return std::find(allowed.begin(), allowed.end(), host) != allowed.end();
}

bool origin_allowed(std::string_view origin, const std::vector<std::string>& allowed) {
    for (const std::string_view scheme : {"https://", "http://"}) {
        if (origin.substr(0, scheme.size()) == scheme) {
            const std::string_view authority = origin.substr(scheme.size());
            if (authority.find('/') != std::string_view::npos) {
                return false;
            }
            return host_allowed(authority, allowed);
        }
    }
    return false;
}

} // namespace dockscan::agent::web
