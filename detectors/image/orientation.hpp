#pragma once

// EXIF orientation applied to a decoded plane, so that detectors and boxes work in
// the orientation a person sees.

#include "detectors/image/image.hpp"

namespace dockscan::detectors::image {

// `plane` turned from stored to display orientation (EXIF values 1..8).
[[nodiscard]] Plane oriented(const Plane& plane, int orientation);

} // namespace dockscan::detectors::image
