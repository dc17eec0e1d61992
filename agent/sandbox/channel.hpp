#pragma once

// Frames over the socket between the parent and an analysis worker: a length, then that
// many bytes. The parent waits with a deadline (a worker may hang on a hostile file);
// the worker waits as long as it takes for its next item.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dockscan::agent::sandbox {

enum class Io { ok, closed, timed_out, failed };

using Deadline = std::optional<std::chrono::steady_clock::time_point>;

// Writes one frame. `closed`: the other end is gone.
[[nodiscard]] Io write_frame(int fd, std::string_view payload, Deadline deadline);

// Reads one frame of at most `max_size` bytes into `payload` (`failed` when larger).
[[nodiscard]] Io read_frame(int fd, std::string& payload, std::size_t max_size, Deadline deadline);

} // namespace dockscan::agent::sandbox
