#include "agent/cli/json_output.hpp"

#include "base/text.hpp"

#include <cmath>

namespace dockscan::agent {
namespace {

// Three decimals are what a person reads; more would suggest a precision we lack.
double rounded(double value) {
    return std::round(value * 1000.0) / 1000.0;
}

} // namespace

Json signal_json(const detectors::Signal& signal) {
    Json j;
    j["kind"] = std::string(detectors::to_string(signal.kind));
    j["confidence"] = rounded(signal.confidence);
    if (signal.box) {
        j["box"] = {signal.box->x, signal.box->y, signal.box->width, signal.box->height};
    } else {
        j["start"] = signal.start;
        j["end"] = signal.end;
    }
    j["masked"] = signal.masked;
    return j;
}

Json scan_summary_json(const ScanSummary& s) {
    Json j;
    j["scan_id"] = s.scan_id;
    j["source"] = base::printable(s.source);
    j["status"] = std::string(to_string(s.status));
    if (!s.reason.empty()) {
        j["reason"] = base::printable(s.reason);
    }
    j["items"] = {{"messages", s.counts.messages},
                  {"photos", s.counts.photos},
                  {"contacts", s.counts.contacts},
                  {"files", s.counts.files},
                  {"attachments", s.counts.attachments}};
    j["scanned"] = s.scanned;
    j["unchanged"] = s.counts.unchanged;
    j["errors"] = s.counts.errors;
    j["findings"] = s.findings;
    j["removals_verified"] = s.removals_verified;
    j["removals_still_there"] = s.removals_still_there;
    if (!s.skipped.empty()) {
        Json skipped = Json::array();
        for (const SkippedSource& source : s.skipped) {
            skipped.push_back(
                {{"ref", base::printable(source.ref)}, {"reason", base::printable(source.reason)}});
        }
        j["skipped_sources"] = std::move(skipped);
    }
    if (s.findings_not_recorded > 0) {
        j["findings_not_recorded"] = s.findings_not_recorded;
    }
    return j;
}

Json finding_json(const FindingRow& row) {
    Json j;
    j["id"] = row.id;
    j["scan_id"] = row.scan_id;
    j["item"] = {{"type", row.item_type}, {"ref", base::printable(row.item_ref)}};
    j["kind"] = row.kind;
    j["category"] = row.category;
    j["severity"] = row.severity;
    j["confidence"] = rounded(row.confidence);
    j["masked"] = row.masked;
    j["detector"] = row.detector;
    j["created_at"] = row.created_at;
    j["occurrences"] = row.occurrences;
    return j;
}

Json failed_items_json(const std::vector<FailedItem>& items) {
    Json array = Json::array();
    for (const FailedItem& item : items) {
        array.push_back({{"type", item.type},
                         {"ref", base::printable(item.ref)},
                         {"reason", base::printable(item.reason)}});
    }
    return array;
}

} // namespace dockscan::agent
