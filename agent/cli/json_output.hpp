#pragma once

// The JSON shapes of the command-line contracts (`inspect --jsonl`, `scan --json`,
// `findings --json`). Kept in one place because tools outside the project rely on them.

#include "agent/scan/scan_pipeline.hpp"
#include "agent/store/store.hpp"
#include "detectors/signal.hpp"

#include <nlohmann/json.hpp>

namespace dockscan::agent {

using Json = nlohmann::ordered_json;

// {"kind", "confidence", "start", "end", "masked"} or, for images, "box" instead of offsets.
[[nodiscard]] Json signal_json(const detectors::Signal& signal);

// The `scan --json` summary.
[[nodiscard]] Json scan_summary_json(const ScanSummary& summary);

// One element of the `findings --json` array.
[[nodiscard]] Json finding_json(const FindingRow& row);

// The items a scan could not read or analyse, with their reasons.
[[nodiscard]] Json failed_items_json(const std::vector<FailedItem>& items);

} // namespace dockscan::agent
