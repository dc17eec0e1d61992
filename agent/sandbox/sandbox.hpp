#pragma once

// Analysis in sandboxed worker processes: each worker of the scan's pool hands its
// items to a process of its own, started from the dockscan binary with a hidden
// subcommand, so that a crash or an exploit in a decoder, Tesseract or ZXing ends one
// worker, never the scan or the station, and finds neither the store's key nor its file:
// the worker never held the key (a new program, not a fork of the process that did),
// has no descriptor but its socket, and runs under a system-call filter (no network,
// no programs, no files written), an address-space limit, and a time limit per item
// that the parent enforces by killing it. The parent records such an item as failed
// with the reason and starts a new worker for the next item.

#include "agent/scan/scan_pipeline.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string_view>

namespace dockscan::agent::sandbox {

// The hidden subcommand: `dockscan analysis-worker`, with its socket as descriptor 3.
inline constexpr std::string_view k_worker_command = "analysis-worker";
inline constexpr int k_worker_fd = 3;

// Test-only: when this variable is set to 1 in the parent's environment, workers honour
// the content markers of worker.cpp (crash, hang, allocate, open a socket, write a file).
inline constexpr const char* k_test_triggers_env = "DOCKSCAN_TEST_SANDBOX_TRIGGERS";

struct SandboxLimits {
    // Address space one item may use on top of what the worker holds after loading its
    // models and OCR engine (tests/bench/README.md: measured).
    std::uint64_t memory_allowance = std::uint64_t{512} << 20;
    // How long one item may take. A 12 MP photo with OCR takes about a second on a
    // station; the slowest real photos of the benchmarks a few.
    std::chrono::milliseconds item_timeout = std::chrono::seconds(60);
    // How long a new worker may take to load its networks and Tesseract data.
    std::chrono::milliseconds start_timeout = std::chrono::seconds(120);
};

// Where the pool's workers run: each makes a sandboxed worker process running `program`
// (the dockscan binary: /proc/self/exe) with `options` and `limits`.
[[nodiscard]] AnalyserFactory sandboxed_analysers(std::filesystem::path program,
                                                  AnalysisOptions options, SandboxLimits limits);

// The dockscan binary itself, for `sandboxed_analysers`.
[[nodiscard]] std::filesystem::path this_program();

// `dockscan analysis-worker`: reads its setup and then items from `fd` until the parent
// closes it. Returns the process's exit code.
[[nodiscard]] int run_worker(int fd);

} // namespace dockscan::agent::sandbox
