// libFuzzer target: the decode path of photos (JPEG, PNG, HEIC) as the scan takes it:
// the header, the cheap decode that accepts an embedded thumbnail, the large decode for
// OCR, and the evidence thumbnail, each within the pixel limits of detectors/image.

#include "detectors/image/decode.hpp"
#include "detectors/image/passes.hpp"
#include "detectors/image/thumbnail.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

using namespace dockscan::detectors::image;

// The long side ImageAnalyser asks for OCR (image_detector.cpp's k_ocr_decode_long_side).
constexpr int k_ocr = 2000;

void check_plane(const Plane& plane) {
    if (plane.pixels.size() !=
        static_cast<std::size_t>(plane.width) * static_cast<std::size_t>(plane.height)) {
        __builtin_trap();
    }
}

// What comes out is never more than the pixel limit allows, and never empty.
void check(const Expected<Decoded>& decoded) {
    if (!decoded) {
        return;
    }
    if (decoded->luma.empty()) {
        __builtin_trap();
    }
    check_plane(decoded->luma);
    check_plane(decoded->cb);
    check_plane(decoded->cr);
    if (static_cast<std::uint64_t>(decoded->luma.width) *
            static_cast<std::uint64_t>(decoded->luma.height) >
        k_max_pixels) {
        __builtin_trap();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    if (!read_header(bytes)) {
        return 0;
    }
    check(decode(bytes, k_cheap_long_side, Thumbnail::accepted));
    check(decode(bytes, k_ocr));
    if (auto thumbnail = evidence_thumbnail(bytes)) {
        if (thumbnail->jpeg.empty() ||
            std::max(thumbnail->width, thumbnail->height) > k_thumbnail_long_side) {
            __builtin_trap();
        }
    }
    return 0;
}
