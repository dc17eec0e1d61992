#include "detectors/image/decode.hpp"

#include <algorithm>
#include <optional>
#include <string>

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

Expected<void> check_limits(const Header& h) {
    if (h.width <= 0 || h.height <= 0) {
        return fail(ErrorCode::corrupt, "image has no pixels");
    }
    if (static_cast<std::uint64_t>(h.width) * static_cast<std::uint64_t>(h.height) > k_max_pixels) {
        return fail(ErrorCode::too_large, "image of " + std::to_string(h.width) + "x" +
                                              std::to_string(h.height) +
                                              " pixels is over the 100 MP limit");
    }
    return {};
}

} // namespace

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
    if (header) {
        DOCKSCAN_TRY(check_limits(*header));
    }
    return header;
}

Expected<Decoded> decode(std::string_view bytes, int min_long_side, Thumbnail thumbnail) {
    DOCKSCAN_TRY_ASSIGN(const Header header, read_header(bytes));
    switch (header.format) {
    case Format::jpeg:
        return jpeg_decode(bytes, header, min_long_side);
    case Format::png:
        return png_decode(bytes, header);
    case Format::heif:
        return heif_decode(bytes, header, min_long_side, thumbnail);
    }
    return fail(ErrorCode::unsupported, "unknown format");
}

} // namespace dockscan::detectors::image
