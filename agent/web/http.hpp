#pragma once

// Requests and responses as the review app sees them: plain values, so that the app
// is tested without sockets and only http_server.cpp knows cpp-httplib.

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dockscan::agent::web {

struct Request {
    std::string method; // "GET" or "POST"
    std::string path;
    std::multimap<std::string, std::string> params; // query and form fields
    std::map<std::string, std::string> cookies;
    std::string client; // the peer's address, for rate limiting and the audit log
};

struct Response {
    int status = 200;
    std::string body;
    std::string content_type = "text/html; charset=utf-8";
    std::vector<std::pair<std::string, std::string>> headers;
};

// The first value of a parameter, or empty.
[[nodiscard]] std::string param(const Request& request, const std::string& name);

// Every value of a parameter (checkbox groups), in order.
[[nodiscard]] std::vector<std::string> params(const Request& request, const std::string& name);

// The cookies of a Cookie header ("a=1; b=2"); a repeated name keeps its first value.
[[nodiscard]] std::map<std::string, std::string> parse_cookies(std::string_view header);

// A 303 redirect (after a POST, or to the login page).
[[nodiscard]] Response redirect(std::string location);

} // namespace dockscan::agent::web
