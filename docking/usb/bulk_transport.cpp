#include "docking/usb/bulk_transport.hpp"

#include "docking/usb/usb_descriptors.hpp"

#include <algorithm>
#include <cstring>

namespace dockscan::docking::usb {
namespace {

constexpr std::size_t k_read_size = 64 * 1024;
// Writes are not limited by the read timeout: a phone that accepts nothing for this
// long is gone or stuck.
constexpr std::chrono::milliseconds k_min_write_timeout{5000};

} // namespace

std::size_t bulk_read_size(std::size_t in_packet_size) {
    if (in_packet_size == 0) {
        return k_read_size;
    }
    const std::size_t packets = std::max<std::size_t>(1, k_read_size / in_packet_size);
    return packets * in_packet_size;
}

BulkByteTransport::BulkByteTransport(std::unique_ptr<BulkPipe> pipe,
                                     std::chrono::milliseconds read_timeout)
    : m_pipe(std::move(pipe)), m_read_timeout(read_timeout),
      m_buffer(bulk_read_size(m_pipe->in_packet_size())) {}

Expected<void> BulkByteTransport::read_exact(std::span<std::uint8_t> out) {
    std::size_t done = 0;
    while (done < out.size()) {
        if (m_begin == m_end) {
            m_begin = 0;
            m_end = 0;
            // Ask for what is still missing, rounded up to whole packets: a message
            // that ends on a packet boundary is then complete without waiting for a
            // zero-length packet, and the phone can still never overflow the request.
            const std::size_t packet = std::max<std::size_t>(1, m_pipe->in_packet_size());
            const std::size_t missing = out.size() - done;
            const std::size_t want =
                std::min(m_buffer.size(), (missing + packet - 1) / packet * packet);
            DOCKSCAN_TRY_ASSIGN(const std::size_t received,
                                m_pipe->bulk_in(std::span(m_buffer).first(want), m_read_timeout));
            // A zero-length packet ends a transfer that was a multiple of the packet
            // size; there is nothing in it to hand on.
            m_end = std::min(received, want);
            continue;
        }
        const std::size_t n = std::min(out.size() - done, m_end - m_begin);
        std::memcpy(out.data() + done, m_buffer.data() + m_begin, n);
        m_begin += n;
        done += n;
    }
    return {};
}

Expected<void> BulkByteTransport::write_all(std::span<const std::uint8_t> data) {
    const std::chrono::milliseconds timeout = std::max(m_read_timeout, k_min_write_timeout);
    if (!data.empty()) {
        DOCKSCAN_TRY(m_pipe->bulk_out(data, timeout));
    }
    if (needs_zero_length_packet(data.size(), m_pipe->out_packet_size())) {
        DOCKSCAN_TRY(m_pipe->bulk_out({}, timeout));
    }
    return {};
}

void BulkByteTransport::set_read_timeout(std::chrono::milliseconds timeout) {
    m_read_timeout = timeout;
}

} // namespace dockscan::docking::usb
