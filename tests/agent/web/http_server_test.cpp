// The review server on a real socket (libmicrohttpd): what a browser, an attacker on
// the network and a second server on the same port each meet.

#include "agent/web/http_server.hpp"
#include "tests/agent/web/review_fixture.hpp"

#include <arpa/inet.h>
#include <chrono>
#include <future>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace dockscan::agent::web;
using namespace dockscan::agent::web::test;

namespace {

// A review server on a free loopback port for the length of a test.
class RunningServer {
public:
    explicit RunningServer(ReviewApp& app, ServerOptions options = {}) {
        if (options.listen.host.empty()) {
            options.listen = ListenAddress{"127.0.0.1", 0};
        }
        std::promise<std::string> listening;
        auto url = listening.get_future();
        m_thread = std::jthread([&app, options, &listening, this](std::stop_token stop) {
            m_result = serve(app, options, stop,
                             [&listening](const std::string& u) { listening.set_value(u); });
            if (!m_result) {
                listening.set_value("");
            }
        });
        REQUIRE(url.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
        m_url = url.get();
        REQUIRE_FALSE(m_url.empty());
        m_port = std::stoi(m_url.substr(m_url.rfind(':') + 1));
    }
    ~RunningServer() {
        m_thread.request_stop();
        m_thread.join();
    }
    RunningServer(const RunningServer&) = delete;
    RunningServer& operator=(const RunningServer&) = delete;

    int port() const { return m_port; }

private:
    std::jthread m_thread;
    dockscan::agent::Expected<void> m_result;
    std::string m_url;
    int m_port = 0;
};

int connect_to(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
    return fd;
}

// Sends `request` (as far as the server takes it) and reads the answer until the
// server closes or `wait` passes.
std::string round_trip(int port, const std::string& request,
                       std::chrono::milliseconds wait = std::chrono::seconds(5)) {
    const int fd = connect_to(port);
    std::size_t sent = 0;
    while (sent < request.size()) {
        const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            break; // the server answered and closed early
        }
        sent += static_cast<std::size_t>(n);
    }
    std::string answer;
    const auto until = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < until) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) {
            if (answer.find("\r\n\r\n") != std::string::npos) {
                break;
            }
            continue;
        }
        char buffer[4096];
        const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
        if (n <= 0) {
            break;
        }
        answer.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return answer;
}

std::string get(int port, const std::string& host, const std::string& path = "/logga-in") {
    return round_trip(port, "GET " + path + " HTTP/1.1\r\nHost: " + host +
                                "\r\nConnection: close\r\n\r\n");
}

int status_of(const std::string& answer) {
    if (answer.rfind("HTTP/1.1 ", 0) != 0 || answer.size() < 12) {
        return 0;
    }
    return std::stoi(answer.substr(9, 3));
}

} // namespace

TEST_CASE("the server answers its own names and refuses any other (DNS rebinding)",
          "[web][server]") {
    ReviewFixture f;
    ReviewApp app(f.store, ReviewOptions{false, {}});
    RunningServer server(app, ServerOptions{{"127.0.0.1", 0}, {}, {}, {"granskning.kommun.se"}});
    const std::string port = std::to_string(server.port());
    CHECK(status_of(get(server.port(), "127.0.0.1:" + port)) == 200);
    CHECK(status_of(get(server.port(), "localhost:" + port)) == 200);
    CHECK(status_of(get(server.port(), "Granskning.Kommun.se")) == 200);
    const std::string refused = get(server.port(), "evil.example:" + port);
    CHECK(status_of(refused) == 421);
    CHECK(contains(refused, "stationens eget namn"));
    // The login page is not in the refusal.
    CHECK_FALSE(contains(refused, "Logga in"));
    CHECK(status_of(get(server.port(), "")) == 421);
}

