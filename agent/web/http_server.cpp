// The one translation unit that includes <microhttpd.h> (GNU libmicrohttpd, Debian's
// build with GnuTLS). Chosen over cpp-httplib for the limits a server on a care
// workplace's network needs and cpp-httplib 0.11 (bookworm) cannot set: a bound on the
// memory of one request's headers (a flood of headers is refused, not kept), and
// connections served from event loops rather than a thread each, so that slow clients
// cannot hold every thread while others wait.

#include "agent/web/http_server.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <memory>
#include <microhttpd.h>
#include <mutex>
#include <netdb.h>
#include <netinet/in.h>
#include <sstream>
#include <sys/socket.h>
#include <unistd.h>

namespace dockscan::agent::web {

namespace {

// Form posts are small; anything larger is not from our pages.
constexpr std::size_t k_max_payload = 64 * 1024;
// The memory of one connection: the request line, every header and the buffers. Our
// pages' requests need 2-3 KB; a flood of headers is answered 431 and closed instead
// of held (cpp-httplib kept 20,000 headers of 4 KB: 40 -> 192 MB).
constexpr std::size_t k_connection_memory = 32 * 1024;
// A connection idle this long is closed. Connections wait in epoll, not in threads, so
// a slow client costs a socket, not a worker.
constexpr unsigned k_idle_timeout_s = 15;
// Connections at once, and from one address: a browser opens about six.
constexpr unsigned k_max_connections = 256;
constexpr unsigned k_max_per_client = 32;
// Event loops, each also running the review app's handlers (a login's argon2id takes
// ~0.1-0.3 s of one loop).
constexpr unsigned k_threads = 4;
// TLS 1.2 and 1.3 with forward-secret AEAD suites only.
constexpr const char* k_tls_priorities =
    "SECURE256:+SECURE128:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+AES-256-GCM:"
    "+AES-128-GCM:+CHACHA20-POLY1305:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:-RSA";

struct Daemon {
    MHD_Daemon* handle = nullptr;
    ~Daemon() {
        if (handle != nullptr) {
            MHD_stop_daemon(handle);
        }
    }
};

// One request while its body arrives.
struct Pending {
    Request request;
    MHD_PostProcessor* form = nullptr;
    std::size_t body_bytes = 0;
    bool too_large = false;
    ~Pending() {
        if (form != nullptr) {
            MHD_destroy_post_processor(form);
        }
    }
};

struct Context {
    ReviewApp* app;
    std::vector<std::string> allowed_hosts;
};

std::string client_address(MHD_Connection* connection) {
    const MHD_ConnectionInfo* info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info == nullptr || info->client_addr == nullptr) {
        return {};
    }
    char text[INET6_ADDRSTRLEN] = {};
    const sockaddr* address = info->client_addr;
    if (address->sa_family == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text,
                  sizeof(text));
    } else if (address->sa_family == AF_INET6) {
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text,
                  sizeof(text));
    }
    return text;
}

MHD_Result add_argument(void* cls, MHD_ValueKind, const char* key, const char* value) {
    auto* request = static_cast<Request*>(cls);
    request->params.emplace(key, value == nullptr ? "" : value);
    return MHD_YES;
}

MHD_Result add_form_field(void* cls, MHD_ValueKind, const char* key, const char*, const char*,
                          const char*, const char* data, std::uint64_t offset, std::size_t size) {
    auto* request = static_cast<Request*>(cls);
    // A long value arrives in pieces: the first opens the field, the others extend it.
    if (offset == 0) {
        request->params.emplace(key, std::string(data, size));
    } else {
        auto [first, last] = request->params.equal_range(key);
        if (first != last) {
            std::prev(last)->second.append(data, size);
        }
    }
    return MHD_YES;
}

