#include "detectors/image/screen_sizes.hpp"

#include <algorithm>
#include <cmath>

namespace dockscan::detectors::image {
namespace {

struct Size {
    int short_side;
    int long_side;
};

// Native resolutions of iPhones and common Android phones (portrait), the work phones
// of Swedish municipalities among them (iPhone SE to 16, Galaxy A and XCover).
constexpr Size k_screens[] = {
    // iPhone
    {640, 1136},
    {750, 1334},
    {828, 1792},
    {1125, 2436},
    {1170, 2532},
    {1179, 2556},
    {1206, 2622},
    {1242, 2208},
    {1242, 2688},
    {1284, 2778},
    {1290, 2796},
    {1320, 2868},
    // Android
    {720, 1280},
    {720, 1480},
    {720, 1520},
    {720, 1600},
    {1080, 1920},
    {1080, 2220},
    {1080, 2280},
    {1080, 2316},
    {1080, 2340},
    {1080, 2400},
    {1080, 2408},
    {1080, 2412},
    {1080, 2424},
    {1220, 2712},
    {1260, 2800},
    {1280, 2856},
    {1344, 2992},
    {1440, 2560},
    {1440, 2960},
    {1440, 3088},
    {1440, 3120},
    {1440, 3200},
};

} // namespace

ScreenMatch match_screen(int width, int height) {
    const int s = std::min(width, height);
    const int l = std::max(width, height);
    if (s <= 0) {
        return ScreenMatch::none;
    }
    for (const Size& size : k_screens) {
        if (size.short_side == s && size.long_side == l) {
            return ScreenMatch::exact;
        }
    }
    // Phone screens are 16:9 to 20:9 tall; cameras take 4:3 (and 16:9 in video mode,
    // at camera sizes such as 4032x2268, larger than any screen). A 16:9 picture counts
    // only upright, as screens are captured (video frames are wide), and only at screen
    // sizes (a scaled screenshot, an emulator's).
    const double ratio = static_cast<double>(l) / s;
    const bool upright = height > width;
    if (l <= 3200 &&
        ((ratio >= 2.0 && ratio <= 2.3) || (upright && ratio >= 1.76 && ratio <= 1.79))) {
        return ScreenMatch::aspect;
    }
    return ScreenMatch::none;
}

} // namespace dockscan::detectors::image
