#pragma once

// The byte pipe under the ADB protocol: a TCP connection (adbd's port 5555, and the
// simulator in tests) or, later, a USB bulk endpoint pair. The protocol code sees only
// this interface.

#include "docking/error.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace dockscan::docking::adb {

class ByteTransport {
public:
    virtual ~ByteTransport() = default;

    // Fills `out` completely, or fails: `interrupted` when the phone went away or did
    // not send anything for the transport's idle timeout.
    [[nodiscard]] virtual Expected<void> read_exact(std::span<std::uint8_t> out) = 0;

    // Sends every byte of `data`, or fails with `interrupted`.
    [[nodiscard]] virtual Expected<void> write_all(std::span<const std::uint8_t> data) = 0;

    // Changes how long read_exact waits for the next byte.
    virtual void set_read_timeout(std::chrono::milliseconds timeout) = 0;
};

// Connects to `host`:`port` over TCP (adb's "adb connect" transport).
[[nodiscard]] Expected<std::unique_ptr<ByteTransport>>
connect_tcp(const std::string& host, std::uint16_t port,
            std::chrono::milliseconds read_timeout = std::chrono::seconds(30));

} // namespace dockscan::docking::adb
