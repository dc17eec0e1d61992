#pragma once

// Decoding for analysis: the cheapest decode that gives at least the asked-for size.
// JPEG uses DCT scaling (1/8..1/1), HEIF its embedded thumbnail when that is large
// enough, PNG decodes fully (screenshots are small).

#include "detectors/image/image.hpp"

#include <string_view>

namespace dockscan::detectors::image {

// The header of a JPEG, PNG or HEIF file, with the size limits enforced.
[[nodiscard]] Expected<Header> read_header(std::string_view bytes);

// Decodes so that the long side is at least `min_long_side` (or the full image when
// it is smaller), in display orientation.
[[nodiscard]] Expected<Decoded> decode(std::string_view bytes, int min_long_side);

// Per format, in their own translation units (one per vendor library).
[[nodiscard]] Expected<Header> jpeg_header(std::string_view bytes);
[[nodiscard]] Expected<Decoded> jpeg_decode(std::string_view bytes, const Header& header,
                                            int min_long_side);
[[nodiscard]] Expected<Header> png_header(std::string_view bytes);
[[nodiscard]] Expected<Decoded> png_decode(std::string_view bytes, const Header& header);
[[nodiscard]] Expected<Header> heif_header(std::string_view bytes);
[[nodiscard]] Expected<Decoded> heif_decode(std::string_view bytes, const Header& header,
                                            int min_long_side);

} // namespace dockscan::detectors::image