MHD_Result send(MHD_Connection* connection, const Response& out) {
    MHD_Response* response = MHD_create_response_from_buffer(
        out.body.size(), const_cast<char*>(out.body.data()), MHD_RESPMEM_MUST_COPY);
    if (response == nullptr) {
        return MHD_NO;
    }
    for (const auto& [name, value] : out.headers) {
        MHD_add_response_header(response, name.c_str(), value.c_str());
    }
    if (!out.body.empty()) {
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, out.content_type.c_str());
    }
    const MHD_Result queued =
        MHD_queue_response(connection, static_cast<unsigned>(out.status), response);
    MHD_destroy_response(response);
    return queued;
}

Response plain(int status, std::string text) {
    Response out;
    out.status = status;
    out.body = std::move(text);
    out.content_type = "text/plain; charset=utf-8";
    return out;
}

MHD_Result on_request(void* cls, MHD_Connection* connection, const char* url, const char* method,
                      const char*, const char* upload, std::size_t* upload_size, void** state) {
    const auto* context = static_cast<const Context*>(cls);
    if (*state == nullptr) {
        auto pending = std::make_unique<Pending>();
        pending->request.method = method;
        pending->request.path = url;
        pending->request.client = client_address(connection);
        const char* cookies = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Cookie");
        pending->request.cookies = parse_cookies(cookies == nullptr ? "" : cookies);
        MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, add_argument,
                                  &pending->request);
        if (pending->request.method == "POST") {
            pending->form =
                MHD_create_post_processor(connection, 4096, add_form_field, &pending->request);
        }
        *state = pending.release();
        return MHD_YES;
    }
    auto* pending = static_cast<Pending*>(*state);
    if (*upload_size != 0) {
        pending->body_bytes += *upload_size;
        if (pending->body_bytes > k_max_payload) {
            pending->too_large = true;
        } else if (pending->form != nullptr) {
            MHD_post_process(pending->form, upload, *upload_size);
        }
        *upload_size = 0;
        return MHD_YES;
    }
    const char* host = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Host");
    if (!host_allowed(host == nullptr ? "" : host, context->allowed_hosts)) {
        // DNS rebinding: a page of another site that resolves its name to this server.
        return send(connection, plain(421, "Okänd adress: öppna granskningen med stationens "
                                           "eget namn.\n"));
    }
    // Our pages send Referrer-Policy: no-referrer, under which browsers post "Origin:
    // null" even from the page itself: that says nothing, and the CSRF token decides.
    // A named origin of another site is refused here already.
    const char* origin = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Origin");
    if (pending->request.method == "POST" && origin != nullptr &&
        std::string_view(origin) != "null" && !origin_allowed(origin, context->allowed_hosts)) {
        return send(connection, plain(403, "Formuläret kom från en annan webbplats.\n"));
    }
    if (pending->too_large) {
        return send(connection, plain(413, "För stor begäran.\n"));
    }
    if (pending->request.method != "GET" && pending->request.method != "POST") {
        return send(connection, plain(405, "Metoden stöds inte.\n"));
    }
    return send(connection, context->app->handle(pending->request));
}

void on_completed(void*, MHD_Connection*, void** state, MHD_RequestTerminationCode) {
    delete static_cast<Pending*>(*state);
    *state = nullptr;
}

Expected<std::string> read_pem(const std::filesystem::path& path, const char* what) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in || text.str().empty()) {
        return fail(ErrorCode::config,
                    std::string("cannot read the TLS ") + what + " " + path.string());
    }
    return text.str();
}

