// The barcode pass: QR codes and barcodes that carry something personal.

#include "detectors/image/passes.hpp"

#include <algorithm>

namespace dockscan::detectors::image {

// Barcodes whose content the text detectors find something in (an identity number on a
// wristband or a summons): a `barcode` signal and the text signals, all with the code's
// box. A barcode with nothing personal in it (a parcel, a product) is no finding.
void add_barcode_signals(const Plane& grey, BarcodeEffort effort, double grey_to_display,
                         const TextOptions& options, std::vector<Signal>& signals) {
    const Scale scale{grey_to_display};
    for (const Barcode& code : read_barcodes(grey, effort)) {
        std::vector<Signal> found = scan_text(code.text, options);
        if (found.empty()) {
            continue;
        }
        const Box box = scale.box(code.box.x, code.box.y, code.box.x + code.box.width,
                                  code.box.y + code.box.height);
        double confidence = 0;
        for (Signal& s : found) {
            confidence = std::max(confidence, s.confidence);
            s.box = box;
            s.start = 0;
            s.end = 0;
        }
        signals.push_back(image_signal(Kind::barcode, confidence, box));
        for (Signal& s : found) {
            signals.push_back(std::move(s));
        }
    }
}

} // namespace dockscan::detectors::image
