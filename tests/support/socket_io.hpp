#pragma once

// Blocking stream-socket I/O for the phone simulators (tests/adb_sim, tests/ios_sim):
// the loops every protocol server needs, written once. No Catch2 here: the simulators
// are programs of their own.

#include <cstddef>

namespace dockscan::testing {

// Reads exactly `size` bytes from `fd`; false at the end of the stream or on an error.
[[nodiscard]] bool recv_exact(int fd, void* out, std::size_t size);

// Sends all `size` bytes to `fd` (no SIGPIPE); false when the peer is gone.
[[nodiscard]] bool send_all(int fd, const void* data, std::size_t size);

} // namespace dockscan::testing
