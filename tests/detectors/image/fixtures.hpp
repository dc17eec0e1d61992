#pragma once

// Images generated for the image detector tests and the benchmark: drawn with OpenCV,
// encoded with libjpeg-turbo, libspng and libheif. No third-party photos.

#include "tests/detectors/image/heif_grid_writer.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace dockscan::test_images {

// A page photographed on a table: white page with printed lines, turned and put in
// perspective on a darker textured background, with vignetting and sensor noise.
// `lines` are the page's text lines (ASCII: the drawing font has no å, ä, ö).
[[nodiscard]] std::string document_photo_jpeg(const std::vector<std::string>& lines, int width,
                                              int height, std::uint32_t seed);

// A page lying turned by `degrees` on a table, 0.7 of the frame high, photographed from
// above: its text lines run slanted across the picture.
[[nodiscard]] std::string tilted_document_photo_jpeg(const std::vector<std::string>& lines,
                                                     int width, int height, double degrees);

// A page photographed from close by: its text fills the frame and its edges are
// outside it (a medication list held under the camera), with vignetting and noise.
[[nodiscard]] std::string page_closeup_jpeg(const std::vector<std::string>& lines, int width,
                                            int height, std::uint32_t seed);

// The same photo encoded as HEIC (x265) with a 320 px thumbnail and a camera's EXIF, or
// empty when this libheif has no HEVC encoder.
[[nodiscard]] std::string document_photo_heic(const std::vector<std::string>& lines, int width,
                                              int height, std::uint32_t seed);

// A chat screenshot at 1170x2532 with a status bar and message bubbles.
[[nodiscard]] std::string chat_screenshot_png(const std::vector<std::string>& messages);

// The same screenshot as a JPEG (as some phones save them, and as shared pictures arrive).
[[nodiscard]] std::string chat_screenshot_jpeg(const std::vector<std::string>& messages);

// The same screenshot encoded as HEIC with libheif (x265) with a 320 px thumbnail, or
// empty when this libheif has no HEVC encoder.
[[nodiscard]] std::string chat_screenshot_heic(const std::vector<std::string>& messages);

// A camera-like photo without text: gradients, shapes and noise.
[[nodiscard]] std::string scene_photo_jpeg(int width, int height, std::uint32_t seed);
// The same as HEIC with a 320 px thumbnail and a camera's EXIF (Make, Model), as an
// iPhone writes it, or empty without an HEVC encoder.
[[nodiscard]] std::string scene_photo_heic(int width, int height, std::uint32_t seed);

// Wavy strokes of paint in many shades over the whole frame: a painting's texture.
[[nodiscard]] std::string brush_strokes_jpeg(int width, int height, std::uint32_t seed);

// `jpeg` with the APP1 Exif segment a phone's camera writes: IFD0 with Make, Model and
// Orientation 1 (upright), little-endian as iPhones and most Android phones write it.
[[nodiscard]] std::string with_camera_exif(const std::string& jpeg, const std::string& make,
                                           const std::string& model);

enum class BarcodeKind { qr, code128 };

// A 12 MP photo with a barcode on a white label (a wristband) in the middle of a scene.
[[nodiscard]] std::string barcode_photo_jpeg(BarcodeKind kind, const std::string& text,
                                             std::uint32_t seed);

// A photographed page (as document_photo_jpeg, 4000x3000) with the barcode printed
// under its `lines`.
[[nodiscard]] std::string barcode_document_jpeg(BarcodeKind kind, const std::string& text,
                                                const std::vector<std::string>& lines,
                                                std::uint32_t seed);

// A grey JPEG of `width` x `height` (a 108 MP photo: 12000x9000) with a dark square in
// its middle on a light gradient, encoded from a grey plane so that the fixture itself
// takes 1 byte per pixel.
[[nodiscard]] std::string large_gray_jpeg(int width, int height);

// A HEIC of `width` x `height` with a 320 px thumbnail and a camera's EXIF: a light
// gradient with a dark square in the middle, without noise, so that it is small and
// fast to encode at any size.
[[nodiscard]] std::string plain_heic(int width, int height);

// The same light gradient as a HEIF grid (heif_grid_writer.hpp), with a dark square in
// the upper left quarter so that a turn or a mirror shows.
[[nodiscard]] std::string plain_heic_grid(int width, int height, const GridOptions& options = {});

// A photographed page (as document_photo_jpeg) as a HEIF grid, as a phone writes a
// 48 MP photo: 512 px tiles.
[[nodiscard]] std::string document_photo_heic_grid(const std::vector<std::string>& lines, int width,
                                                   int height, std::uint32_t seed,
                                                   const GridOptions& options = {});

// libheif's own decode of the primary image, whole, in display orientation: its luma
// plane (rows packed), to compare a decode with.
struct LumaPlane {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;
};
[[nodiscard]] LumaPlane libheif_luma(const std::string& heic);

// A real PNG of `width` x `height` (a 99.99 MP screenshot: 10000x9999): a light gradient
// with a dark square in the middle, encoded row by row so that no whole image is ever in
// memory. Adam7-interlaced with Interlace::adam7.
enum class Interlace { none, adam7 };
[[nodiscard]] std::string large_png(std::uint32_t width, std::uint32_t height,
                                    Interlace interlace = Interlace::none);

// `heic` with every image-size property ('ispe') that says `from_w` x `from_h` changed
// to say `to_w` x `to_h`: a primary image or a thumbnail that claims another size than
// its coded stream has (a 200 MP photo, a thumbnail that claims a 32000x32400 grid).
[[nodiscard]] std::string with_claimed_size(std::string heic, std::uint32_t from_w,
                                            std::uint32_t from_h, std::uint32_t to_w,
                                            std::uint32_t to_h);

// A PNG whose header claims `width` x `height` pixels (and has no real image data).
[[nodiscard]] std::string png_header_only(std::uint32_t width, std::uint32_t height);

} // namespace dockscan::test_images
