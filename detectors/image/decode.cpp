#include "detectors/image/decode.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace dockscan::detectors::image {
namespace {

std::optional<Format> sniff(std::string_view b) {
    if (b.size() >= 3 && b.substr(0, 3) == "\xff\xd8\xff") {
        return Format::jpeg;
    }
    if (b.size() >= 8 && b.substr(0, 8) == "\x89PNG\r\n\x1a\n") {
        return Format::png;
    }
    // ISO base media: "ftyp" at offset 4 and a HEIF brand.
    if (b.size() >= 12 && b.substr(4, 4) == "ftyp") {
        const std::string_view brand = b.substr(8, 4);
        for (const char* heif : {"heic", "heix", "hevc", "heim", "heis", "mif1", "msf1", "avif"}) {
            if (brand == heif) {
                return Format::heif;
            }
        }
    }
    return std::nullopt;
}

} // namespace

Expected<void> check_decode_size(std::int64_t width, std::int64_t height, std::string_view what,
                                 std::uint64_t limit) {
    if (width <= 0 || height <= 0) {
        return fail(ErrorCode::corrupt, std::string(what) + " has no pixels");
    }
    if (static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height) > limit) {
        return fail(ErrorCode::too_large, std::string(what) + " of " + std::to_string(width) + "x" +
                                              std::to_string(height) + " pixels is over the " +
                                              std::to_string(limit / 1'000'000) + " MP limit");
    }
    return {};
}

std::string vendor_reason(std::string_view prefix, std::string_view text) {
    const auto end = text.find_last_not_of(" \t\r\n");
    text = end == std::string_view::npos ? std::string_view{} : text.substr(0, end + 1);
    const auto begin = text.find_first_not_of(" \t\r\n");
    text = begin == std::string_view::npos ? std::string_view{} : text.substr(begin);
    return std::string(prefix) + std::string(text);
}

int reduction_factor(int width, int height, int min_long_side) {
    const int longest = std::max(width, height);
    if (min_long_side <= 0 || longest <= min_long_side) {
        return 1;
    }
    return std::max(1, longest / min_long_side);
}

Plane reduced(const std::uint8_t* data, int width, int height, std::ptrdiff_t stride, int factor) {
    Plane out;
    if (data == nullptr || width <= 0 || height <= 0 || factor < 1) {
        return out;
    }
    out.width = (width + factor - 1) / factor;
    out.height = (height + factor - 1) / factor;
    out.pixels.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height));
    if (factor == 1) {
        for (int y = 0; y < height; ++y) {
            std::copy_n(data + static_cast<std::ptrdiff_t>(y) * stride, width,
                        out.pixels.begin() + static_cast<std::ptrdiff_t>(y) * width);
        }
        return out;
    }
    std::vector<std::uint32_t> sums(static_cast<std::size_t>(out.width));
    for (int oy = 0; oy < out.height; ++oy) {
        std::fill(sums.begin(), sums.end(), 0u);
        const int y0 = oy * factor;
        const int rows = std::min(factor, height - y0);
        for (int y = y0; y < y0 + rows; ++y) {
            const std::uint8_t* row = data + static_cast<std::ptrdiff_t>(y) * stride;
            for (int x = 0; x < width; ++x) {
                sums[static_cast<std::size_t>(x / factor)] += row[x];
            }
        }
        for (int ox = 0; ox < out.width; ++ox) {
            const int cols = std::min(factor, width - ox * factor);
            const auto n = static_cast<std::uint32_t>(rows * cols);
            out.pixels[static_cast<std::size_t>(oy) * static_cast<std::size_t>(out.width) +
                       static_cast<std::size_t>(ox)] =
                static_cast<std::uint8_t>((sums[static_cast<std::size_t>(ox)] + n / 2) / n);
        }
    }
    return out;
}

std::string_view to_string(ErrorCode code) {
    switch (code) {
    case ErrorCode::unsupported:
        return "unsupported";
    case ErrorCode::too_large:
        return "too_large";
    case ErrorCode::corrupt:
        return "corrupt";
    case ErrorCode::engine:
        return "engine";
    }
    return "unknown";
}

std::string_view to_string(Format format) {
    switch (format) {
    case Format::jpeg:
        return "jpeg";
    case Format::png:
        return "png";
    case Format::heif:
        return "heif";
    }
    return "unknown";
}

Expected<Header> read_header(std::string_view bytes) {
    if (bytes.size() > k_max_file_bytes) {
        return fail(ErrorCode::too_large, "image file larger than 64 MiB");
    }
    const auto format = sniff(bytes);
    if (!format) {
        return fail(ErrorCode::unsupported, "not a JPEG, PNG or HEIF image");
    }
    Expected<Header> header = [&] {
        switch (*format) {
        case Format::jpeg:
            return jpeg_header(bytes);
        case Format::png:
            return png_header(bytes);
        case Format::heif:
            return heif_header(bytes);
        }
        return Expected<Header>(fail(ErrorCode::unsupported, "unknown format"));
    }();
    if (header && (header->width <= 0 || header->height <= 0)) {
        return fail(ErrorCode::corrupt, "image has no pixels");
    }
    return header;
}

Expected<Decoded> decode(std::string_view bytes, int min_long_side, Thumbnail thumbnail) {
    DOCKSCAN_TRY_ASSIGN(const Header header, read_header(bytes));
    switch (header.format) {
    case Format::jpeg:
        return jpeg_decode(bytes, header, min_long_side);
    case Format::png:
        return png_decode(bytes, header, min_long_side);
    case Format::heif:
        return heif_decode(bytes, header, min_long_side, thumbnail);
    }
    return fail(ErrorCode::unsupported, "unknown format");
}

} // namespace dockscan::detectors::image
