#pragma once

// Policy turns a detector's signal on an item into a finding's category and proposed
// severity. The supervisor decides; the proposal is never the verdict.

#include "detectors/signal.hpp"
#include "docking/phone_source.hpp"

#include <string>
#include <string_view>

namespace dockscan::agent {

enum class Severity { avvikelse, allvarlig_avvikelse };

// The stored and contract name: "avvikelse" or "allvarlig_avvikelse".
[[nodiscard]] std::string_view to_string(Severity severity);

struct Proposal {
    std::string category; // e.g. "personnummer_i_meddelande"
    Severity severity;
};

// The category and proposed severity for `signal` found in an item of type `item`.
[[nodiscard]] Proposal propose(docking::ItemType item, const detectors::Signal& signal);

// The detector that produces a kind, as recorded with each finding ("text/identity-number").
[[nodiscard]] std::string_view detector_name(detectors::Kind kind);

} // namespace dockscan::agent
