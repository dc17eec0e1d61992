// The one file that includes libspng.

#include "base/owned.hpp"
#include "detectors/image/decode.hpp"

#include <algorithm>
#include <memory>
#include <spng.h>
#include <vector>

namespace dockscan::detectors::image {
namespace {

using SpngCtx = base::Owned<spng_ctx, spng_ctx_free>;

// Ancillary chunks (text, ICC profiles) a phone PNG may carry; beyond this the file
// is refused rather than buffered.
constexpr std::size_t k_max_chunk_bytes = 8u << 20;

Expected<SpngCtx> open(std::string_view bytes) {
    SpngCtx ctx(spng_ctx_new(0));
    if (!ctx) {
        return fail(ErrorCode::engine, "cannot start the PNG decoder");
    }
    spng_set_chunk_limits(ctx.get(), k_max_chunk_bytes, k_max_chunk_bytes);
    // Checksums of ancillary chunks are not worth failing a scan over.
    spng_set_crc_action(ctx.get(), SPNG_CRC_USE, SPNG_CRC_USE);
    if (spng_set_png_buffer(ctx.get(), bytes.data(), bytes.size()) != 0) {
        return fail(ErrorCode::corrupt, "PNG: cannot read");
    }
    return ctx;
}

} // namespace

Expected<Header> png_header(std::string_view bytes) {
    DOCKSCAN_TRY_ASSIGN(SpngCtx ctx, open(bytes));
    spng_ihdr ihdr{};
    if (const int rc = spng_get_ihdr(ctx.get(), &ihdr); rc != 0) {
        return fail(ErrorCode::corrupt, vendor_reason("PNG header: ", spng_strerror(rc)));
    }
    Header header;
    header.format = Format::png;
    header.width = static_cast<int>(std::min<std::uint32_t>(ihdr.width, 1u << 30));
    header.height = static_cast<int>(std::min<std::uint32_t>(ihdr.height, 1u << 30));
    return header;
}

Expected<Decoded> png_decode(std::string_view bytes, const Header& header, int min_long_side) {
    // PNG has no reduced decode: a PNG over the pixel limit is refused. Under it, rows
    // are decoded one at a time into a box-reduced image, so memory does not grow with
    // the picture (a whole 99.99 MP PNG as RGB and three planes took 623 MB).
    DOCKSCAN_TRY(check_decode_size(header.width, header.height, "PNG"));
    DOCKSCAN_TRY_ASSIGN(SpngCtx ctx, open(bytes));
    spng_ihdr ihdr{};
    if (const int rc = spng_get_ihdr(ctx.get(), &ihdr); rc != 0) {
        return fail(ErrorCode::corrupt, vendor_reason("PNG header: ", spng_strerror(rc)));
    }
    std::size_t size = 0;
    if (const int rc = spng_decoded_image_size(ctx.get(), SPNG_FMT_RGB8, &size); rc != 0) {
        return fail(ErrorCode::corrupt, vendor_reason("PNG: ", spng_strerror(rc)));
    }
    const auto w = static_cast<std::size_t>(header.width);
    const auto h = static_cast<std::size_t>(header.height);
    if (size != w * h * 3) {
        return fail(ErrorCode::corrupt, "PNG: unexpected decoded size");
    }
    if (const int rc = spng_decode_image(ctx.get(), nullptr, 0, SPNG_FMT_RGB8,
                                         SPNG_DECODE_TRNS | SPNG_DECODE_PROGRESSIVE);
        rc != 0) {
        return fail(ErrorCode::corrupt, vendor_reason("PNG: ", spng_strerror(rc)));
    }
    const int factor = reduction_factor(header.width, header.height, min_long_side);
    const auto f = static_cast<std::size_t>(factor);
    const std::size_t out_w = (w + f - 1) / f;
    const std::size_t out_h = (h + f - 1) / f;
    Decoded out;
    out.header = header;
    for (Plane* p : {&out.luma, &out.cb, &out.cr}) {
        p->width = static_cast<int>(out_w);
        p->height = static_cast<int>(out_h);
        p->pixels.resize(out_w * out_h);
    }
    std::vector<std::uint8_t> row(w * 3);
    std::vector<std::uint64_t> sums(out_w * 3);
    std::vector<std::uint64_t> counts(out_w);
    std::size_t pending = out_h; // the output row `sums` holds, out_h for none
    const auto flush = [&] {
        if (pending >= out_h) {
            return;
        }
        for (std::size_t x = 0; x < out_w; ++x) {
            const std::uint64_t n = std::max<std::uint64_t>(counts[x], 1);
            const int r = static_cast<int>((sums[3 * x] + n / 2) / n);
            const int g = static_cast<int>((sums[3 * x + 1] + n / 2) / n);
            const int b = static_cast<int>((sums[3 * x + 2] + n / 2) / n);
            const std::size_t i = pending * out_w + x;
            // BT.601 full range, as JPEG stores it, so that every format feeds the same
            // thresholds.
            out.luma.pixels[i] = static_cast<std::uint8_t>((77 * r + 150 * g + 29 * b + 128) >> 8);
            out.cb.pixels[i] = static_cast<std::uint8_t>(
                std::clamp((-43 * r - 85 * g + 128 * b + 128) / 256 + 128, 0, 255));
            out.cr.pixels[i] = static_cast<std::uint8_t>(
                std::clamp((128 * r - 107 * g - 21 * b + 128) / 256 + 128, 0, 255));
        }
        std::fill(sums.begin(), sums.end(), 0);
        std::fill(counts.begin(), counts.end(), 0);
        pending = out_h;
    };
    const auto add = [&](std::size_t y) {
        if (y / f != pending) {
            flush();
            pending = y / f;
        }
        for (std::size_t x = 0; x < w; ++x) {
            const std::size_t o = x / f;
            sums[3 * o] += row[3 * x];
            sums[3 * o + 1] += row[3 * x + 1];
            sums[3 * o + 2] += row[3 * x + 2];
            ++counts[o];
        }
    };
    // Interlaced (Adam7): the last pass holds every pixel of the odd rows, written into
    // the row at their places; the reduced image is made of those rows alone. A one-row
    // image has no odd row: its row is whole once every pass is decoded.
    const bool interlaced = ihdr.interlace_method != SPNG_INTERLACE_NONE;
    int rc = 0;
    do {
        spng_row_info info{};
        rc = spng_get_row_info(ctx.get(), &info);
        if (rc != 0) {
            break;
        }
        rc = spng_decode_row(ctx.get(), row.data(), row.size());
        if (rc != 0 && rc != SPNG_EOI) {
            break;
        }
        if (!interlaced || info.pass == 6) {
            add(info.row_num);
        }
    } while (rc == 0);
    if (rc != SPNG_EOI) {
        return fail(ErrorCode::corrupt, vendor_reason("PNG: ", spng_strerror(rc)));
    }
    if (interlaced && h == 1) {
        add(0);
    }
    flush();
    return out;
}

} // namespace dockscan::detectors::image
