// The skin pass: skin filling the frame without a face (possibly a wound photo).

#include "detectors/image/passes.hpp"

#include <algorithm>

namespace dockscan::detectors::image {
namespace {

// Skin of every tone clusters in this Cb/Cr box (Chai and Ngan's YCbCr skin model).
constexpr int k_cr_min = 136;
constexpr int k_cr_max = 173;
constexpr int k_cb_min = 77;
constexpr int k_cb_max = 127;
// Skin over this share of the frame is a close-up. Colour alone is weak evidence (wood,
// sand, a cat's fur: scikit-image's chelsea.png), so the confidence stays low.
constexpr double k_closeup_share = 0.6;
constexpr double k_base = 0.2;
constexpr double k_per_share = 0.3;
constexpr double k_max_confidence = 0.5;

} // namespace

double skin_share(const Decoded& d) {
    if (d.cb.empty() || d.cr.empty() || d.cb.pixels.size() != d.cr.pixels.size()) {
        return 0;
    }
    std::size_t skin = 0;
    for (std::size_t i = 0; i < d.cr.pixels.size(); ++i) {
        const int cb = d.cb.pixels[i];
        const int cr = d.cr.pixels[i];
        if (cr >= k_cr_min && cr <= k_cr_max && cb >= k_cb_min && cb <= k_cb_max) {
            ++skin;
        }
    }
    return static_cast<double>(skin) / static_cast<double>(d.cr.pixels.size());
}

std::optional<Signal> skin_closeup(const Photo& photo, double skin) {
    if (skin <= k_closeup_share) {
        return std::nullopt;
    }
    return image_signal(Kind::skin_closeup, std::min(k_max_confidence, k_base + skin * k_per_share),
                        photo.whole());
}

} // namespace dockscan::detectors::image
