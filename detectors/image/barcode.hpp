#pragma once

// QR codes and 1-D barcodes (hospital wristbands and papers carry identity numbers in
// them), read with ZXing-cpp behind our own types.

#include "detectors/image/image.hpp"
#include "detectors/signal.hpp"

#include <string>
#include <vector>

namespace dockscan::detectors::image {

struct Barcode {
    std::string format; // "QRCode", "Code128", ... (ZXing's names)
    std::string text;   // the decoded content, UTF-8
    Box box;            // in `grey`'s coordinates
};

// How hard to look. `quick`: 2-D codes only (QR, Data Matrix), upright: what survives
// the 1/4-scaled decode of a photo, for a few ms. `thorough`: 1-D codes too, rotated.
enum class BarcodeEffort { quick, thorough };

// Every barcode ZXing reads in `grey` (at most 8). Never throws.
[[nodiscard]] std::vector<Barcode> read_barcodes(const Plane& grey, BarcodeEffort effort);

} // namespace dockscan::detectors::image
