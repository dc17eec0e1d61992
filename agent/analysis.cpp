#include "agent/analysis.hpp"

#include "agent/evidence.hpp"
#include "agent/policy.hpp"

namespace dockscan::agent {

std::vector<detectors::Signal> detect_in_text(const std::string& text,
                                              const AnalysisOptions& options) {
    return detectors::scan_text(text, options.text);
}

AnalysedItem analyse(const docking::ItemInfo& info, const docking::ItemContent& content,
                     const AnalysisOptions& options) {
    AnalysedItem out{info, {}, {}};
    if (content.kind != docking::ContentKind::text) {
        // Image detectors are not part of this build; the pipeline does not read
        // images until they are, so this is a programming error if reached.
        out.error = "no detector for this content";
        return out;
    }
    for (const detectors::Signal& signal : detect_in_text(content.data, options)) {
        const Proposal proposal = propose(info.type, signal);
        PendingFinding pending;
        pending.finding.kind = std::string(detectors::to_string(signal.kind));
        pending.finding.category = proposal.category;
        pending.finding.severity = std::string(to_string(proposal.severity));
        pending.finding.confidence = signal.confidence;
        pending.finding.masked = signal.masked;
        pending.finding.excerpt =
            redacted_excerpt(content.data, signal.start, signal.end, signal.masked);
        pending.finding.detector = std::string(detector_name(signal.kind));
        pending.finding.start = static_cast<std::int64_t>(signal.start);
        pending.finding.end = static_cast<std::int64_t>(signal.end);
        pending.normalized = signal.normalized;
        out.findings.push_back(std::move(pending));
    }
    return out;
}

} // namespace dockscan::agent
