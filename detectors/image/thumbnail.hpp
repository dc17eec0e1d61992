#pragma once

// Evidence thumbnails: what the store keeps of a flagged photo so that a supervisor can
// tell which photo a finding is about, and nothing more (DESIGN.md: small and blurred,
// faces and text unreadable).

#include "detectors/image/image.hpp"

#include <string>
#include <string_view>

namespace dockscan::detectors::image {

// The thumbnail's long side, and the detail it keeps: the photo averaged down to this
// many pixels across before it is enlarged and blurred.
constexpr int k_thumbnail_long_side = 96;
constexpr int k_thumbnail_detail_long_side = 24;

struct EvidenceThumbnail {
    std::string jpeg;
    int width = 0;
    int height = 0;
};

// A small, blurred JPEG of the encoded image `bytes` (display orientation, colour when
// the image has colour). Decodes at the smallest scale (JPEG 1/8, the HEIC thumbnail).
[[nodiscard]] Expected<EvidenceThumbnail> evidence_thumbnail(std::string_view bytes);

// The same of an image already decoded (any scale from k_min_thumbnail_long_side up: the
// picture is averaged down to k_thumbnail_detail_long_side first), so that a photo the
// analysis flagged is not decoded a second time for its thumbnail.
[[nodiscard]] Expected<EvidenceThumbnail> evidence_thumbnail(const Decoded& decoded);

} // namespace dockscan::detectors::image
