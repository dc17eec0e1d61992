#pragma once

// How a worker process ends, as the parent reads its exit status.

namespace dockscan::agent::sandbox {

// The worker ran out of its address space (an allocation failed) and ended itself.
inline constexpr int k_exit_over_memory = 86;
// The worker could not start (its setup, models or filter): it said why first.
inline constexpr int k_exit_not_started = 87;

} // namespace dockscan::agent::sandbox
