#pragma once

// How `dockscan inspect` reads a file named on its command line: with the same
// limits and text decoding as a phone's files, since it is often one.

#include "agent/error.hpp"
#include "agent/scan/analysis.hpp"

#include <string>
#include <vector>

namespace dockscan::agent {

// The detectors' signals for the file at `path`; ErrorCode::input with a reason when
// it cannot be read or is of a kind no detector handles. Images (.jpg, .jpeg, .png,
// .heic, .heif) go to `images`, which the caller keeps for the whole run.
[[nodiscard]] Expected<std::vector<detectors::Signal>>
inspect_file(const std::string& path, const AnalysisOptions& options,
             detectors::image::ImageAnalyser& images);

} // namespace dockscan::agent
