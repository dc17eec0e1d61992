#include "docking/adb/stoppable_transport.hpp"

#include <algorithm>
#include <string_view>

namespace dockscan::docking::adb {
namespace {

// How long one slice waits before the stop request is looked at again.
constexpr std::chrono::milliseconds k_slice{200};
// What the transports (TCP, USB bulk) say when nothing came in time; the handshake
// knows this exact text (after our public key, silence means "not allowed").
constexpr std::string_view k_silent = "the phone stopped answering";

bool is_silence(const Error& error) {
    return error.code == ErrorCode::interrupted && error.message.ends_with(k_silent);
}

class StoppableTransport final : public ByteTransport {
public:
    StoppableTransport(std::unique_ptr<ByteTransport> inner, std::stop_token stop,
                       std::chrono::milliseconds timeout)
        : m_inner(std::move(inner)), m_stop(std::move(stop)), m_timeout(timeout) {}

    Expected<void> read_exact(std::span<std::uint8_t> out) override {
        if (out.empty()) {
            return {};
        }
        const auto deadline = std::chrono::steady_clock::now() + m_timeout;
        m_inner->set_read_timeout(std::min(k_slice, m_timeout));
        while (true) {
            if (m_stop.stop_requested()) {
                m_inner->set_read_timeout(m_timeout);
                return fail(ErrorCode::interrupted, k_stopped_reason);
            }
            auto first = m_inner->read_exact(out.first(1));
            if (first) {
                break;
            }
            if (!is_silence(first.error())) {
                m_inner->set_read_timeout(m_timeout);
                return first;
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                m_inner->set_read_timeout(m_timeout);
                return fail(ErrorCode::interrupted, std::string(k_silent));
            }
        }
        // The message has begun: the rest comes with the ordinary timeout.
        m_inner->set_read_timeout(m_timeout);
        if (out.size() == 1) {
            return {};
        }
        return m_inner->read_exact(out.subspan(1));
    }

    Expected<void> write_all(std::span<const std::uint8_t> data) override {
        return m_inner->write_all(data);
    }

    void set_read_timeout(std::chrono::milliseconds timeout) override {
        m_timeout = timeout;
        m_inner->set_read_timeout(timeout);
    }

private:
    std::unique_ptr<ByteTransport> m_inner;
    std::stop_token m_stop;
    std::chrono::milliseconds m_timeout;
};

} // namespace

std::unique_ptr<ByteTransport> make_stoppable(std::unique_ptr<ByteTransport> inner,
                                              std::stop_token stop,
                                              std::chrono::milliseconds read_timeout) {
    return std::make_unique<StoppableTransport>(std::move(inner), std::move(stop), read_timeout);
}

} // namespace dockscan::docking::adb
