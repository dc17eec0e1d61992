// The one file that includes libde265: the tiles of a HEIF grid, one at a time.

#include "base/owned.hpp"
#include "detectors/image/decode.hpp"
#include "detectors/image/heif_grid.hpp"

#include <libde265/de265.h>

namespace dockscan::detectors::image {
namespace {

using De265Context = base::Owned<de265_decoder_context, de265_free_decoder>;

// The tile's NAL units, each after a big-endian length of `length_size` bytes.
bool push_units(de265_decoder_context* ctx, std::string_view data, std::size_t length_size) {
    std::size_t at = 0;
    while (at < data.size()) {
        if (data.size() - at < length_size) {
            return false;
        }
        std::size_t length = 0;
        for (std::size_t i = 0; i < length_size; ++i) {
            length = length << 8 | static_cast<unsigned char>(data[at + i]);
        }
        at += length_size;
        if (length > data.size() - at) {
            return false;
        }
        if (de265_push_NAL(ctx, data.data() + at, static_cast<int>(length), 0, nullptr) !=
            DE265_OK) {
            return false;
        }
        at += length;
    }
    return true;
}

// The parameter sets (VPS, SPS, PPS) in the hvcC box, after its 22-byte header.
bool push_parameter_sets(de265_decoder_context* ctx, std::string_view hvcc) {
    if (hvcc.size() < 23) {
        return false;
    }
    std::size_t at = 22;
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(hvcc[i]); };
    const unsigned arrays = byte(at++);
    for (unsigned a = 0; a < arrays; ++a) {
        if (hvcc.size() - at < 3) {
            return false;
        }
        const std::size_t units = std::size_t{byte(at + 1)} << 8 | byte(at + 2);
        at += 3;
        for (std::size_t u = 0; u < units; ++u) {
            if (hvcc.size() - at < 2) {
                return false;
            }
            const std::size_t length = std::size_t{byte(at)} << 8 | byte(at + 1);
            at += 2;
            if (length > hvcc.size() - at ||
                de265_push_NAL(ctx, hvcc.data() + at, static_cast<int>(length), 0, nullptr) !=
                    DE265_OK) {
                return false;
            }
            at += length;
        }
    }
    return true;
}

} // namespace

Expected<void> decode_hevc(std::string_view hvcc, std::string_view data,
                           const std::function<void(const HevcPicture&)>& use) {
    if (hvcc.size() < 23 || data.size() > (1u << 30)) {
        return fail(ErrorCode::corrupt, "HEVC: no decoder configuration");
    }
    const std::size_t length_size = (static_cast<unsigned char>(hvcc[21]) & 3) + 1;
    if (length_size == 3) {
        return fail(ErrorCode::corrupt, "HEVC: unit lengths of 3 bytes");
    }
    De265Context ctx(de265_new_decoder());
    if (!ctx) {
        return fail(ErrorCode::engine, "cannot start the HEVC decoder");
    }
    if (!push_parameter_sets(ctx.get(), hvcc) || !push_units(ctx.get(), data, length_size)) {
        return fail(ErrorCode::corrupt, "HEVC: the tile's data is cut or malformed");
    }
    de265_flush_data(ctx.get());
    bool seen = false;
    int more = 1;
    while (more != 0 && !seen) {
        more = 0;
        const de265_error err = de265_decode(ctx.get(), &more);
        if (err != DE265_OK && err != DE265_ERROR_WAITING_FOR_INPUT_DATA) {
            return fail(ErrorCode::corrupt, vendor_reason("HEVC: ", de265_get_error_text(err)));
        }
        const de265_image* image = de265_peek_next_picture(ctx.get());
        if (image == nullptr) {
            continue;
        }
        seen = true;
        const de265_chroma chroma = de265_get_chroma_format(image);
        const int channels = chroma == de265_chroma_mono ? 1 : 3;
        HevcPicture picture;
        for (int c = 0; c < channels; ++c) {
            if (de265_get_bits_per_pixel(image, c) != 8) {
                de265_release_next_picture(ctx.get());
                return fail(ErrorCode::unsupported, "HEVC: samples of more than 8 bits");
            }
            int stride = 0;
            picture.plane[c] = de265_get_image_plane(image, c, &stride);
            picture.stride[c] = stride;
            picture.width[c] = de265_get_image_width(image, c);
            picture.height[c] = de265_get_image_height(image, c);
        }
        use(picture);
        de265_release_next_picture(ctx.get());
    }
    if (!seen) {
        return fail(ErrorCode::corrupt, "HEVC: the tile holds no picture");
    }
    return {};
}

} // namespace dockscan::detectors::image
