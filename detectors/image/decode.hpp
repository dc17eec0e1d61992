#pragma once

// Decoding for analysis: the cheapest decode that gives at least the asked-for size.
// JPEG uses DCT scaling (1/8..1/1), HEIF its embedded thumbnail when that is large
// enough, PNG decodes row by row and keeps only a box-reduced copy, and a HEIF grid (a
// phone's photo) is decoded one tile at a time into a box-reduced copy (heif_grid.hpp).
//
// Limits apply to what is decoded, not to what a file claims: every image that a
// decoder is about to decode (a JPEG at its DCT scale, a HEIF primary image or
// thumbnail, a PNG) is checked with check_decode_size first. A photo larger than the
// limit is decoded smaller where the format allows it (JPEG: a coarser DCT scale;
// HEIF: its thumbnail) and refused only when it does not. A single HEVC frame (not a
// grid) is decoded whole by libheif only up to 13 MP (heif_decoder.cpp says why).

#include "detectors/image/image.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dockscan::detectors::image {

// Whether an embedded thumbnail smaller than asked for will do (HEIF: an iPhone's is
// ~320 px and decodes in a few milliseconds, the 12 MP primary image in ~550 ms).
enum class Thumbnail { accepted, too_small };

// The smallest thumbnail the cheap passes accept.
constexpr int k_min_thumbnail_long_side = 256;

// The header of a JPEG, PNG or HEIF file, with the file size limit enforced. The
// pixel limit is not checked here: it applies to what is decoded (check_decode_size).
[[nodiscard]] Expected<Header> read_header(std::string_view bytes);

// Whether an image of `width` x `height` may be decoded: at least one pixel, at most
// `limit` (k_max_pixels; k_max_scaled_pixels for a JPEG's DCT-scaled output). `what`
// names it in the reason ("HEIF thumbnail").
[[nodiscard]] Expected<void> check_decode_size(std::int64_t width, std::int64_t height,
                                               std::string_view what,
                                               std::uint64_t limit = k_max_pixels);

// A vendor library's error text as an item's recorded reason: `prefix` and the text
// without the trailing newline and spaces some libraries end it with (libheif).
[[nodiscard]] std::string vendor_reason(std::string_view prefix, std::string_view text);

// The largest integer factor by which a `width` x `height` image can be shrunk and
// keep a long side of at least `min_long_side` (1 when it is already that small).
[[nodiscard]] int reduction_factor(int width, int height, int min_long_side);

// A plane of `width` x `height` 8-bit samples, `stride` bytes apart, box-averaged by
// `factor` (blocks at the right and bottom edges average the samples they have).
[[nodiscard]] Plane reduced(const std::uint8_t* data, int width, int height, std::ptrdiff_t stride,
                            int factor);

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
[[nodiscard]] Expected<Decoded> png_decode(std::string_view bytes, const Header& header,
                                           int min_long_side);
[[nodiscard]] Expected<Header> heif_header(std::string_view bytes);
[[nodiscard]] Expected<Decoded> heif_decode(std::string_view bytes, const Header& header,
                                            int min_long_side, Thumbnail thumbnail);

// A baseline JPEG of the planes: grey when `cb` is empty, else YCbCr with all three
// planes the same size (4:4:4). For evidence thumbnails (libjpeg-turbo's encoder).
[[nodiscard]] Expected<std::string> jpeg_encode(const Plane& y, const Plane& cb, const Plane& cr,
                                                int quality);

} // namespace dockscan::detectors::image
