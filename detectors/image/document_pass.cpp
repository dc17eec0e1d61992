// The document pass: a photographed page (a medication list, a summons, a letter).

#include "detectors/image/passes.hpp"

#include <algorithm>

namespace dockscan::detectors::image {
namespace {

// A page outline (not the picture's own border) with at least this many text lines.
constexpr int k_min_lines_on_page = 3;
// A page lying at an angle has slanted lines in the picture: squared up (inside this
// margin, past its edges) they are lines again. On real document photos this found a
// résumé at ~30° and a desk with a sheet at an angle (tests/bench/README.md).
constexpr double k_rectified_margin = 0.03;
// Confidence with an outline: more lines, more sure.
constexpr double k_page_base = 0.6;
constexpr double k_page_per_line = 0.02;
constexpr double k_page_max = 0.9;
// A page that fills the frame has no outline, only its lines, and they start at one
// margin. Texture (concrete, a painting's brush strokes) closes into line-like blobs
// too, but scattered: at most 4 aligned of 23 "lines" in the real photos measured,
// against 11 of 17 on a close-up of a medication list (tests/bench/README.md).
constexpr int k_min_lines_without_page = 10;
constexpr int k_min_aligned_without_page = 6;
constexpr double k_without_page = 0.55;

} // namespace

std::optional<Document> find_document(const Photo& photo) {
    const Plane& work = photo.work;
    std::optional<Quad> page = find_page(work);
    TextLines text = find_text_lines(work, page);
    if (page && text.lines < k_min_lines_on_page) {
        const Rectified squared = rectify(work, *page, k_work_long_side);
        const double w = squared.page.width - 1;
        const double h = squared.page.height - 1;
        const double lo = k_rectified_margin;
        const double hi = 1 - k_rectified_margin;
        const Quad inside = {PointF{lo * w, lo * h}, PointF{hi * w, lo * h}, PointF{hi * w, hi * h},
                             PointF{lo * w, hi * h}};
        text.lines = std::max(text.lines, find_text_lines(squared.page, inside).lines);
    }
    if (page && text.lines >= k_min_lines_on_page) {
        return Document{std::min(k_page_max, k_page_base + k_page_per_line * text.lines), page};
    }
    if (text.lines >= k_min_lines_without_page && text.aligned >= k_min_aligned_without_page) {
        return Document{k_without_page, std::nullopt};
    }
    return std::nullopt;
}

Signal document_signal(const Photo& photo, const Document& document) {
    if (!document.page) {
        return image_signal(Kind::document, document.confidence, photo.whole());
    }
    double x0 = 1e9, y0 = 1e9, x1 = 0, y1 = 0;
    for (const PointF& p : *document.page) {
        x0 = std::min(x0, p.x), y0 = std::min(y0, p.y);
        x1 = std::max(x1, p.x), y1 = std::max(y1, p.y);
    }
    return image_signal(Kind::document, document.confidence,
                        photo.work_to_display.box(x0, y0, x1, y1));
}

} // namespace dockscan::detectors::image
