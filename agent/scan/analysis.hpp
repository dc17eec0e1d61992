#pragma once

// The CPU-bound step of a scan: one item's content in, minimised findings out.
// Runs on the worker pool; touches no store and no phone.

#include "agent/store/store.hpp"
#include "detectors/image/image_detector.hpp"
#include "detectors/text_detector.hpp"
#include "docking/phone_source.hpp"

#include <string>
#include <vector>

namespace dockscan::agent {

struct AnalysisOptions {
    detectors::TextOptions text;
    detectors::image::ImageOptions image;
};

// A finding before its keyed hash is computed: `normalized` is the full identity
// number, held only until the writer hashes it and never stored.
struct PendingFinding {
    NewFinding finding;
    std::string normalized;
};

// Findings one item may give: the same number written again and again is one finding
// with a count; past this many different ones the rest are counted, not recorded (one
// contact note with thousands of numbers is one item for the supervisor to act on).
inline constexpr std::size_t k_max_findings_per_item = 100;

struct AnalysedItem {
    docking::ItemInfo info;
    std::string error; // non-empty when the item could not be analysed
    std::vector<PendingFinding> findings;
    std::size_t findings_over_cap = 0; // found, but past k_max_findings_per_item
    std::string content_hash{};        // agent::content_hash of what was analysed
};

// One finding per identity number per item (the same kind and number): the first keeps
// the count of all and their highest confidence. Then at most k_max_findings_per_item.
void merge_and_cap(AnalysedItem& item);

// Runs every detector that applies to the content's kind. Images go to `images`, the
// calling worker's own analyser (its OCR engine is not thread-safe and costly to make).
[[nodiscard]] AnalysedItem analyse(const docking::ItemInfo& info,
                                   const docking::ItemContent& content,
                                   const AnalysisOptions& options,
                                   detectors::image::ImageAnalyser& images);

// Text-only items, for callers that never see images: an image is an error item.
[[nodiscard]] AnalysedItem analyse(const docking::ItemInfo& info,
                                   const docking::ItemContent& content,
                                   const AnalysisOptions& options);

// The image detectors over an encoded image, as used by `dockscan inspect`.
[[nodiscard]] detectors::image::Expected<std::vector<detectors::Signal>>
detect_in_image(const std::string& bytes, const std::optional<docking::PhotoHints>& hints,
                detectors::image::ImageAnalyser& images);

// Text detectors over a text, as used by `dockscan inspect`.
[[nodiscard]] std::vector<detectors::Signal> detect_in_text(const std::string& text,
                                                            const AnalysisOptions& options);

// The text detectors over an item's text and, for a contact, its name: a full name saved
// in the contact list is a finding of its own.
[[nodiscard]] std::vector<detectors::Signal>
detect_in_content(const docking::ItemContent& content, const detectors::TextOptions& options);

} // namespace dockscan::agent
