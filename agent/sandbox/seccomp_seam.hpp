#pragma once

// The one libseccomp file: the system-call filter of an analysis worker.

#include "agent/error.hpp"

namespace dockscan::agent::sandbox {

// Applies the worker's filter to the calling process, for good (every thread, and no
// way back): network sockets, running programs and starting processes, tracing or
// signalling other processes end the worker (SIGSYS); opening a file for writing,
// creating, renaming or removing files is refused (EACCES). Reading files stays
// allowed, and threads may still be started (OpenCV's and Tesseract's own).
[[nodiscard]] Expected<void> apply_worker_filter();

} // namespace dockscan::agent::sandbox
