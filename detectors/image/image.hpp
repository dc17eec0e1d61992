#pragma once

// Decoded images as the image detectors see them: our own plain types, so that no
// vendor header (libjpeg-turbo, libspng, libheif, OpenCV, Tesseract) leaks past the
// one file that wraps it.

#include "base/expected.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::detectors::image {

enum class ErrorCode {
    unsupported, // not a JPEG, PNG or HEIF file
    too_large,   // over the file size or pixel limits (a decompression bomb, or just huge)
    corrupt,     // the decoder refused the data
    engine,      // an analysis engine (model file, OCR language data) is missing
};

[[nodiscard]] std::string_view to_string(ErrorCode code);

template <typename T>
using Expected = base::Expected<T, ErrorCode>;
using base::fail;

// Limits against decompression bombs. The pixel limit applies to what is decoded
// (check_decode_size), not to what the file claims: a 200 MP photo is decoded at a
// reduced scale or from its thumbnail. At 1.5 bytes a pixel (4:2:0) a decode at the
// limit is 150 MB.
constexpr std::uint64_t k_max_file_bytes = 64ull << 20;
constexpr std::uint64_t k_max_pixels = 100'000'000;
// A JPEG decoded at a reduced DCT scale is held whole at that scale: a 20 KB file that
// claims 65500x65500 came out at 1/8 as 67 MP and took the worker to 164 MB. A real
// 200 MP photo is 3 MP at 1/8; this allows up to 2 GP.
constexpr std::uint64_t k_max_scaled_pixels = 32'000'000;

// One 8-bit plane, rows packed (stride == width).
struct Plane {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;

    [[nodiscard]] bool empty() const { return width <= 0 || height <= 0; }
    [[nodiscard]] std::uint8_t at(int x, int y) const {
        return pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                      static_cast<std::size_t>(x)];
    }
};

enum class Format { jpeg, png, heif };

[[nodiscard]] std::string_view to_string(Format format);

// What the file says about itself, without decoding pixels.
struct Header {
    Format format = Format::jpeg;
    int width = 0;  // as stored
    int height = 0; // as stored
    // EXIF orientation 1..8 (JPEG); 1 when absent. HEIF decoders apply it themselves.
    int orientation = 1;
    // EXIF Make or Model present: a camera took it (screenshots carry neither).
    bool camera_exif = false;

    // The size a viewer shows: width and height swapped for orientations 5..8.
    [[nodiscard]] int display_width() const { return orientation >= 5 ? height : width; }
    [[nodiscard]] int display_height() const { return orientation >= 5 ? width : height; }
};

// A decoded image in display orientation: luma and, for colour images, the two
// chroma planes (possibly at lower resolution than luma).
struct Decoded {
    Header header;
    Plane luma;
    Plane cb;
    Plane cr;
    // What the decoder warned about while pixels still came out ("premature end of
    // data segment" for a JPEG cut short, as every viewer shows it): for a log, not an
    // error.
    std::string warning;
    // luma.width / header.display_width(): how far the decoder scaled down.
    [[nodiscard]] double scale() const {
        return header.display_width() > 0 ? static_cast<double>(luma.width) / header.display_width()
                                          : 1.0;
    }
};

} // namespace dockscan::detectors::image
