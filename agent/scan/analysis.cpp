#include "agent/scan/analysis.hpp"

#include "agent/scan/evidence.hpp"
#include "agent/scan/policy.hpp"
#include "detectors/full_name.hpp"
#include "detectors/image/thumbnail.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace dockscan::agent {

std::vector<detectors::Signal> detect_in_text(const std::string& text,
                                              const AnalysisOptions& options) {
    return detectors::scan_text(text, options.text);
}

std::vector<detectors::Signal> detect_in_content(const docking::ItemContent& content,
                                                 const detectors::TextOptions& options) {
    std::vector<detectors::Signal> signals = detectors::scan_text(content.data, options);
    if (content.name) {
        const detectors::ContactName name{content.name->given, content.name->family,
                                          content.name->formatted};
        if (auto full_name = detectors::find_full_name(name, content.data)) {
            signals.push_back(std::move(*full_name));
        }
    }
    return signals;
}

namespace {

PendingFinding pending_finding(const docking::ItemInfo& info, const docking::ItemContent& content,
                               const detectors::Signal& signal) {
    const Proposal proposal = propose(info.type, signal);
    PendingFinding pending;
    pending.finding.kind = std::string(detectors::to_string(signal.kind));
    pending.finding.category = proposal.category;
    pending.finding.severity = std::string(to_string(proposal.severity));
    pending.finding.confidence = signal.confidence;
    pending.finding.masked = signal.masked;
    pending.finding.excerpt =
        signal.end > signal.start
            ? redacted_excerpt(content.data, signal.start, signal.end, signal.masked)
            : signal.masked;
    pending.finding.detector = std::string(detector_name(signal.kind));
    pending.finding.start =
        signal.end > signal.start ? static_cast<std::int64_t>(signal.start) : -1;
    pending.finding.end = signal.end > signal.start ? static_cast<std::int64_t>(signal.end) : -1;
    pending.normalized = signal.normalized;
    pending.finding.occurrences =
        static_cast<std::int64_t>(std::max<std::size_t>(1, signal.occurrences));
    return pending;
}

detectors::image::ImageHints image_hints(const std::optional<docking::PhotoHints>& hints) {
    detectors::image::ImageHints out;
    if (hints) {
        out.screenshot = hints->screenshot;
        out.faces = hints->faces;
    }
    return out;
}

} // namespace

void merge_and_cap(AnalysedItem& item) {
    std::vector<PendingFinding> kept;
    std::map<std::pair<std::string, std::string>, std::size_t> seen;
    for (PendingFinding& pending : item.findings) {
        if (!pending.normalized.empty()) {
            const auto key = std::make_pair(pending.finding.kind, pending.normalized);
            if (const auto it = seen.find(key); it != seen.end()) {
                NewFinding& first = kept[it->second].finding;
                first.occurrences += pending.finding.occurrences;
                first.confidence = std::max(first.confidence, pending.finding.confidence);
                std::fill(pending.normalized.begin(), pending.normalized.end(), '\0');
                continue;
            }
            seen.emplace(key, kept.size());
        }
        if (kept.size() >= k_max_findings_per_item) {
            ++item.findings_over_cap;
            std::fill(pending.normalized.begin(), pending.normalized.end(), '\0');
            continue;
        }
        kept.push_back(std::move(pending));
    }
    item.findings = std::move(kept);
}

detectors::image::Expected<std::vector<detectors::Signal>>
detect_in_image(const std::string& bytes, const std::optional<docking::PhotoHints>& hints,
                detectors::image::ImageAnalyser& images) {
    return images.analyse(bytes, image_hints(hints));
}

AnalysedItem analyse(const docking::ItemInfo& info, const docking::ItemContent& content,
                     const AnalysisOptions& options, detectors::image::ImageAnalyser& images) {
    if (content.kind != docking::ContentKind::image) {
        return analyse(info, content, options);
    }
    AnalysedItem out{info, {}, {}};
    // A flagged photo's thumbnail comes from the decode the analysis made.
    auto analysed = images.analyse_with_thumbnail(content.data, image_hints(info.photo_hints));
    if (!analysed) {
        // An attachment may be a video or a vCard: nothing the image detectors read,
        // and nothing wrong with the item.
        if (info.type == docking::ItemType::attachment &&
            analysed.error().code == detectors::image::ErrorCode::unsupported) {
            return out;
        }
        // A broken or oversized image is this item's outcome, never the scan's end.
        out.error = analysed.error().message;
        return out;
    }
    for (const detectors::Signal& signal : analysed->signals) {
        out.findings.push_back(pending_finding(info, content, signal));
    }
    merge_and_cap(out);
    if (!out.findings.empty() && analysed->thumbnail) {
        // Flagged photos only: a small, blurred picture for the reviewer to recognise
        // the photo by. Without one the findings still stand.
        detectors::image::EvidenceThumbnail& thumb = *analysed->thumbnail;
        out.findings.front().finding.thumbnail =
            Thumbnail{std::move(thumb.jpeg), thumb.width, thumb.height};
    }
    return out;
}

AnalysedItem analyse(const docking::ItemInfo& info, const docking::ItemContent& content,
                     const AnalysisOptions& options) {
    AnalysedItem out{info, {}, {}};
    if (content.kind != docking::ContentKind::text) {
        out.error = "no detector for this content";
        return out;
    }
    // A number written many times in one message or note is one finding with a count.
    detectors::TextOptions text = options.text;
    text.repeats = detectors::Repeats::counted;
    for (const detectors::Signal& signal : detect_in_content(content, text)) {
        out.findings.push_back(pending_finding(info, content, signal));
    }
    merge_and_cap(out);
    return out;
}

} // namespace dockscan::agent
