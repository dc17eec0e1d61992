#pragma once

// Where the review server listens, and whether that is this machine only.

#include "agent/error.hpp"

#include <optional>
#include <string>
#include <string_view>

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

} // namespace dockscan::agent::web
