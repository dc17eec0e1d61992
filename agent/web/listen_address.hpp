#pragma once

// Where the review server listens, and whether that is this machine only.

#include "agent/error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::agent::web {

struct ListenAddress {
    std::string host; // "127.0.0.1", "::1", "localhost", "0.0.0.0", ...
    int port = 0;     // 0: any free port
};

// Parses "HOST:PORT" or "[IPV6]:PORT" (ErrorCode::usage when malformed).
[[nodiscard]] Expected<ListenAddress> parse_listen_address(std::string_view text);

// True for 127.0.0.0/8, ::1 (also IPv4-mapped) and "localhost": nobody else can connect.
[[nodiscard]] bool is_loopback(std::string_view host);

// "http://127.0.0.1:8080" or "https://[::1]:8443".
[[nodiscard]] std::string url_of(const ListenAddress& address, bool tls);

// "127.0.0.1:8080" or "[::1]:8443".
[[nodiscard]] std::string host_port(const ListenAddress& address);

// The names a browser may use for this server (the Host header's host, lower case):
// the listen address unless it is a wildcard, loopback's names on loopback, this
// machine's host name, and the names given (`--server-name`, the TLS certificate's).
[[nodiscard]] std::vector<std::string> allowed_hosts(const ListenAddress& address,
                                                     const std::vector<std::string>& names);

// Whether a request's Host header names this server: one of `allowed`, or an IP
// address (someone typed it). Any other name is refused: a page of another site whose
// name was made to resolve to this server (DNS rebinding) sends its own name.
[[nodiscard]] bool host_allowed(std::string_view host_header,
                                const std::vector<std::string>& allowed);

// The same for an Origin header ("https://host:port") of a form post.
[[nodiscard]] bool origin_allowed(std::string_view origin, const std::vector<std::string>& allowed);

} // namespace dockscan::agent::web
