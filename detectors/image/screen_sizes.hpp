#pragma once

// Phone screen sizes: a picture of exactly a screen's size with no camera EXIF is most
// likely a screenshot.

namespace dockscan::detectors::image {

enum class ScreenMatch { none, aspect, exact };

// Whether `width` x `height` (either orientation) is a known phone screen resolution,
// or only has a phone screen's aspect ratio.
[[nodiscard]] ScreenMatch match_screen(int width, int height);

} // namespace dockscan::detectors::image
