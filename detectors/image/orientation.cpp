#include "detectors/image/orientation.hpp"

namespace dockscan::detectors::image {

Plane oriented(const Plane& plane, int orientation) {
    if (orientation < 2 || orientation > 8 || plane.empty()) {
        return plane;
    }
    const int w = plane.width;
    const int h = plane.height;
    const bool swap = orientation >= 5;
    Plane out;
    out.width = swap ? h : w;
    out.height = swap ? w : h;
    out.pixels.resize(plane.pixels.size());
    for (int y = 0; y < out.height; ++y) {
        for (int x = 0; x < out.width; ++x) {
            int sx = x;
            int sy = y;
            switch (orientation) {
            case 2:
                sx = w - 1 - x;
                break;
            case 3:
                sx = w - 1 - x;
                sy = h - 1 - y;
                break;
            case 4:
                sy = h - 1 - y;
                break;
            case 5:
                sx = y;
                sy = x;
                break;
            case 6:
                sx = y;
                sy = h - 1 - x;
                break;
            case 7:
                sx = w - 1 - y;
                sy = h - 1 - x;
                break;
            case 8:
                sx = w - 1 - y;
                sy = x;
                break;
            default:
                break;
            }
            out.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(out.width) +
                       static_cast<std::size_t>(x)] = plane.at(sx, sy);
        }
    }
    return out;
}

} // namespace dockscan::detectors::image
