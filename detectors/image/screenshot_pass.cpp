// The screenshot pass: did the phone make this picture of its own screen?

#include "detectors/image/passes.hpp"
#include "detectors/image/screen_sizes.hpp"

#include <algorithm>

namespace dockscan::detectors::image {
namespace {

// The phone knows which images it made itself (iOS Photos library's flag).
constexpr double k_hinted = 0.95;
// One of the known screen sizes exactly, or only a screen's shape (an upright 16:9
// picture: a scaled or an emulator's screenshot; sideways 16:9 is a video frame as often).
constexpr double k_exact_screen = 0.45;
constexpr double k_screen_shape = 0.2;
// Screenshots are PNGs on most phones.
constexpr double k_png = 0.15;
// Rendered UI is mostly flat colour; a camera's noise makes almost nothing flat. (Video
// frames and web pictures of 1920x1080 without EXIF are not flat.) On F-Droid's phone
// screenshots this brings 47 of 48 in (tests/bench/README.md).
constexpr double k_flat_share = 0.55;
constexpr double k_flat = 0.3;
// Without the phone's word, never quite as sure as with it.
constexpr double k_max_unhinted = 0.9;

} // namespace

double screenshot_score(const Photo& photo, const ImageHints& hints) {
    const Header& header = photo.header;
    if (hints.screenshot) {
        return *hints.screenshot ? k_hinted : 0.0;
    }
    // A camera's EXIF rules a screenshot out. The flat-colour measure (~4.5 ms) is made
    // only when neither it nor the phone's flag decide.
    if (header.camera_exif) {
        return 0.0;
    }
    double score = 0;
    const ScreenMatch match = match_screen(header.display_width(), header.display_height());
    if (match == ScreenMatch::exact) {
        score += k_exact_screen;
    } else if (match == ScreenMatch::aspect) {
        score += k_screen_shape;
    }
    if (header.format == Format::png) {
        score += k_png;
    }
    if (flat_share(photo.work) > k_flat_share) {
        score += k_flat;
    }
    return std::min(score, k_max_unhinted);
}

} // namespace dockscan::detectors::image
