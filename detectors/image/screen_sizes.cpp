#include "detectors/image/screen_sizes.hpp"

#include <algorithm>
#include <cmath>

namespace dockscan::detectors::image {
namespace {

struct Size {
    int short_side;
    int long_side;
};

// Native resolutions of iPhones and common Android phones (portrait).
constexpr Size k_screens[] = {
    {640, 1136},  {750, 1334},  {828, 1792},  {1080, 1920}, {1125, 2436}, {1170, 2532},
    {1179, 2556}, {1242, 2208}, {1242, 2688}, {1284, 2778}, {1290, 2796}, {1080, 2340},
    {1080, 2400}, {1080, 2280}, {720, 1600},  {720, 1520},  {1440, 3200}, {1440, 3088},
    {1080, 2412}, {720, 1280},  {1440, 2960}, {1080, 2220}, {1344, 2992}, {1260, 2800},
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
    // at camera sizes such as 4032x2268, larger than any screen).
    const double ratio = static_cast<double>(l) / s;
    if (ratio >= 2.0 && ratio <= 2.3 && l <= 3200) {
        return ScreenMatch::aspect;
    }
    return ScreenMatch::none;
}

} // namespace dockscan::detectors::image
