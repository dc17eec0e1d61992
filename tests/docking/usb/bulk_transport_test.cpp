#include "docking/usb/bulk_transport.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <deque>
#include <numeric>
#include <optional>
#include <vector>

using namespace dockscan::docking;
using namespace dockscan::docking::usb;
using namespace std::chrono_literals;

namespace {

using Bytes = std::vector<std::uint8_t>;

// One bulk transfer per call, as libusb does it: IN transfers complete with what the
// device sent (a short packet ends one), OUT transfers are recorded as the device would
// see them, zero-length packets included.
struct PipeScript {
    std::deque<Expected<Bytes>> in;
    std::vector<Bytes> out;
    std::vector<std::size_t> in_buffer_sizes;
    std::vector<std::chrono::milliseconds> in_timeouts;
    std::optional<Error> out_error;
};

class FakePipe final : public BulkPipe {
public:
    FakePipe(PipeScript& script, std::size_t packet) : m_script(script), m_packet(packet) {}

    Expected<std::size_t> bulk_in(std::span<std::uint8_t> buffer,
                                  std::chrono::milliseconds timeout) override {
        m_script.in_buffer_sizes.push_back(buffer.size());
        m_script.in_timeouts.push_back(timeout);
        if (m_script.in.empty()) {
            return fail(ErrorCode::interrupted,
                        "reading from the phone: the phone stopped answering");
        }
        Expected<Bytes> next = std::move(m_script.in.front());
        m_script.in.pop_front();
        if (!next) {
            return tl::unexpected(next.error());
        }
        REQUIRE(next->size() <= buffer.size());
        std::copy(next->begin(), next->end(), buffer.begin());
        return next->size();
    }

    Expected<void> bulk_out(std::span<const std::uint8_t> data,
                            std::chrono::milliseconds) override {
        if (m_script.out_error) {
            return tl::unexpected(*m_script.out_error);
        }
        m_script.out.emplace_back(data.begin(), data.end());
        return {};
    }

    std::size_t in_packet_size() const override { return m_packet; }
    std::size_t out_packet_size() const override { return m_packet; }

private:
    PipeScript& m_script;
    std::size_t m_packet;
};

Bytes counting(std::size_t n, std::uint8_t from = 0) {
    Bytes bytes(n);
    std::iota(bytes.begin(), bytes.end(), from);
    return bytes;
}

BulkByteTransport transport(PipeScript& script, std::size_t packet = 512) {
    return BulkByteTransport(std::make_unique<FakePipe>(script, packet), 30s);
}

} // namespace

TEST_CASE("reads ask for whole packets, so the phone can never overflow them") {
    CHECK(bulk_read_size(512) == 64 * 1024);
    CHECK(bulk_read_size(1024) == 64 * 1024);
    CHECK(bulk_read_size(64) == 64 * 1024);
    CHECK(bulk_read_size(1000) % 1000 == 0);
    CHECK(bulk_read_size(0) == 64 * 1024);
}