// The listening socket, bound here so that a port in use is an error that says so
// (libmicrohttpd would only fail to start), and never shared: no SO_REUSEPORT, so a
// second server on the same port fails instead of taking half the requests.
Expected<int> bind_socket(const ListenAddress& address, int& bound_port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const std::string port = std::to_string(address.port);
    if (getaddrinfo(address.host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr) {
        return fail(ErrorCode::config, "cannot listen on " + address.host + ": unknown address");
    }
    const std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owner(found, freeaddrinfo);
    const int fd = ::socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return fail(ErrorCode::config, std::string("cannot create a socket: ") + strerror(errno));
    }
    // SO_REUSEADDR lets a restarted server bind while old connections are in TIME_WAIT;
    // on Linux it never lets two listeners share the port.
    const int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    if (::bind(fd, found->ai_addr, found->ai_addrlen) != 0 || ::listen(fd, 64) != 0) {
        const int error = errno;
        ::close(fd);
        return fail(ErrorCode::config,
                    "cannot listen on " + host_port(address) + ": " +
                        (error == EADDRINUSE ? std::string("the port is in use (is another "
                                                           "dockscan serve running?)")
                                             : std::string(strerror(error))));
    }
    sockaddr_storage actual{};
    socklen_t length = sizeof(actual);
    getsockname(fd, reinterpret_cast<sockaddr*>(&actual), &length);
    bound_port =
        ntohs(actual.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&actual)->sin6_port
                                           : reinterpret_cast<sockaddr_in*>(&actual)->sin_port);
    return fd;
}

} // namespace

Expected<void> serve(ReviewApp& app, const ServerOptions& options, std::stop_token stop,
                     const std::function<void(const std::string& url)>& on_listening) {
    const bool tls = !options.tls_cert.empty();
    std::string cert;
    std::string key;
    if (tls) {
        DOCKSCAN_TRY_ASSIGN(cert, read_pem(options.tls_cert, "certificate"));
        DOCKSCAN_TRY_ASSIGN(key, read_pem(options.tls_key, "key"));
    }
    ListenAddress bound = options.listen;
    DOCKSCAN_TRY_ASSIGN(const int fd, bind_socket(options.listen, bound.port));
    Context context{&app, allowed_hosts(bound, options.server_names)};

    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC;
    if (tls) {
        flags |= MHD_USE_TLS;
    }
    std::vector<MHD_OptionItem> items = {
        {MHD_OPTION_LISTEN_SOCKET, fd, nullptr},
        {MHD_OPTION_CONNECTION_MEMORY_LIMIT, static_cast<intptr_t>(k_connection_memory), nullptr},
        {MHD_OPTION_CONNECTION_LIMIT, k_max_connections, nullptr},
        {MHD_OPTION_PER_IP_CONNECTION_LIMIT, k_max_per_client, nullptr},
        {MHD_OPTION_CONNECTION_TIMEOUT, k_idle_timeout_s, nullptr},
        {MHD_OPTION_THREAD_POOL_SIZE, k_threads, nullptr},
        {MHD_OPTION_NOTIFY_COMPLETED, reinterpret_cast<intptr_t>(&on_completed), nullptr},
    };
    if (tls) {
        items.push_back({MHD_OPTION_HTTPS_MEM_CERT, 0, cert.data()});
        items.push_back({MHD_OPTION_HTTPS_MEM_KEY, 0, key.data()});
        items.push_back({MHD_OPTION_HTTPS_PRIORITIES, 0, const_cast<char*>(k_tls_priorities)});
    }
    items.push_back({MHD_OPTION_END, 0, nullptr});
    Daemon daemon;
    daemon.handle = MHD_start_daemon(flags, 0, nullptr, nullptr, &on_request, &context,
                                     MHD_OPTION_ARRAY, items.data(), MHD_OPTION_END);
    if (daemon.handle == nullptr) {
        ::close(fd);
        return fail(ErrorCode::config,
                    tls ? "cannot start the review server: is " + options.tls_cert.string() +
                              " a PEM certificate and " + options.tls_key.string() + " its key?"
                        : std::string("cannot start the review server"));
    }
    on_listening(url_of(bound, tls));

    std::mutex mutex;
    std::condition_variable_any stopped;
    std::unique_lock lock(mutex);
    stopped.wait(lock, stop, [] { return false; });
    return {};
}

} // namespace dockscan::agent::web
