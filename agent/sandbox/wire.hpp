#pragma once

// What the scan's parent process and an analysis worker say to each other: the worker's
// setup once, then an item and its analysis, turn by turn. Both ends are the same
// binary, so numbers go as the machine holds them; every length is checked on reading,
// because a worker that ran hostile input is not trusted by the parent.

#include "agent/error.hpp"
#include "agent/scan/analysis.hpp"
#include "docking/phone_source.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace dockscan::agent::sandbox {

// What a worker needs before its first item.
struct WorkerSetup {
    AnalysisOptions analysis;
    // Address space the worker may use for one item, over what it holds once its models
    // and OCR engine are loaded (RLIMIT_AS is set to the sum).
    std::uint64_t memory_allowance = 0;
    // Test-only: content markers that make the worker crash, hang, allocate without end
    // or try the system calls its filter refuses (worker.cpp). Off on a station.
    bool test_triggers = false;
};

struct ItemRequest {
    docking::ItemInfo info;
    docking::ItemContent content;
};

[[nodiscard]] std::string encode_setup(const WorkerSetup& setup);
[[nodiscard]] Expected<WorkerSetup> decode_setup(std::string_view bytes);

[[nodiscard]] std::string encode_request(const docking::ItemInfo& info,
                                         const docking::ItemContent& content);
[[nodiscard]] Expected<ItemRequest> decode_request(std::string_view bytes);

// The worker's answer: its error, findings (full numbers included, for the parent to
// hash) and the count over the cap. `info` and `content_hash` stay with the parent.
[[nodiscard]] std::string encode_reply(const AnalysedItem& item);
[[nodiscard]] Expected<void> decode_reply(std::string_view bytes, AnalysedItem& into);

// The worker's answer to its setup: empty when it is ready, else why it is not.
[[nodiscard]] std::string encode_ready(const std::string& problem);
[[nodiscard]] Expected<std::string> decode_ready(std::string_view bytes);

} // namespace dockscan::agent::sandbox
