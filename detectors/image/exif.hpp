#pragma once

// The two things the detectors want from a JPEG's EXIF block: orientation, and
// whether a camera wrote it (Make or Model). A bounded parser of untrusted bytes.

#include <string_view>

namespace dockscan::detectors::image {

struct ExifFacts {
    int orientation = 1; // 1..8
    bool camera = false; // Make (0x010f) or Model (0x0110) present in IFD0
};

// Scans the JPEG markers before the image data for an APP1 "Exif" segment and reads
// IFD0. Anything malformed yields the defaults.
[[nodiscard]] ExifFacts read_jpeg_exif(std::string_view jpeg);

} // namespace dockscan::detectors::image
