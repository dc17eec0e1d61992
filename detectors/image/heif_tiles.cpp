// A HEIF grid decoded one tile at a time (heif_grid.hpp): each tile's samples are added
// to box sums at the reduced size as soon as it is decoded, and a row of the reduced
// image is finished once the row of tiles below it has been added.

#include "detectors/image/decode.hpp"
#include "detectors/image/heif_grid.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace dockscan::detectors::image {
namespace {

// One plane of `width` x `height` samples, box-averaged by `factor`, fed in blocks
// whose rows come band by band (a band at most `band_rows` high): only the sums of the
// reduced rows a band can touch are kept.
class Accumulator {
public:
    Accumulator(int width, int height, int factor, int band_rows)
        : m_width(width), m_height(height), m_factor(factor) {
        m_out.width = (width + factor - 1) / factor;
        m_out.height = (height + factor - 1) / factor;
        m_out.pixels.resize(static_cast<std::size_t>(m_out.width) *
                            static_cast<std::size_t>(m_out.height));
        m_window = band_rows / factor + 2;
        m_sums.resize(static_cast<std::size_t>(m_window) * static_cast<std::size_t>(m_out.width));
    }

    // Adds the `w` x `h` samples at `data` whose top left is (x0, y0) in the plane;
    // samples outside the plane (a tile's part beyond the image) are left out.
    void add(const std::uint8_t* data, std::ptrdiff_t stride, int x0, int y0, int w, int h) {
        const int rows = std::min(h, m_height - y0);
        const int cols = std::min(w, m_width - x0);
        for (int y = 0; y < rows; ++y) {
            const int oy = (y0 + y) / m_factor - m_first;
            if (oy < 0 || oy >= m_window) {
                continue; // not in order: cannot happen for a grid decoded row by row
            }
            const std::uint8_t* row = data + static_cast<std::ptrdiff_t>(y) * stride;
            std::uint32_t* sums = m_sums.data() + static_cast<std::size_t>(oy) *
                                                      static_cast<std::size_t>(m_out.width);
            for (int x = 0; x < cols; ++x) {
                sums[(x0 + x) / m_factor] += row[x];
            }
        }
    }

    // Finishes every reduced row whose samples all lie above `input_row` (all of them
    // at the plane's end).
    void finish_before(int input_row) {
        int done = 0;
        while (m_first + done < m_out.height &&
               (input_row >= m_height || (m_first + done + 1) * m_factor <= input_row)) {
            const int oy = m_first + done;
            const int rows = std::min(m_factor, m_height - oy * m_factor);
            const std::uint32_t* sums = m_sums.data() + static_cast<std::size_t>(done) *
                                                            static_cast<std::size_t>(m_out.width);
            std::uint8_t* out = m_out.pixels.data() + static_cast<std::size_t>(oy) *
                                                          static_cast<std::size_t>(m_out.width);
            for (int ox = 0; ox < m_out.width; ++ox) {
                const int cols = std::min(m_factor, m_width - ox * m_factor);
                const auto n = static_cast<std::uint32_t>(rows * cols);
                out[ox] = static_cast<std::uint8_t>((sums[ox] + n / 2) / n);
            }
            ++done;
            if (done == m_window) {
                break;
            }
        }
        if (done == 0) {
            return;
        }
        // The rows still open move to the front of the window.
        const std::size_t row = static_cast<std::size_t>(m_out.width);
        std::copy(m_sums.begin() +
                      static_cast<std::ptrdiff_t>(static_cast<std::size_t>(done) * row),
                  m_sums.end(), m_sums.begin());
        std::fill(m_sums.end() - static_cast<std::ptrdiff_t>(static_cast<std::size_t>(done) * row),
                  m_sums.end(), 0u);
        m_first += done;
    }

    [[nodiscard]] Plane take() { return std::move(m_out); }

private:
    int m_width;
    int m_height;
    int m_factor;
    int m_window = 0;
    int m_first = 0; // the reduced row of the window's first row of sums
    std::vector<std::uint32_t> m_sums;
    Plane m_out;
};

Plane rotated(const Plane& in, int quarter_turns) {
    if (quarter_turns % 4 == 0 || in.empty()) {
        return in;
    }
    Plane out;
    const bool swap = quarter_turns % 2 == 1;
    out.width = swap ? in.height : in.width;
    out.height = swap ? in.width : in.height;
    out.pixels.resize(in.pixels.size());
    const int w = in.width;
    const int h = in.height;
    for (int y = 0; y < out.height; ++y) {
        for (int x = 0; x < out.width; ++x) {
            std::uint8_t v = 0;
            switch (quarter_turns % 4) {
            case 1: // anticlockwise: the top right corner comes to the top left
                v = in.at(w - 1 - y, x);
                break;
            case 2:
                v = in.at(w - 1 - x, h - 1 - y);
                break;
            default: // three quarters anticlockwise: one clockwise
                v = in.at(y, h - 1 - x);
                break;
            }
            out.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(out.width) +
                       static_cast<std::size_t>(x)] = v;
        }
    }
    return out;
}

