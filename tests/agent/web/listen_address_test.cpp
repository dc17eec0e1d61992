// `serve --listen`: what counts as this machine only (plain HTTP allowed) and what
// needs TLS.

#include "agent/web/listen_address.hpp"

#include <catch2/catch.hpp>

using namespace dockscan::agent::web;

TEST_CASE("listen addresses parse as host and port") {
    const auto v4 = parse_listen_address("127.0.0.1:8080");
    REQUIRE(v4);
    CHECK(v4->host == "127.0.0.1");
    CHECK(v4->port == 8080);
    const auto v6 = parse_listen_address("[::1]:0");
    REQUIRE(v6);
    CHECK(v6->host == "::1");
    CHECK(v6->port == 0);
    CHECK(url_of(*v6, true) == "https://[::1]:0");
    CHECK(url_of(*v4, false) == "http://127.0.0.1:8080");

    const auto bad = GENERATE(as<std::string>{}, "", "8080", "127.0.0.1", "127.0.0.1:", ":8080",
                              "127.0.0.1:65536", "127.0.0.1:80a", "::1:8080", "[::1]8080");
    CAPTURE(bad);
    CHECK_FALSE(parse_listen_address(bad));
}

TEST_CASE("only loopback addresses count as this machine") {
    const auto loopback = GENERATE(as<std::string>{}, "127.0.0.1", "127.1.2.3", "localhost", "::1",
                                   "::ffff:127.0.0.1");
    CAPTURE(loopback);
    CHECK(is_loopback(loopback));

    const auto exposed =
        GENERATE(as<std::string>{}, "0.0.0.0", "::", "10.0.0.5", "192.168.1.2", "128.0.0.1",
                 "::ffff:10.0.0.1", "dockscan.kommun.se", "localhost.evil.example");
    CAPTURE(exposed);
    CHECK_FALSE(is_loopback(exposed));
}

TEST_CASE("a Host header names this server, or it is refused") {
    // Listening on every address, with the certificate's name given.
    const auto allowed = allowed_hosts(ListenAddress{"0.0.0.0", 8443}, {"Granskning.Kommun.se"});
    const auto ours =
        GENERATE(as<std::string>{}, "granskning.kommun.se", "GRANSKNING.kommun.se:8443",
                 "10.0.0.5:8443", "[fe80::1]:8443", "192.168.1.2");
    CAPTURE(ours);
    CHECK(host_allowed(ours, allowed));
    CHECK(origin_allowed("https://" + ours, allowed));

    const auto theirs =
        GENERATE(as<std::string>{}, "", "evil.example", "granskning.kommun.se.evil.example",
                 "localhost", "[fe80::1", "evil.example:8443");
    CAPTURE(theirs);
    CHECK_FALSE(host_allowed(theirs, allowed));
    CHECK_FALSE(origin_allowed("https://" + theirs, allowed));
    CHECK_FALSE(origin_allowed("null", allowed));
    CHECK_FALSE(origin_allowed("https://granskning.kommun.se/path", allowed));
}

TEST_CASE("on loopback, loopback's names are this server") {
    const auto allowed = allowed_hosts(ListenAddress{"127.0.0.1", 8080}, {});
    CHECK(host_allowed("localhost:8080", allowed));
    CHECK(host_allowed("127.0.0.1:8080", allowed));
    CHECK(host_allowed("[::1]:8080", allowed));
    CHECK_FALSE(host_allowed("rebind.evil.example:8080", allowed));
}
