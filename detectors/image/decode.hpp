#pragma once

// Decoding for analysis: the cheapest decode that gives at least the asked-for size.
// JPEG uses DCT scaling (1/8..1/1), HEIF its embedded thumbnail when that is large
// enough, PNG decodes fully (screenshots are small).

#include "detectors/image/image.hpp"

#include <string>
#include <string_view>

namespace dockscan::detectors::image {

// Whether an embedded thumbnail smaller than asked for will do (HEIF: an iPhone's is
// ~320 px and decodes in a few milliseconds, the 12 MP primary image in ~550 ms).
enum class Thumbnail { accepted, too_small };

// The smallest thumbnail the cheap passes accept.
constexpr int k_min_thumbnail_long_side = 256;

// The header of a JPEG, PNG or HEIF file, with the size limits enforced.
[[nodiscard]] Expected<Header> read_header(std::string_view bytes);

// Decodes so that the long side is at least `min_long_side` (or the full image when
// it is smaller), in display orientation.
// With Thumbnail::accepted an embedded thumbnail of at least k_min_thumbnail_long_side
// is used even when it is smaller than `min_long_side`.
[[nodiscard]] Expected<Decoded> decode(std::string_view bytes, int min_long_side,
                                       Thumbnail thumbnail = Thumbnail::too_small);

// Per format, in their own translation units (one per vendor library).
[[nodiscard]] Expected<Header> jpeg_header(std::string_view bytes);
[[nodiscard]] Expected<Decoded> jpeg_decode(std::string_view bytes, const Header& header,
                                            int min_long_side);
[[nodiscard]] Expected<Header> png_header(std::string_view bytes);
[[nodiscard]] Expected<Decoded> png_decode(std::string_view bytes, const Header& header);
[[nodiscard]] Expected<Header> heif_header(std::string_view bytes);
[[nodiscard]] Expected<Decoded> heif_decode(std::string_view bytes, const Header& header,
                                            int min_long_side, Thumbnail thumbnail);

// A baseline JPEG of the planes: grey when `cb` is empty, else YCbCr with all three
// planes the same size (4:4:4). For evidence thumbnails (libjpeg-turbo's encoder).
[[nodiscard]] Expected<std::string> jpeg_encode(const Plane& y, const Plane& cb, const Plane& cr,
                                                int quality);

} // namespace dockscan::detectors::image
