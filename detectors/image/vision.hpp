#pragma once

// The image measurements made with OpenCV, behind our own types: page outlines, text
// line counts, flatness, rectification. (Faces and people: neural.hpp.)

#include "detectors/image/image.hpp"
#include "detectors/signal.hpp"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace dockscan::detectors::image {

struct PointF {
    double x = 0;
    double y = 0;
};

// A page outline: top-left, top-right, bottom-right, bottom-left.
using Quad = std::array<PointF, 4>;

// `plane` scaled down so that its long side is at most `max_long_side`.
[[nodiscard]] Plane shrunk(const Plane& plane, int max_long_side);

// `plane` resized to exactly `width` x `height` (area averaging down, linear up).
[[nodiscard]] Plane resized(const Plane& plane, int width, int height);

// A picture nobody can read text or recognise a face in: `plane` reduced to
// `detail_long_side` pixels on its long side, enlarged to `long_side`, and blurred.
[[nodiscard]] Plane unreadable_preview(const Plane& plane, int detail_long_side, int long_side);

// The largest convex four-cornered outline that covers at least 15 % of the image:
// a page or card photographed on a background.
[[nodiscard]] std::optional<Quad> find_page(const Plane& grey);

// Text-line-shaped dark blobs in the image (or the part inside `page`): how many, and
// how many of them start at one left margin (within 1/40 of the width), as printed
// lines do and blobs of texture (concrete, a painting's brush strokes) do not.
struct TextLines {
    int lines = 0;
    int aligned = 0;
};
[[nodiscard]] TextLines find_text_lines(const Plane& grey, const std::optional<Quad>& page);

// Share of pixels with almost no gradient: high for rendered UI, low for photos,
// whose sensor noise and texture give every pixel some gradient.
[[nodiscard]] double flat_share(const Plane& grey);

// Text of either polarity as dark ink on white: chat apps draw white text on coloured
// bubbles next to dark text on grey ones, and OCR reads only one polarity well.
// `stroke_reach` must exceed the stroke width and stay below the letter spacing's scale.
[[nodiscard]] Plane ink_on_white(const Plane& grey, int stroke_reach);

// A 3x3 projective map.
struct Homography {
    std::array<double, 9> m{};
    [[nodiscard]] PointF apply(PointF p) const;
};

struct Rectified {
    Plane page;
    Homography to_source; // rectified page coordinates -> source plane coordinates
};

// The page inside `quad` warped to a flat rectangle (long side at most `max_long_side`).
[[nodiscard]] Rectified rectify(const Plane& grey, const Quad& quad, int max_long_side);

} // namespace dockscan::detectors::image
