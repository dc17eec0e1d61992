#include "agent/web/http.hpp"

#include "base/text.hpp"

namespace dockscan::agent::web {

std::string param(const Request& request, const std::string& name) {
    const auto it = request.params.find(name);
    return it == request.params.end() ? std::string() : it->second;
}

std::vector<std::string> params(const Request& request, const std::string& name) {
    std::vector<std::string> values;
    const auto [begin, end] = request.params.equal_range(name);
    for (auto it = begin; it != end; ++it) {
        values.push_back(it->second);
    }
    return values;
}

std::map<std::string, std::string> parse_cookies(std::string_view header) {
    std::map<std::string, std::string> cookies;
    while (!header.empty()) {
        const std::size_t end = header.find(';');
        const std::string_view pair = base::trim_blanks(header.substr(0, end));
        header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
        const std::size_t eq = pair.find('=');
        if (eq == std::string_view::npos || eq == 0) {
            continue;
        }
        cookies.emplace(std::string(base::trim_blanks(pair.substr(0, eq))),
                        std::string(base::trim_blanks(pair.substr(eq + 1))));
    }
    return cookies;
}

Response redirect(std::string location) {
    Response response;
    response.status = 303;
    response.headers.emplace_back("Location", std::move(location));
    return response;
}

} // namespace dockscan::agent::web
