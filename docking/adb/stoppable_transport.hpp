#pragma once

// A byte transport that a stop request interrupts: waiting for the phone (to allow USB
// debugging, or to send the next message) is done in short slices, so that unplugging
// the phone or stopping the station ends a session within a fraction of a second rather
// than after the whole timeout. Nothing is lost on the way: each slice waits for one
// byte, which arrives whole or not at all.

#include "docking/adb/byte_transport.hpp"

#include <chrono>
#include <memory>
#include <stop_token>

namespace dockscan::docking::adb {

// The reason a read gives when `stop` was requested while it waited.
inline constexpr const char* k_stopped_reason = "stopped while waiting for the phone";

// Wraps `inner`; its read timeout becomes the wrapper's (set_read_timeout works as before).
[[nodiscard]] std::unique_ptr<ByteTransport> make_stoppable(std::unique_ptr<ByteTransport> inner,
                                                            std::stop_token stop,
                                                            std::chrono::milliseconds read_timeout);

} // namespace dockscan::docking::adb
