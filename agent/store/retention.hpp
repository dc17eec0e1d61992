#pragma once

// Retention: a finding's evidence is kept as long as the station's policy says
// (`[retention] days`), and never past that once its quarter has been reported. Purging
// empties what points at a person (the masked number, the keyed hash, the redacted
// excerpt, the item's label and the photo's thumbnail) and keeps what the quarterly
// and yearly reports count (kind, category, severity, decisions, actions), so that a
// report of a past quarter stays what it was.

#include "agent/error.hpp"
#include "agent/store/store.hpp"

#include <cstdint>
#include <functional>
#include <string>

namespace dockscan::agent::retention {

struct Purged {
    std::int64_t findings = 0;   // findings whose evidence was purged now
    std::int64_t thumbnails = 0; // thumbnails deleted
    std::string before;          // the cutoff: findings recorded before it were purged
};

// The cutoff for `now`: `days` ago, but no later than the start of the current quarter
// (UTC), since a quarter is reported after it ends.
[[nodiscard]] std::int64_t cutoff(int days, std::int64_t now);

// Called with the findings purged so far and how many there are to purge.
using PurgeProgress = std::function<void(std::int64_t done, std::int64_t total)>;

// Purges the evidence of findings recorded before cutoff(days, now), and writes what it
// did to the audit log (as `actor`). Findings purged before are left as they are. All
// or nothing (one transaction), in batches so that `progress` can tell how far it is.
[[nodiscard]] Expected<Purged> purge(Store& store, int days, std::int64_t now,
                                     const std::string& actor, const PurgeProgress& progress = {});

} // namespace dockscan::agent::retention
