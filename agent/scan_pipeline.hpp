#pragma once

// One scan of one phone: list the items, skip what an earlier scan saw unchanged,
// read the rest (this thread: the phone is the bottleneck), analyse them on a
// worker pool, and write results to the store in batched transactions.

#include <cstddef>
#include <cstdint>
#include <stop_token>
#include <string>

#include "agent/analysis.hpp"
#include "agent/store/store.hpp"
#include "docking/phone_source.hpp"

namespace dockscan::agent {

struct ScanOptions {
    AnalysisOptions analysis;
    std::size_t workers = 0;     // 0: one per core
    std::size_t batch_size = 200; // items per store transaction
};

struct ScanSummary {
    std::int64_t scan_id = 0;
    std::string source;
    ScanStatus status = ScanStatus::failed;
    std::string reason;
    ItemCounts counts;
    std::int64_t scanned = 0; // items analysed in this scan (not unchanged, not failed)
    std::int64_t findings = 0;
};

// Scans `source` into `store` as a scan of phone `phone_id`. The scan is recorded
// whatever happens: an error is returned only when the store itself fails.
[[nodiscard]] Expected<ScanSummary> run_scan(docking::PhoneSource& source, Store& store,
                                             std::int64_t phone_id, const ScanOptions& options,
                                             std::stop_token stop);

} // namespace dockscan::agent
