// The one file that includes libjpeg-turbo (TurboJPEG API).

#include "base/owned.hpp"
#include "detectors/image/decode.hpp"
#include "detectors/image/exif.hpp"
#include "detectors/image/orientation.hpp"

#include <memory>
#include <string>
#include <turbojpeg.h>
#include <utility>

namespace dockscan::detectors::image {
namespace {

using TjHandle = base::Owned<void, tjDestroy>;

// DCT scaling factors from the cheapest up: decoding at 1/8 skips most of the inverse
// DCT work, which with Huffman decoding is where a JPEG decode spends its time.
constexpr int k_denominators[] = {8, 4, 2, 1};

// Whether the file reaches entropy-coded data: a start-of-scan segment whole, with at
// least one byte after it. A JPEG cut inside its scan decodes with a warning and the
// rows it has (viewers show it so); one cut before has no pixels at all.
bool has_scan_data(std::string_view b) {
    std::size_t at = 2; // after SOI
    while (at + 4 <= b.size()) {
        if (static_cast<unsigned char>(b[at]) != 0xff) {
            return false;
        }
        const auto marker = static_cast<unsigned char>(b[at + 1]);
        if (marker == 0xff) {
            ++at; // fill byte
            continue;
        }
        const std::size_t length = static_cast<std::size_t>(static_cast<unsigned char>(b[at + 2]))
                                       << 8 |
                                   static_cast<unsigned char>(b[at + 3]);
        if (marker == 0xda) {
            return at + 2 + length < b.size();
        }
        at += 2 + length;
    }
    return false;
}

std::string tj_reason(void* tj) {
    return vendor_reason("JPEG: ", tjGetErrorStr2(tj));
}

// A decode call's result: a warning with pixels is a warning (recorded in `out`), a
// warning without any scan data and every error are errors.
Expected<void> decoded_or_warned(int rc, void* tj, std::string_view bytes, Decoded& out) {
    if (rc == 0) {
        return {};
    }
    if (tjGetErrorCode(tj) == TJERR_WARNING && has_scan_data(bytes)) {
        out.warning = tj_reason(tj);
        return {};
    }
    return fail(ErrorCode::corrupt, tj_reason(tj));
}

} // namespace

Expected<Header> jpeg_header(std::string_view bytes) {
    TjHandle tj(tjInitDecompress());
    if (!tj) {
        return fail(ErrorCode::engine, "cannot start the JPEG decoder");
    }
    int width = 0;
    int height = 0;
    int subsamp = 0;
    int colourspace = 0;
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    if (tjDecompressHeader3(tj.get(), data, static_cast<unsigned long>(bytes.size()), &width,
                            &height, &subsamp, &colourspace) != 0) {
        return fail(ErrorCode::corrupt, vendor_reason("JPEG header: ", tjGetErrorStr2(tj.get())));
    }
    Header header;
    header.format = Format::jpeg;
    header.width = width;
    header.height = height;
    const ExifFacts exif = read_jpeg_exif(bytes);
    header.orientation = exif.orientation;
    header.camera_exif = exif.camera;
    return header;
}

Expected<Decoded> jpeg_decode(std::string_view bytes, const Header& header, int min_long_side) {
    TjHandle tj(tjInitDecompress());
    if (!tj) {
        return fail(ErrorCode::engine, "cannot start the JPEG decoder");
    }
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    const auto size = static_cast<unsigned long>(bytes.size());
    int width = 0;
    int height = 0;
    int subsamp = 0;
    int colourspace = 0;
    if (tjDecompressHeader3(tj.get(), data, size, &width, &height, &subsamp, &colourspace) != 0) {
        return fail(ErrorCode::corrupt, vendor_reason("JPEG header: ", tjGetErrorStr2(tj.get())));
    }
    // The cheapest scale that gives the asked-for size, made coarser while what would
    // be decoded is over the pixel limit: a 108 MP photo is decoded at 1/2 or less
    // instead of refused.
    int denominator = 1;
    for (int d : k_denominators) {
        if (std::max(TJSCALED(width, (tjscalingfactor{1, d})),
                     TJSCALED(height, (tjscalingfactor{1, d}))) >= min_long_side) {
            denominator = d;
            break;
        }
    }
    auto scaled = [&](int d) {
        return std::pair{TJSCALED(width, (tjscalingfactor{1, d})),
                         TJSCALED(height, (tjscalingfactor{1, d}))};
    };
    while (denominator < 8 &&
           !check_decode_size(scaled(denominator).first, scaled(denominator).second, "JPEG",
                              k_max_scaled_pixels)) {
        denominator *= 2;
    }
    const auto [scaled_w, scaled_h] = scaled(denominator);
    DOCKSCAN_TRY(check_decode_size(scaled_w, scaled_h,
                                   "JPEG (" + std::to_string(width) + "x" + std::to_string(height) +
                                       ") at 1/" + std::to_string(denominator),
                                   k_max_scaled_pixels));

    Decoded out;
    out.header = header;
    const bool colour = subsamp != TJSAMP_GRAY && colourspace != TJCS_CMYK &&
                        colourspace != TJCS_YCCK && subsamp >= 0;
    // No TJFLAG_STOPONWARNING: libjpeg's warnings ("premature end of data segment")
    // come with the rows it could decode and the rest filled grey, as viewers show them.
    const int flags = TJFLAG_FASTDCT;
    if (colour) {
        // The YCbCr planes straight from the decoder: luma is the grey image, and the
        // chroma planes feed the networks' colour input without a conversion here.
        Plane planes[3];
        unsigned char* dst[3] = {};
        int strides[3] = {};
        for (int c = 0; c < 3; ++c) {
            planes[c].width = tjPlaneWidth(c, scaled_w, subsamp);
            planes[c].height = tjPlaneHeight(c, scaled_h, subsamp);
            if (planes[c].width <= 0 || planes[c].height <= 0) {
                return fail(ErrorCode::corrupt, "JPEG: unsupported sampling");
            }
            planes[c].pixels.resize(static_cast<std::size_t>(planes[c].width) *
                                    static_cast<std::size_t>(planes[c].height));
            dst[c] = planes[c].pixels.data();
            strides[c] = planes[c].width;
        }
        DOCKSCAN_TRY(decoded_or_warned(
            tjDecompressToYUVPlanes(tj.get(), data, size, dst, scaled_w, strides, scaled_h, flags),
            tj.get(), bytes, out));
        out.luma = std::move(planes[0]);
        out.cb = std::move(planes[1]);
        out.cr = std::move(planes[2]);
    } else {
        out.luma.width = scaled_w;
        out.luma.height = scaled_h;
        out.luma.pixels.resize(static_cast<std::size_t>(scaled_w) *
                               static_cast<std::size_t>(scaled_h));
        DOCKSCAN_TRY(
            decoded_or_warned(tjDecompress2(tj.get(), data, size, out.luma.pixels.data(), scaled_w,
                                            scaled_w, scaled_h, TJPF_GRAY, flags),
                              tj.get(), bytes, out));
    }
    if (header.orientation != 1) {
        out.luma = oriented(out.luma, header.orientation);
        if (!out.cb.empty()) {
            out.cb = oriented(out.cb, header.orientation);
            out.cr = oriented(out.cr, header.orientation);
        }
    }
    return out;
}

Expected<std::string> jpeg_encode(const Plane& y, const Plane& cb, const Plane& cr, int quality) {
    if (y.empty()) {
        return fail(ErrorCode::corrupt, "JPEG: nothing to encode");
    }
    const bool colour = !cb.empty() && !cr.empty();
    if (colour && (cb.width != y.width || cb.height != y.height || cr.width != y.width ||
                   cr.height != y.height)) {
        return fail(ErrorCode::corrupt, "JPEG: chroma planes must match luma for 4:4:4");
    }
    const TjHandle tj(tjInitCompress());
    if (!tj) {
        return fail(ErrorCode::engine, "cannot start the JPEG encoder");
    }
    const unsigned char* planes[3] = {y.pixels.data(), colour ? cb.pixels.data() : nullptr,
                                      colour ? cr.pixels.data() : nullptr};
    const int strides[3] = {y.width, colour ? cb.width : 0, colour ? cr.width : 0};
    unsigned char* out = nullptr;
    unsigned long size = 0;
    const int rc =
        tjCompressFromYUVPlanes(tj.get(), planes, y.width, strides, y.height,
                                colour ? TJSAMP_444 : TJSAMP_GRAY, &out, &size, quality, 0);
    const base::Owned<unsigned char, tjFree> owned(out);
    if (rc != 0) {
        return fail(ErrorCode::engine, vendor_reason("JPEG encode: ", tjGetErrorStr2(tj.get())));
    }
    return std::string(reinterpret_cast<const char*>(out), size);
}

} // namespace dockscan::detectors::image
