// The one file that includes libspng.

#include "detectors/image/decode.hpp"

#include <memory>
#include <spng.h>

namespace dockscan::detectors::image {
namespace {

struct SpngFree {
    void operator()(spng_ctx* ctx) const { spng_ctx_free(ctx); }
};
using SpngCtx = std::unique_ptr<spng_ctx, SpngFree>;

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
        return fail(ErrorCode::corrupt, std::string("PNG header: ") + spng_strerror(rc));
    }
    Header header;
    header.format = Format::png;
    header.width = static_cast<int>(std::min<std::uint32_t>(ihdr.width, 1u << 30));
    header.height = static_cast<int>(std::min<std::uint32_t>(ihdr.height, 1u << 30));
    return header;
}

Expected<Decoded> png_decode(std::string_view bytes, const Header& header) {
    DOCKSCAN_TRY_ASSIGN(SpngCtx ctx, open(bytes));
    std::size_t size = 0;
    if (const int rc = spng_decoded_image_size(ctx.get(), SPNG_FMT_RGB8, &size); rc != 0) {
        return fail(ErrorCode::corrupt, std::string("PNG: ") + spng_strerror(rc));
    }
    const auto w = static_cast<std::size_t>(header.width);
    const auto h = static_cast<std::size_t>(header.height);
    if (size != w * h * 3) {
        return fail(ErrorCode::corrupt, "PNG: unexpected decoded size");
    }
    std::vector<std::uint8_t> rgb(size);
    if (const int rc =
            spng_decode_image(ctx.get(), rgb.data(), rgb.size(), SPNG_FMT_RGB8, SPNG_DECODE_TRNS);
        rc != 0) {
        return fail(ErrorCode::corrupt, std::string("PNG: ") + spng_strerror(rc));
    }
    Decoded out;
    out.header = header;
    for (Plane* p : {&out.luma, &out.cb, &out.cr}) {
        p->width = header.width;
        p->height = header.height;
        p->pixels.resize(w * h);
    }
    // BT.601 full range, as JPEG stores it, so that every format feeds the same
    // thresholds.
    for (std::size_t i = 0; i < w * h; ++i) {
        const int r = rgb[3 * i];
        const int g = rgb[3 * i + 1];
        const int b = rgb[3 * i + 2];
        out.luma.pixels[i] = static_cast<std::uint8_t>((77 * r + 150 * g + 29 * b + 128) >> 8);
        out.cb.pixels[i] = static_cast<std::uint8_t>(
            std::clamp((-43 * r - 85 * g + 128 * b + 128) / 256 + 128, 0, 255));
        out.cr.pixels[i] = static_cast<std::uint8_t>(
            std::clamp((128 * r - 107 * g - 21 * b + 128) / 256 + 128, 0, 255));
    }
    return out;
}

} // namespace dockscan::detectors::image
