// The one file that includes libheif.

#include "base/owned.hpp"
#include "detectors/image/decode.hpp"
#include "detectors/image/heif_grid.hpp"

#include <algorithm>
#include <libheif/heif.h>
#include <memory>

namespace dockscan::detectors::image {
namespace {

using HeifContext = base::Owned<heif_context, heif_context_free>;
using HeifHandle = base::Owned<heif_image_handle, heif_image_handle_release>;
using HeifImage = base::Owned<heif_image, heif_image_release>;

// libheif's own guard: it refuses images whose side exceeds this before allocating.
constexpr int k_max_side = 32768;

// An HEVC image that libheif decodes in one piece (a single-frame primary image, a
// thumbnail, a grid we do not decode tile by tile) costs ~4.8 bytes a pixel at its
// peak: libde265's picture and its per-block data, and libheif's copy (a 48 MP frame
// took a worker from 70 to 301 MB). 13 MP keeps that under the 150 MB a worker may use
// for one image and still takes a 12 MP camera's single-frame photo whole. Phones write
// larger photos as grids of tiles, decoded one tile at a time (heif_grid.hpp); a
// larger single frame is analysed from its thumbnail.
constexpr std::uint64_t k_max_frame_pixels = 13'000'000;

struct Opened {
    HeifContext ctx;
    HeifHandle primary;
};

Expected<Opened> open(std::string_view bytes) {
    Opened o;
    o.ctx.reset(heif_context_alloc());
    if (!o.ctx) {
        return fail(ErrorCode::engine, "cannot start the HEIF decoder");
    }
    heif_context_set_maximum_image_size_limit(o.ctx.get(), k_max_side);
    // A grid libheif decodes itself is decoded one tile after the other, not four at once.
    heif_context_set_max_decoding_threads(o.ctx.get(), 1);
    heif_error err = heif_context_read_from_memory_without_copy(o.ctx.get(), bytes.data(),
                                                                bytes.size(), nullptr);
    if (err.code != heif_error_Ok) {
        return fail(ErrorCode::corrupt, vendor_reason("HEIF: ", err.message));
    }
    heif_image_handle* primary = nullptr;
    err = heif_context_get_primary_image_handle(o.ctx.get(), &primary);
    o.primary.reset(primary);
    if (err.code != heif_error_Ok) {
        return fail(ErrorCode::corrupt, vendor_reason("HEIF: ", err.message));
    }
    return o;
}

// The plane of `channel`, box-reduced by `factor`.
Plane copy_plane(const heif_image* image, heif_channel channel, int factor) {
    int stride = 0;
    const std::uint8_t* data = heif_image_get_plane_readonly(image, channel, &stride);
    return reduced(data, heif_image_get_width(image, channel),
                   heif_image_get_height(image, channel), stride, factor);
}

} // namespace

Expected<Header> heif_header(std::string_view bytes) {
    DOCKSCAN_TRY_ASSIGN(Opened o, open(bytes));
    Header header;
    header.format = Format::heif;
    // The handle's size already has the rotation applied that decoding applies.
    header.width = heif_image_handle_get_width(o.primary.get());
    header.height = heif_image_handle_get_height(o.primary.get());
    header.camera_exif =
        heif_image_handle_get_number_of_metadata_blocks(o.primary.get(), "Exif") > 0;
    return header;
}

Expected<Decoded> heif_decode(std::string_view bytes, const Header& header, int min_long_side,
                              Thumbnail thumbnail) {
    DOCKSCAN_TRY_ASSIGN(Opened o, open(bytes));
    // The embedded thumbnail (an iPhone writes one of ~320 px) costs a fraction of the
    // 12 MP primary image's decode: the smallest one large enough for the caller, or,
    // when the caller accepts thumbnails, the largest one there is. A primary image
    // that cannot be decoded within the limits (over 100 MP: a 200 MP phone photo; a
    // single frame over k_max_frame_pixels) is analysed from its largest thumbnail.
    // Every handle is checked before it is decoded: a thumbnail may claim anything (one
    // that claims a 32000x32400 grid took 4.6 GB) and is then never decoded. A primary
    // image that is a grid of tiles (as phones write photos) is decoded tile by tile.
    const int primary_width = heif_image_handle_get_width(o.primary.get());
    const int primary_height = heif_image_handle_get_height(o.primary.get());
    const auto grid = find_primary_grid(bytes);
    // The grid's size must be the one libheif reads (and the limit was checked on),
    // turned or not: a grid that says otherwise is left to libheif.
    const bool tiled = grid && *grid &&
                       check_decode_size((*grid)->tile_width, (*grid)->tile_height, "HEIF tile",
                                         k_max_frame_pixels) &&
                       std::min((*grid)->output_width, (*grid)->output_height) ==
                           std::min(primary_width, primary_height) &&
                       std::max((*grid)->output_width, (*grid)->output_height) ==
                           std::max(primary_width, primary_height);
    Expected<void> primary_fits = check_decode_size(primary_width, primary_height, "HEIF image");
    if (primary_fits && !tiled) {
        primary_fits =
            check_decode_size(primary_width, primary_height, "HEVC frame", k_max_frame_pixels);
    }
    HeifHandle large_enough; // the smallest thumbnail of at least `wanted`
    int large_side = 0;
    HeifHandle largest; // the largest thumbnail within the limit
    int largest_side = 0;
    const int wanted = std::min(min_long_side, std::max(header.width, header.height));
    const int thumbnails = heif_image_handle_get_number_of_thumbnails(o.primary.get());
    if (thumbnails > 0) {
        std::vector<heif_item_id> ids(static_cast<std::size_t>(thumbnails));
        const int n =
            heif_image_handle_get_list_of_thumbnail_IDs(o.primary.get(), ids.data(), thumbnails);
        for (int i = 0; i < n; ++i) {
            heif_image_handle* thumb = nullptr;
            if (heif_image_handle_get_thumbnail(o.primary.get(), ids[static_cast<std::size_t>(i)],
                                                &thumb)
                    .code != heif_error_Ok) {
                continue;
            }
            HeifHandle handle(thumb);
            const int width = heif_image_handle_get_width(thumb);
            const int height = heif_image_handle_get_height(thumb);
            if (!check_decode_size(width, height, "HEIF thumbnail", k_max_frame_pixels)) {
                continue;
            }
            const int side = std::max(width, height);
            if (side >= wanted) {
                if (large_side == 0 || side < large_side) {
                    large_enough = std::move(handle);
                    large_side = side;
                }
            } else if (side > largest_side) {
                largest = std::move(handle);
                largest_side = side;
            }
        }
    }
    const heif_image_handle* handle = nullptr;
    if (large_enough) {
        handle = large_enough.get();
    } else if (largest && thumbnail == Thumbnail::accepted &&
               largest_side >= k_min_thumbnail_long_side) {
        handle = largest.get();
    } else if (primary_fits) {
        handle = o.primary.get();
    } else if (largest) {
        handle = largest.get();
    } else {
        return fail(ErrorCode::too_large,
                    primary_fits.error().message + ", and it has no thumbnail within the limit");
    }
    if (handle == o.primary.get() && tiled) {
        return decode_grid(**grid, header, wanted);
    }
    heif_image* raw = nullptr;
    const heif_error err =
        heif_decode_image(handle, &raw, heif_colorspace_YCbCr, heif_chroma_420, nullptr);
    HeifImage image(raw);
    if (err.code != heif_error_Ok) {
        return fail(ErrorCode::corrupt, vendor_reason("HEIF: ", err.message));
    }
    // Only what the caller needs is kept: the primary image of a 48 MP photo decoded
    // for OCR at 2000 px is copied at a quarter of its size.
    const int factor = reduction_factor(heif_image_get_width(image.get(), heif_channel_Y),
                                        heif_image_get_height(image.get(), heif_channel_Y), wanted);
    Decoded out;
    out.header = header;
    out.luma = copy_plane(image.get(), heif_channel_Y, factor);
    out.cb = copy_plane(image.get(), heif_channel_Cb, factor);
    out.cr = copy_plane(image.get(), heif_channel_Cr, factor);
    if (out.luma.empty()) {
        return fail(ErrorCode::corrupt, "HEIF: no luma plane");
    }
    return out;
}

} // namespace dockscan::detectors::image