TEST_CASE("read_exact assembles ADB messages from bulk transfers") {
    PipeScript script;
    SECTION("a header and its payload in one transfer are read in two steps") {
        Bytes both = counting(24);
        const Bytes payload = counting(100, 24);
        both.insert(both.end(), payload.begin(), payload.end());
        script.in.emplace_back(both);
        auto pipe = transport(script);
        Bytes header(24);
        Bytes body(100);
        REQUIRE(pipe.read_exact(header));
        REQUIRE(pipe.read_exact(body));
        CHECK(header == counting(24));
        CHECK(body == payload);
        CHECK(script.in_buffer_sizes.size() == 1);
    }
    SECTION("a payload split over transfers, with the zero-length packet that ends one") {
        script.in.emplace_back(counting(512));
        script.in.emplace_back(Bytes{}); // the ZLP after a full packet
        script.in.emplace_back(counting(88, 0));
        auto pipe = transport(script);
        Bytes out(600);
        REQUIRE(pipe.read_exact(out));
        Bytes expected = counting(512);
        const Bytes tail = counting(88, 0);
        expected.insert(expected.end(), tail.begin(), tail.end());
        CHECK(out == expected);
        CHECK(script.in_buffer_sizes.size() == 3);
        for (const std::size_t size : script.in_buffer_sizes) {
            CHECK(size % 512 == 0);
        }
    }
    SECTION("a payload that ends on a packet boundary is complete without a ZLP") {
        script.in.emplace_back(counting(24));   // the header: a short packet
        script.in.emplace_back(counting(1024)); // the payload: two full packets
        auto pipe = transport(script);
        Bytes header(24);
        Bytes body(1024);
        REQUIRE(pipe.read_exact(header));
        REQUIRE(pipe.read_exact(body));
        CHECK(body == counting(1024));
        // One packet for the header, exactly the payload's two packets for the body:
        // nothing waits for a zero-length packet the phone may not send.
        CHECK(script.in_buffer_sizes == std::vector<std::size_t>{512, 1024});
    }
    SECTION("a large payload is read in chunks of at most 64 KiB") {
        script.in.emplace_back(counting(64 * 1024));
        script.in.emplace_back(counting(1000));
        auto pipe = transport(script);
        Bytes body(64 * 1024 + 1000);
        REQUIRE(pipe.read_exact(body));
        CHECK(script.in_buffer_sizes == std::vector<std::size_t>{64 * 1024, 1024});
    }
    SECTION("a phone that stops answering mid-message is interrupted") {
        script.in.emplace_back(counting(10));
        auto pipe = transport(script);
        Bytes out(24);
        const auto read = pipe.read_exact(out);
        REQUIRE_FALSE(read);
        CHECK(read.error().code == ErrorCode::interrupted);
    }
    SECTION("a phone that disconnected says so") {
        script.in.emplace_back(tl::unexpected(
            Error{ErrorCode::interrupted, "reading from the phone: the phone disconnected"}));
        auto pipe = transport(script);
        Bytes out(24);
        const auto read = pipe.read_exact(out);
        REQUIRE_FALSE(read);
        CHECK(read.error().code == ErrorCode::interrupted);
        CHECK_THAT(read.error().message, Catch::Contains("disconnected"));
    }
    SECTION("the read timeout is the one last set") {
        script.in.emplace_back(counting(4));
        script.in.emplace_back(counting(4));
        auto pipe = transport(script);
        Bytes out(4);
        REQUIRE(pipe.read_exact(out));
        pipe.set_read_timeout(2min);
        REQUIRE(pipe.read_exact(out));
        CHECK(script.in_timeouts == std::vector<std::chrono::milliseconds>{30s, 2min});
    }
}

TEST_CASE("write_all ends a packet-aligned write with a zero-length packet") {
    PipeScript script;
    SECTION("a 24-byte header: one short transfer") {
        auto pipe = transport(script);
        REQUIRE(pipe.write_all(counting(24)));
        CHECK(script.out == std::vector<Bytes>{counting(24)});
    }
    SECTION("a payload of exactly two packets: the data, then a ZLP") {
        auto pipe = transport(script);
        REQUIRE(pipe.write_all(counting(1024)));
        REQUIRE(script.out.size() == 2);
        CHECK(script.out[0] == counting(1024));
        CHECK(script.out[1].empty());
    }
    SECTION("SuperSpeed: 1024-byte packets, so 512 bytes is a short packet") {
        auto pipe = transport(script, 1024);
        REQUIRE(pipe.write_all(counting(512)));
        CHECK(script.out.size() == 1);
    }
    SECTION("a phone that went away") {
        script.out_error =
            Error{ErrorCode::interrupted, "writing to the phone: the phone disconnected"};
        auto pipe = transport(script);
        const auto write = pipe.write_all(counting(24));
        REQUIRE_FALSE(write);
        CHECK(write.error().code == ErrorCode::interrupted);
    }
}
