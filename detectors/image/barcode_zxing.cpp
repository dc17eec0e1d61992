// The one file that includes ZXing-cpp.

#include "detectors/image/barcode.hpp"

#include <algorithm>
#include <climits>
#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

namespace dockscan::detectors::image {

std::vector<Barcode> read_barcodes(const Plane& grey, BarcodeEffort effort) {
    std::vector<Barcode> out;
    if (grey.empty()) {
        return out;
    }
    ZXing::DecodeHints hints;
    // Only the formats that carry free text or numbers on care papers and wristbands;
    // the retail codes (EAN, UPC) carry product numbers only, and each format costs time.
    if (effort == BarcodeEffort::quick) {
        hints.setFormats(ZXing::BarcodeFormat::QRCode | ZXing::BarcodeFormat::DataMatrix);
        hints.setTryHarder(false);
        hints.setTryRotate(false);
        // The 1000 px work image is already small: no pyramid of smaller copies.
        hints.setTryDownscale(false);
    } else {
        hints.setFormats(ZXing::BarcodeFormat::QRCode | ZXing::BarcodeFormat::DataMatrix |
                         ZXing::BarcodeFormat::PDF417 | ZXing::BarcodeFormat::Aztec |
                         ZXing::BarcodeFormat::Code128 | ZXing::BarcodeFormat::Code39 |
                         ZXing::BarcodeFormat::Code93 | ZXing::BarcodeFormat::ITF |
                         ZXing::BarcodeFormat::Codabar);
        hints.setTryHarder(true);
        hints.setTryRotate(true);
    }
    hints.setMaxNumberOfSymbols(8);
    try {
        const ZXing::ImageView view(grey.pixels.data(), grey.width, grey.height,
                                    ZXing::ImageFormat::Lum);
        for (const ZXing::Result& r : ZXing::ReadBarcodes(view, hints)) {
            if (!r.isValid()) {
                continue;
            }
            int x0 = INT_MAX, y0 = INT_MAX, x1 = INT_MIN, y1 = INT_MIN;
            for (const ZXing::PointI& p : r.position()) {
                x0 = std::min(x0, p.x), y0 = std::min(y0, p.y);
                x1 = std::max(x1, p.x), y1 = std::max(y1, p.y);
            }
            Barcode b;
            b.format = ZXing::ToString(r.format());
            b.text = r.text();
            b.box = x1 >= x0 ? Box{x0, y0, x1 - x0 + 1, y1 - y0 + 1} : Box{0, 0, 0, 0};
            out.push_back(std::move(b));
        }
    } catch (const std::exception&) {
        // A reader failure on one odd image is no reason to lose the other signals.
        out.clear();
    }
    return out;
}

} // namespace dockscan::detectors::image
