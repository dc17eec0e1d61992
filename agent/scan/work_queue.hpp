#pragma once

// A closable queue between the pipeline's stages, bounded by `capacity`. The memory
// of a scan is bounded where items enter it: each scan keeps at most a few items in
// flight (ScanRun in scan_pipeline.cpp), so the shared pool's queue needs no bound of
// its own (it is made with SIZE_MAX) and a scan's queue of finished items is made with
// room for everything it has in flight, so that a worker never blocks on it.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

namespace dockscan::agent {

template <typename T>
class WorkQueue {
public:
    explicit WorkQueue(std::size_t capacity) : m_capacity(capacity) {}

    // Blocks while full. Returns false when the queue was closed.
    bool push(T value) {
        std::unique_lock lock(m_mutex);
        m_not_full.wait(lock, [&] { return m_closed || m_items.size() < m_capacity; });
        if (m_closed) {
            return false;
        }
        m_items.push_back(std::move(value));
        m_not_empty.notify_one();
        return true;
    }

    // Blocks while empty; nullopt once the queue is closed and drained.
    std::optional<T> pop() {
        std::unique_lock lock(m_mutex);
        m_not_empty.wait(lock, [&] { return m_closed || !m_items.empty(); });
        return take(lock);
    }

    // Never blocks; nullopt when nothing is waiting.
    std::optional<T> try_pop() {
        std::unique_lock lock(m_mutex);
        return take(lock);
    }

    // No more pushes; poppers drain what is left.
    void close() {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_not_empty.notify_all();
        m_not_full.notify_all();
    }

private:
    std::optional<T> take(std::unique_lock<std::mutex>&) {
        if (m_items.empty()) {
            return std::nullopt;
        }
        T value = std::move(m_items.front());
        m_items.pop_front();
        m_not_full.notify_one();
        return value;
    }

    std::size_t m_capacity;
    std::mutex m_mutex;
    std::condition_variable m_not_empty;
    std::condition_variable m_not_full;
    std::deque<T> m_items;
    bool m_closed = false;
};

} // namespace dockscan::agent
