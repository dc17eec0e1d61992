#pragma once

// Puts the review app on a socket (libmicrohttpd; this module's only vendor seam).

#include "agent/error.hpp"
#include "agent/web/listen_address.hpp"
#include "agent/web/review_app.hpp"

#include <filesystem>
#include <functional>
#include <stop_token>
#include <string>
#include <vector>

namespace dockscan::agent::web {

struct ServerOptions {
    ListenAddress listen;
    std::filesystem::path tls_cert; // both empty: plain HTTP (loopback only)
    std::filesystem::path tls_key;
    // Names browsers use for this server besides its address (the certificate's DNS
    // names); a request for any other name is refused (see host_allowed).
    std::vector<std::string> server_names;
};

// Serves `app` until `stop` is requested. `on_listening` gets the URL once the socket
// is bound (with the real port when port 0 was asked for). ErrorCode::config when the
// address cannot be bound or the certificate or key cannot be loaded.
[[nodiscard]] Expected<void> serve(ReviewApp& app, const ServerOptions& options,
                                   std::stop_token stop,
                                   const std::function<void(const std::string& url)>& on_listening);

} // namespace dockscan::agent::web
