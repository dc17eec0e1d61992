#pragma once

// Hands dock events from the USB event thread to the daemon's next(): push never
// blocks (libusb's event thread must not), pop waits with a timeout and a stop token.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <stop_token>
#include <utility>

namespace dockscan::docking::usb {

template <typename T>
class EventQueue {
public:
    // A daemon that stopped reading must not make the event thread grow without bound
    // (a flapping device makes two events a second): past this, the oldest are dropped.
    static constexpr std::size_t k_capacity = 4096;

    // Returns false when the queue was full and the oldest event was dropped.
    bool push(T value) {
        bool kept_all = true;
        {
            std::lock_guard lock(m_mutex);
            if (m_items.size() >= k_capacity) {
                m_items.pop_front();
                kept_all = false;
            }
            m_items.push_back(std::move(value));
        }
        m_ready.notify_all();
        return kept_all;
    }

    // The oldest value, or std::nullopt when `timeout` passed or `stop` was requested.
    [[nodiscard]] std::optional<T> pop(std::chrono::milliseconds timeout, std::stop_token stop) {
        std::unique_lock lock(m_mutex);
        if (!m_ready.wait_for(lock, stop, timeout, [this] { return !m_items.empty(); })) {
            return std::nullopt;
        }
        T value = std::move(m_items.front());
        m_items.pop_front();
        return value;
    }

private:
    std::mutex m_mutex;
    std::condition_variable_any m_ready;
    std::deque<T> m_items;
};

} // namespace dockscan::docking::usb
