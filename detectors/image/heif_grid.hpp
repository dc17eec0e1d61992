#pragma once

// The structure of a HEIF file's primary image when it is a grid of HEVC tiles, as
// phones write their photos (an iPhone's 12 MP photo is 8x6 tiles of 512x512, a 48 MP
// one 16x12): read from the file's boxes (ISO/IEC 23008-12: pitm, iinf, iloc, iref,
// iprp, idat) without decoding anything, so that the tiles can be decoded one at a
// time into a reduced image. libheif 1.15 decodes a grid only whole (1.5 bytes a pixel
// of the canvas, 72 MB for 48 MP, 150 MB at the 100 MP limit). No I/O, no vendor API.

#include "detectors/image/image.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace dockscan::detectors::image {

// One tile: its decoder configuration (the hvcC box's content) and its coded data
// (length-prefixed NAL units), both views into the file.
struct HeifTile {
    std::string_view hvcc;
    std::string_view data;
};

// A transformation of the grid, in the order the file lists them (libheif applies
// them in that order too).
struct HeifTransform {
    enum class Kind { rotate, mirror };
    Kind kind = Kind::rotate;
    // rotate: quarter turns anticlockwise (0..3); mirror: the imir axis as libheif 1.15
    // reads it (0: top and bottom change places, 1: left and right), so that a grid
    // looks as every other HEIF image does here.
    int value = 0;
};

struct HeifGrid {
    int rows = 0;
    int columns = 0;
    int tile_width = 0;
    int tile_height = 0;
    // The image as the grid's `ispe` and data say, before the transformations: the
    // tiles' canvas cropped to this.
    int output_width = 0;
    int output_height = 0;
    std::vector<HeifTile> tiles; // row by row
    std::vector<HeifTransform> transforms;
};

// The primary image's grid; nothing when the primary image is no grid of HEVC tiles or
// uses what the tile-by-tile decoder does not do (a crop, an unknown essential
// property, a tile in several extents or in another item): libheif decodes those whole. `corrupt`
// when the boxes contradict themselves (a tile missing, tiles that do not cover the image).
[[nodiscard]] Expected<std::optional<HeifGrid>> find_primary_grid(std::string_view bytes);

// One decoded HEVC image's 8-bit planes, valid while the callback that gets them runs.
struct HevcPicture {
    // Luma, Cb, Cr; the chroma planes absent (nullptr) for a monochrome image.
    const std::uint8_t* plane[3] = {nullptr, nullptr, nullptr};
    std::ptrdiff_t stride[3] = {0, 0, 0};
    int width[3] = {0, 0, 0};
    int height[3] = {0, 0, 0};
};

// Decodes one HEVC image from its decoder configuration (an hvcC box's content) and
// coded data (NAL units with the length prefix hvcC names) and hands its planes to
// `use`. `corrupt` for data libde265 refuses or that holds no picture, `unsupported`
// for samples of more than 8 bits. The one file that includes libde265:
// hevc_decoder.cpp.
[[nodiscard]] Expected<void> decode_hevc(std::string_view hvcc, std::string_view data,
                                         const std::function<void(const HevcPicture&)>& use);

// The grid decoded one tile at a time into an image box-reduced so that its long side
// is at least `min_long_side` (the whole image when smaller), with the grid's
// transformations applied: memory is one tile, one row of tiles' worth of sums at the
// reduced size, and the result, whatever the grid's size.
[[nodiscard]] Expected<Decoded> decode_grid(const HeifGrid& grid, const Header& header,
                                            int min_long_side);

} // namespace dockscan::detectors::image
