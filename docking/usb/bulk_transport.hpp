#pragma once

// ADB's byte pipe over a USB bulk endpoint pair. The USB side is a BulkPipe (one bulk
// transfer per call: libusb in libusb_seam.cpp, a fake in the tests); this file turns
// it into a ByteTransport: buffered exact reads, and writes that end with a
// zero-length packet where USB needs one.

#include "docking/adb/byte_transport.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace dockscan::docking::usb {

class BulkPipe {
public:
    virtual ~BulkPipe() = default;

    // One bulk IN transfer into `buffer` (a multiple of the IN packet size, so the
    // device can never overflow it): the bytes received, possibly 0 (a zero-length
    // packet). Bytes that arrived before a timeout are returned, not lost. Errors:
    // `interrupted` for a timeout with nothing received or a phone that went away.
    [[nodiscard]] virtual Expected<std::size_t> bulk_in(std::span<std::uint8_t> buffer,
                                                        std::chrono::milliseconds timeout) = 0;

    // One bulk OUT transfer of all of `data` (empty: a zero-length packet), or
    // `interrupted`.
    [[nodiscard]] virtual Expected<void> bulk_out(std::span<const std::uint8_t> data,
                                                  std::chrono::milliseconds timeout) = 0;

    [[nodiscard]] virtual std::size_t in_packet_size() const = 0;
    [[nodiscard]] virtual std::size_t out_packet_size() const = 0;
};

// The most one bulk IN read asks for: ADB's largest payload fits in a few reads, and a
// multiple of the packet size keeps libusb from reporting an overflow.
[[nodiscard]] std::size_t bulk_read_size(std::size_t in_packet_size);

class BulkByteTransport final : public adb::ByteTransport {
public:
    BulkByteTransport(std::unique_ptr<BulkPipe> pipe, std::chrono::milliseconds read_timeout);

    [[nodiscard]] Expected<void> read_exact(std::span<std::uint8_t> out) override;
    [[nodiscard]] Expected<void> write_all(std::span<const std::uint8_t> data) override;
    void set_read_timeout(std::chrono::milliseconds timeout) override;

private:
    std::unique_ptr<BulkPipe> m_pipe;
    std::chrono::milliseconds m_read_timeout;
    std::vector<std::uint8_t> m_buffer; // bytes received and not yet read
    std::size_t m_begin = 0;
    std::size_t m_end = 0;
};

} // namespace dockscan::docking::usb
