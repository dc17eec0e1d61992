// The stoppable transport over a real local TCP connection: bytes pass whole, a stop
// request ends a wait for the phone, and silence is reported as adb's handshake expects.

#include "docking/adb/stoppable_transport.hpp"

#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace dockscan::docking;

namespace {

// A listening socket on 127.0.0.1 and the one peer it accepts: the "phone".
struct Peer {
    int listener = -1;
    int phone = -1;
    std::uint16_t port = 0;

    Peer() {
        listener = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(listener >= 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        REQUIRE(::listen(listener, 1) == 0);
        socklen_t len = sizeof addr;
        REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
        port = ntohs(addr.sin_port);
    }
    void accept() {
        phone = ::accept(listener, nullptr, nullptr);
        REQUIRE(phone >= 0);
    }
    void send(std::string_view bytes) const {
        REQUIRE(::send(phone, bytes.data(), bytes.size(), 0) == static_cast<ssize_t>(bytes.size()));
    }
    ~Peer() {
        if (phone >= 0) {
            ::close(phone);
        }
        ::close(listener);
    }
};

std::unique_ptr<adb::ByteTransport> connect(Peer& peer, std::stop_token stop,
                                            std::chrono::milliseconds timeout) {
    auto tcp = adb::connect_tcp("127.0.0.1", peer.port, timeout);
    REQUIRE(tcp);
    peer.accept();
    return adb::make_stoppable(std::move(*tcp), std::move(stop), timeout);
}

} // namespace

TEST_CASE("the stoppable transport passes the phone's bytes whole", "[adb][transport]") {
    Peer peer;
    std::stop_source stop;
    auto transport = connect(peer, stop.get_token(), std::chrono::seconds(10));
    peer.send("CNXN");
    peer.send("0123456789");
    std::string got(14, '\0');
    REQUIRE(transport->read_exact(std::span(reinterpret_cast<std::uint8_t*>(got.data()), 14)));
    CHECK(got == "CNXN0123456789");
    const std::string hello = "hello";
    REQUIRE(transport->write_all(
        std::span(reinterpret_cast<const std::uint8_t*>(hello.data()), hello.size())));
    char echo[5];
    REQUIRE(::recv(peer.phone, echo, 5, MSG_WAITALL) == 5);
    CHECK(std::string(echo, 5) == "hello");
}

TEST_CASE("a stop request ends the wait for the phone", "[adb][transport]") {
    Peer peer;
    std::stop_source stop;
    // The phone would be given a minute to answer.
    auto transport = connect(peer, stop.get_token(), std::chrono::minutes(1));
    std::jthread stopper([&] { stop.request_stop(); });
    std::uint8_t byte = 0;
    auto read = transport->read_exact(std::span(&byte, 1));
    REQUIRE_FALSE(read);
    CHECK(read.error().code == ErrorCode::interrupted);
    CHECK(read.error().message == adb::k_stopped_reason);
}

TEST_CASE("a silent phone is reported as adb's handshake expects", "[adb][transport]") {
    Peer peer;
    std::stop_source stop;
    auto transport = connect(peer, stop.get_token(), std::chrono::milliseconds(300));
    std::uint8_t bytes[4];
    auto read = transport->read_exact(bytes);
    REQUIRE_FALSE(read);
    CHECK(read.error().code == ErrorCode::interrupted);
    CHECK(read.error().message == "the phone stopped answering");
    // A phone that answers later is read as usual.
    peer.send("OKAY");
    transport->set_read_timeout(std::chrono::seconds(10));
    REQUIRE(transport->read_exact(bytes));
    CHECK(std::string(reinterpret_cast<char*>(bytes), 4) == "OKAY");
}
