// The one file that includes libheif.

#include "detectors/image/decode.hpp"

#include <algorithm>
#include <libheif/heif.h>
#include <memory>

namespace dockscan::detectors::image {
namespace {

struct HeifContextFree {
    void operator()(heif_context* ctx) const { heif_context_free(ctx); }
};
struct HeifHandleFree {
    void operator()(heif_image_handle* handle) const { heif_image_handle_release(handle); }
};
struct HeifImageFree {
    void operator()(heif_image* image) const { heif_image_release(image); }
};
using HeifContext = std::unique_ptr<heif_context, HeifContextFree>;
using HeifHandle = std::unique_ptr<heif_image_handle, HeifHandleFree>;
using HeifImage = std::unique_ptr<heif_image, HeifImageFree>;

// libheif's own guard: it refuses images whose side exceeds this before allocating.
constexpr int k_max_side = 32768;

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
    heif_error err = heif_context_read_from_memory_without_copy(o.ctx.get(), bytes.data(),
                                                                bytes.size(), nullptr);
    if (err.code != heif_error_Ok) {
        return fail(ErrorCode::corrupt, std::string("HEIF: ") + err.message);
    }
    heif_image_handle* primary = nullptr;
    err = heif_context_get_primary_image_handle(o.ctx.get(), &primary);
    o.primary.reset(primary);
    if (err.code != heif_error_Ok) {
        return fail(ErrorCode::corrupt, std::string("HEIF: ") + err.message);
    }
    return o;
}

Plane copy_plane(const heif_image* image, heif_channel channel) {
    Plane p;
    int stride = 0;
    const std::uint8_t* data = heif_image_get_plane_readonly(image, channel, &stride);
    p.width = heif_image_get_width(image, channel);
    p.height = heif_image_get_height(image, channel);
    if (data == nullptr || p.width <= 0 || p.height <= 0) {
        return {};
    }
    p.pixels.resize(static_cast<std::size_t>(p.width) * static_cast<std::size_t>(p.height));
    for (int y = 0; y < p.height; ++y) {
        std::copy_n(data + static_cast<std::ptrdiff_t>(y) * stride, p.width,
                    p.pixels.begin() + static_cast<std::ptrdiff_t>(y) * p.width);
    }
    return p;
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
    // when the caller accepts thumbnails, the largest one there is.
    HeifHandle large_enough; // the smallest thumbnail of at least `wanted`
    int large_side = 0;
    HeifHandle largest; // the largest one that still serves the cheap passes
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
            const int side =
                std::max(heif_image_handle_get_width(thumb), heif_image_handle_get_height(thumb));
            if (side >= wanted) {
                if (large_side == 0 || side < large_side) {
                    large_enough = std::move(handle);
                    large_side = side;
                }
            } else if (thumbnail == Thumbnail::accepted && side >= k_min_thumbnail_long_side &&
                       side > largest_side) {
                largest = std::move(handle);
                largest_side = side;
            }
        }
    }
    const HeifHandle& chosen = large_enough ? large_enough : largest;
    const heif_image_handle* handle = chosen ? chosen.get() : o.primary.get();
    heif_image* raw = nullptr;
    const heif_error err =
        heif_decode_image(handle, &raw, heif_colorspace_YCbCr, heif_chroma_420, nullptr);
    HeifImage image(raw);
    if (err.code != heif_error_Ok) {
        return fail(ErrorCode::corrupt, std::string("HEIF: ") + err.message);
    }
    Decoded out;
    out.header = header;
    out.luma = copy_plane(image.get(), heif_channel_Y);
    out.cb = copy_plane(image.get(), heif_channel_Cb);
    out.cr = copy_plane(image.get(), heif_channel_Cr);
    if (out.luma.empty()) {
        return fail(ErrorCode::corrupt, "HEIF: no luma plane");
    }
    return out;
}

} // namespace dockscan::detectors::image
