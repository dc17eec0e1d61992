#pragma once

// HEIF files whose primary image is a grid of HEVC tiles, as phones write their photos
// (libheif 1.15's encoder writes only single frames).

#include <cstdint>
#include <string>
#include <vector>

namespace dockscan::test_images {

struct GridOptions {
    int tile = 512;        // tiles of tile x tile pixels (phones: 512)
    int quarter_turns = 0; // an irot property: quarter turns anticlockwise
    int mirror_axis = -1;  // an imir property: 0 vertical axis, 1 horizontal; -1 none
};

// `rgb` (interleaved, `width` x `height`) as a HEIF grid.
[[nodiscard]] std::string heif_grid(const std::vector<std::uint8_t>& rgb, int width, int height,
                                    const GridOptions& options = {});

} // namespace dockscan::test_images