TEST_CASE("a form posted from another site is refused (Origin)", "[web][server]") {
    ReviewFixture f;
    ReviewApp app(f.store, ReviewOptions{false, {}});
    RunningServer server(app);
    const std::string host = "127.0.0.1:" + std::to_string(server.port());
    const std::string body = "user=anna.berg&password=x";
    auto post = [&](const std::string& origin) {
        return round_trip(server.port(),
                          "POST /logga-in HTTP/1.1\r\nHost: " + host + "\r\nOrigin: " + origin +
                              "\r\nContent-Type: application/x-www-form-urlencoded"
                              "\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    };
    const std::string refused = post("https://evil.example");
    CHECK(status_of(refused) == 403);
    CHECK(contains(refused, "annan webbplats"));
    // From the page itself the post reaches the app (which wants its CSRF token).
    const std::string own = post("http://" + host);
    CHECK(status_of(own) != 0);
    CHECK_FALSE(contains(own, "annan webbplats"));
}

TEST_CASE("a flood of request headers is refused, not kept", "[web][server]") {
    ReviewFixture f;
    ReviewApp app(f.store, ReviewOptions{false, {}});
    RunningServer server(app);
    // 20,000 headers of 4 KB (80 MB): cpp-httplib kept them all (40 -> 192 MB RSS).
    std::string flood = "GET /logga-in HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    const std::string value(4000, 'a');
    for (int i = 0; i < 20000; ++i) {
        flood += "X-Flood-" + std::to_string(i) + ": " + value + "\r\n";
    }
    flood += "\r\n";
    const std::string answer = round_trip(server.port(), flood);
    CHECK(status_of(answer) == 431);
    // The server still serves others.
    CHECK(status_of(get(server.port(), "127.0.0.1")) == 200);
}

TEST_CASE("slow clients do not hold up anyone else", "[web][server]") {
    ReviewFixture f;
    ReviewApp app(f.store, ReviewOptions{false, {}});
    RunningServer server(app);
    // More slow connections than the server has threads (cpp-httplib: 8 threads, and
    // every other request timed out with 8 clients sending a byte every 3 s).
    std::vector<int> slow;
    for (int i = 0; i < 24; ++i) {
        slow.push_back(connect_to(server.port()));
        REQUIRE(::send(slow.back(), "GET /logga-in HT", 16, MSG_NOSIGNAL) == 16);
    }
    for (int round = 0; round < 3; ++round) {
        CHECK(status_of(get(server.port(), "127.0.0.1")) == 200);
        for (const int fd : slow) {
            ::send(fd, "T", 1, MSG_NOSIGNAL);
        }
    }
    for (const int fd : slow) {
        ::close(fd);
    }
}

TEST_CASE("a second server on a port in use does not start", "[web][server]") {
    ReviewFixture f;
    ReviewApp app(f.store, ReviewOptions{false, {}});
    RunningServer first(app);
    std::stop_source never;
    bool listened = false;
    const auto second = serve(app, ServerOptions{{"127.0.0.1", first.port()}, {}, {}, {}},
                              never.get_token(), [&](const std::string&) { listened = true; });
    REQUIRE_FALSE(second);
    CHECK_FALSE(listened);
    CHECK(contains(second.error().message, "in use"));
    // The first still has every request (cpp-httplib's SO_REUSEPORT let both listen).
    CHECK(status_of(get(first.port(), "127.0.0.1")) == 200);
}

TEST_CASE("over TLS the review is served with the station's certificate", "[web][server]") {
    ReviewFixture f;
    const auto cert = f.dir / "cert.pem";
    const auto key = f.dir / "key.pem";
    const std::string make = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
                             "-days 2 -subj /CN=localhost -keyout " +
                             key.string() + " -out " + cert.string() + " 2>/dev/null";
    REQUIRE(std::system(make.c_str()) == 0);
    ReviewApp app(f.store, ReviewOptions{true, {}});
    RunningServer server(app, ServerOptions{{"127.0.0.1", 0}, cert, key, {}});

    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    REQUIRE(ctx != nullptr);
    REQUIRE(SSL_CTX_load_verify_locations(ctx, cert.c_str(), nullptr) == 1);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    const int fd = connect_to(server.port());
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    REQUIRE(SSL_connect(ssl) == 1);
    CHECK(SSL_version(ssl) >= TLS1_2_VERSION);
    const std::string request = "GET /logga-in HTTP/1.1\r\nHost: localhost\r\nConnection: "
                                "close\r\n\r\n";
    REQUIRE(SSL_write(ssl, request.data(), static_cast<int>(request.size())) > 0);
    std::string answer;
    char buffer[4096];
    int n = 0;
    while ((n = SSL_read(ssl, buffer, sizeof(buffer))) > 0) {
        answer.append(buffer, static_cast<std::size_t>(n));
    }
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    ::close(fd);
    CHECK(status_of(answer) == 200);
    CHECK(contains(answer, "Logga in"));
    // Plain HTTP to the TLS port gets no page.
    CHECK_FALSE(contains(get(server.port(), "localhost"), "Logga in"));
}