Plane mirrored(const Plane& in, int axis) {
    Plane out = in;
    for (int y = 0; y < in.height; ++y) {
        for (int x = 0; x < in.width; ++x) {
            out.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(in.width) +
                       static_cast<std::size_t>(x)] =
                axis == 0 ? in.at(x, in.height - 1 - y) : in.at(in.width - 1 - x, y);
        }
    }
    return out;
}

} // namespace

Expected<Decoded> decode_grid(const HeifGrid& grid, const Header& header, int min_long_side) {
    const int factor = reduction_factor(grid.output_width, grid.output_height, min_long_side);
    // Known once the first tile is decoded: chroma subsampling (0 or 1 per direction),
    // or no chroma at all.
    std::optional<Accumulator> planes[3];
    int shift_x = 0;
    int shift_y = 0;
    bool monochrome = false;
    std::optional<std::string> failure; // why a tile does not fit (corrupt)
    for (int r = 0; r < grid.rows; ++r) {
        for (int c = 0; c < grid.columns; ++c) {
            const HeifTile& tile =
                grid.tiles[static_cast<std::size_t>(r) * static_cast<std::size_t>(grid.columns) +
                           static_cast<std::size_t>(c)];
            const auto use = [&](const HevcPicture& picture) {
                if (picture.width[0] != grid.tile_width || picture.height[0] != grid.tile_height) {
                    failure = "HEIF grid: a tile is not of the size it says";
                    return;
                }
                const bool mono = picture.plane[1] == nullptr || picture.plane[2] == nullptr;
                const int sx = mono ? 0 : (picture.width[1] < picture.width[0] ? 1 : 0);
                const int sy = mono ? 0 : (picture.height[1] < picture.height[0] ? 1 : 0);
                if (!planes[0]) {
                    monochrome = mono;
                    shift_x = sx;
                    shift_y = sy;
                    if ((grid.tile_width >> sx) << sx != grid.tile_width ||
                        (grid.tile_height >> sy) << sy != grid.tile_height) {
                        failure = "HEIF grid: tiles of an odd size with chroma "
                                  "at half resolution";
                        return;
                    }
                    planes[0].emplace(grid.output_width, grid.output_height, factor,
                                      grid.tile_height);
                    if (!mono) {
                        for (int p = 1; p < 3; ++p) {
                            planes[p].emplace((grid.output_width + sx) >> sx,
                                              (grid.output_height + sy) >> sy, factor,
                                              grid.tile_height >> sy);
                        }
                    }
                } else if (mono != monochrome || sx != shift_x || sy != shift_y) {
                    failure = "HEIF grid: tiles differ in their chroma format";
                    return;
                }
                if (!mono && (picture.width[1] != grid.tile_width >> sx ||
                              picture.height[1] != grid.tile_height >> sy ||
                              picture.width[2] != picture.width[1] ||
                              picture.height[2] != picture.height[1])) {
                    failure = "HEIF grid: a tile's chroma planes do not fit";
                    return;
                }
                planes[0]->add(picture.plane[0], picture.stride[0], c * grid.tile_width,
                               r * grid.tile_height, picture.width[0], picture.height[0]);
                for (int p = 1; p < 3 && !mono; ++p) {
                    planes[p]->add(picture.plane[p], picture.stride[p], (c * grid.tile_width) >> sx,
                                   (r * grid.tile_height) >> sy, picture.width[p],
                                   picture.height[p]);
                }
            };
            DOCKSCAN_TRY(decode_hevc(tile.hvcc, tile.data, use));
            if (failure) {
                return fail(ErrorCode::corrupt, *failure);
            }
        }
        const int done = (r + 1) * grid.tile_height;
        planes[0]->finish_before(done);
        for (int p = 1; p < 3 && !monochrome; ++p) {
            planes[p]->finish_before(done >> shift_y);
        }
    }
    Decoded out;
    out.header = header;
    out.luma = planes[0]->take();
    if (!monochrome) {
        out.cb = planes[1]->take();
        out.cr = planes[2]->take();
    }
    for (const HeifTransform& t : grid.transforms) {
        for (Plane* p : {&out.luma, &out.cb, &out.cr}) {
            *p = t.kind == HeifTransform::Kind::rotate ? rotated(*p, t.value)
                                                       : mirrored(*p, t.value);
        }
    }
    return out;
}

} // namespace dockscan::detectors::image
