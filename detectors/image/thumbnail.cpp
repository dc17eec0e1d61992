#include "detectors/image/thumbnail.hpp"

#include "detectors/image/decode.hpp"
#include "detectors/image/vision.hpp"

namespace dockscan::detectors::image {

Expected<EvidenceThumbnail> evidence_thumbnail(std::string_view bytes) {
    DOCKSCAN_TRY_ASSIGN(const Decoded d,
                        decode(bytes, k_min_thumbnail_long_side, Thumbnail::accepted));
    return evidence_thumbnail(d);
}

Expected<EvidenceThumbnail> evidence_thumbnail(const Decoded& d) {
    const Plane y = unreadable_preview(d.luma, k_thumbnail_detail_long_side, k_thumbnail_long_side);
    Plane cb;
    Plane cr;
    if (!d.cb.empty() && !d.cr.empty()) {
        cb = resized(unreadable_preview(d.cb, k_thumbnail_detail_long_side, k_thumbnail_long_side),
                     y.width, y.height);
        cr = resized(unreadable_preview(d.cr, k_thumbnail_detail_long_side, k_thumbnail_long_side),
                     y.width, y.height);
    }
    DOCKSCAN_TRY_ASSIGN(std::string jpeg, jpeg_encode(y, cb, cr, 70));
    return EvidenceThumbnail{std::move(jpeg), y.width, y.height};
}

} // namespace dockscan::detectors::image
