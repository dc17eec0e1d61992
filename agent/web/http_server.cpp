// The one translation unit that includes <httplib.h>. Debian builds cpp-httplib as a
// shared library with OpenSSL, zlib and Brotli support; the compile definitions that
// say so come from its pkg-config file, so this file and the library agree on layout.

#include "agent/web/http_server.hpp"

#include <atomic>
#include <chrono>
#include <httplib.h>
#include <memory>
#include <thread>

namespace dockscan::agent::web {

namespace {

// Form posts are small; anything larger is not from our pages.
constexpr std::size_t k_max_payload = 64 * 1024;

Request to_request(const httplib::Request& in) {
    Request out;
    out.method = in.method;
    out.path = in.path;
    for (const auto& [name, value] : in.params) {
        out.params.emplace(name, value);
    }
    out.cookies = parse_cookies(in.get_header_value("Cookie"));
    out.client = in.remote_addr;
    return out;
}

void to_response(const Response& in, httplib::Response& out) {
    out.status = in.status;
    for (const auto& [name, value] : in.headers) {
        out.set_header(name, value);
    }
    if (!in.body.empty()) {
        out.set_content(in.body, in.content_type);
    }
}

} // namespace

Expected<void> serve(ReviewApp& app, const ServerOptions& options, std::stop_token stop,
                     const std::function<void(const std::string& url)>& on_listening) {
    const bool tls = !options.tls_cert.empty();
    std::unique_ptr<httplib::Server> server;
    if (tls) {
        server =
            std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(), options.tls_key.c_str());
    } else {
        server = std::make_unique<httplib::Server>();
    }
    if (!server->is_valid()) {
        return fail(ErrorCode::config, "cannot load the TLS certificate " +
                                           options.tls_cert.string() + " or key " +
                                           options.tls_key.string());
    }
    server->set_payload_max_length(k_max_payload);
    // Short keep-alive: a stop waits for open connections to go idle.
    server->set_keep_alive_timeout(2);
    const auto handler = [&app](const httplib::Request& request, httplib::Response& response) {
        to_response(app.handle(to_request(request)), response);
    };
    server->Get(".*", handler);
    server->Post(".*", handler);

    ListenAddress bound = options.listen;
    if (bound.port == 0) {
        bound.port = server->bind_to_any_port(bound.host);
        if (bound.port <= 0) {
            return fail(ErrorCode::config, "cannot listen on " + bound.host);
        }
    } else if (!server->bind_to_port(bound.host, bound.port)) {
        return fail(ErrorCode::config, "cannot listen on " + url_of(bound, tls) +
                                           " (address in use or not on this machine)");
    }
    on_listening(url_of(bound, tls));

    // stop() only works once listen_after_bind has started, so it is repeated until
    // the server has ended: a stop requested early is not lost.
    std::atomic<bool> finished{false};
    std::jthread stopper([&] {
        while (!finished.load()) {
            if (stop.stop_requested()) {
                server->stop();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    const bool ok = server->listen_after_bind();
    finished.store(true);
    stopper.join();
    if (!ok && !stop.stop_requested()) {
        return fail(ErrorCode::internal, "the review server stopped unexpectedly");
    }
    return {};
}

} // namespace dockscan::agent::web
