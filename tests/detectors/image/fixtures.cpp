#include "tests/detectors/image/fixtures.hpp"

#include <algorithm>
#include <cmath>
#include <libheif/heif.h>
#define ZX_USE_UTF8 1
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <cstdlib>
#include <memory>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <spng.h>
#include <turbojpeg.h>
#include <vector>
#include <zlib.h>

namespace dockscan::test_images {
namespace {

std::string encode_jpeg(const cv::Mat& bgr, int quality) {
    std::unique_ptr<void, decltype(&tjDestroy)> tj(tjInitCompress(), &tjDestroy);
    unsigned char* out = nullptr;
    unsigned long size = 0;
    if (tjCompress2(tj.get(), bgr.data, bgr.cols, static_cast<int>(bgr.step), bgr.rows, TJPF_BGR,
                    &out, &size, TJSAMP_420, quality, TJFLAG_FASTDCT) != 0) {
        return {};
    }
    std::string bytes(reinterpret_cast<const char*>(out), size);
    tjFree(out);
    return bytes;
}

std::string encode_png(const cv::Mat& bgr) {
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    std::unique_ptr<spng_ctx, decltype(&spng_ctx_free)> ctx(spng_ctx_new(SPNG_CTX_ENCODER),
                                                            &spng_ctx_free);
    spng_set_option(ctx.get(), SPNG_ENCODE_TO_BUFFER, 1);
    spng_ihdr ihdr{};
    ihdr.width = static_cast<std::uint32_t>(rgb.cols);
    ihdr.height = static_cast<std::uint32_t>(rgb.rows);
    ihdr.bit_depth = 8;
    ihdr.color_type = SPNG_COLOR_TYPE_TRUECOLOR;
    spng_set_ihdr(ctx.get(), &ihdr);
    if (spng_encode_image(ctx.get(), rgb.data, rgb.total() * 3, SPNG_FMT_PNG,
                          SPNG_ENCODE_FINALIZE) != 0) {
        return {};
    }
    std::size_t size = 0;
    int error = 0;
    void* png = spng_get_png_buffer(ctx.get(), &size, &error);
    std::string bytes(static_cast<const char*>(png), size);
    std::free(png);
    return bytes;
}

cv::Mat chat_screenshot(const std::vector<std::string>& messages) {
    cv::Mat screen(2532, 1170, CV_8UC3, cv::Scalar(255, 255, 255));
    // Status bar: clock left, battery right.
    cv::putText(screen, "09:41", {70, 95}, cv::FONT_HERSHEY_SIMPLEX, 1.6, cv::Scalar(0, 0, 0), 3,
                cv::LINE_AA);
    cv::rectangle(screen, cv::Rect(1000, 62, 90, 40), cv::Scalar(0, 0, 0), 3);
    cv::rectangle(screen, cv::Rect(1006, 68, 60, 28), cv::Scalar(0, 0, 0), cv::FILLED);
    // Header with the contact's name.
    cv::rectangle(screen, cv::Rect(0, 140, 1170, 160), cv::Scalar(247, 247, 247), cv::FILLED);
    cv::putText(screen, "Guardian", {440, 245}, cv::FONT_HERSHEY_SIMPLEX, 1.6, cv::Scalar(0, 0, 0),
                3, cv::LINE_AA);
    int y = 400;
    bool mine = false;
    for (const std::string& text : messages) {
        const int w = std::min(1050, 60 + static_cast<int>(text.size()) * 30);
        const int x = mine ? 1170 - 50 - w : 50;
        const cv::Scalar fill = mine ? cv::Scalar(255, 132, 10) : cv::Scalar(234, 233, 229);
        const cv::Scalar ink = mine ? cv::Scalar(255, 255, 255) : cv::Scalar(0, 0, 0);
        cv::rectangle(screen, cv::Rect(x, y, w, 110), fill, cv::FILLED, cv::LINE_AA);
        cv::putText(screen, text, {x + 30, y + 72}, cv::FONT_HERSHEY_SIMPLEX, 1.25, ink, 2,
                    cv::LINE_AA);
        y += 170;
        mine = !mine;
    }
    return screen;
}

// Whether a HEIC carries the EXIF block a phone's camera writes (Make and Model).
enum class Exif { camera, none };

// HEIC with libheif (x265) and a 320 px thumbnail, as an iPhone writes one into every
// HEIC; empty when this libheif has no HEVC encoder.
std::string encode_heic(const cv::Mat& bgr, Exif exif) {
    std::unique_ptr<heif_context, decltype(&heif_context_free)> ctx(heif_context_alloc(),
                                                                    &heif_context_free);
    heif_encoder* raw_encoder = nullptr;
    if (heif_context_get_encoder_for_format(ctx.get(), heif_compression_HEVC, &raw_encoder).code !=
        heif_error_Ok) {
        return {};
    }
    std::unique_ptr<heif_encoder, decltype(&heif_encoder_release)> encoder(raw_encoder,
                                                                           &heif_encoder_release);
    heif_encoder_set_lossy_quality(encoder.get(), 80);
    // x265's default preset takes minutes for a 12 MP image on the station's 2 cores;
    // the tests and the benchmark need the format, not the compression.
    heif_encoder_set_parameter_string(encoder.get(), "preset", "ultrafast");
    heif_image* raw_image = nullptr;
    heif_image_create(bgr.cols, bgr.rows, heif_colorspace_RGB, heif_chroma_interleaved_RGB,
                      &raw_image);
    std::unique_ptr<heif_image, decltype(&heif_image_release)> image(raw_image,
                                                                     &heif_image_release);
    heif_image_add_plane(image.get(), heif_channel_interleaved, bgr.cols, bgr.rows, 8);
    int stride = 0;
    std::uint8_t* plane = heif_image_get_plane(image.get(), heif_channel_interleaved, &stride);
    cv::Mat rgb(bgr.rows, bgr.cols, CV_8UC3, plane, static_cast<std::size_t>(stride));
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    heif_image_handle* primary = nullptr;
    if (heif_context_encode_image(ctx.get(), image.get(), encoder.get(), nullptr, &primary).code !=
        heif_error_Ok) {
        return {};
    }
    std::unique_ptr<heif_image_handle, decltype(&heif_image_handle_release)> primary_handle(
        primary, &heif_image_handle_release);
    heif_image_handle* thumb = nullptr;
    if (heif_context_encode_thumbnail(ctx.get(), image.get(), primary, encoder.get(), nullptr, 320,
                                      &thumb)
            .code != heif_error_Ok) {
        return {};
    }
    heif_image_handle_release(thumb);
    if (exif == Exif::camera) {
        // The TIFF block of with_camera_exif's APP1 segment, without "Exif\0\0".
        const std::string app1 = with_camera_exif(std::string("\xff\xd8", 2), "Apple", "iPhone 13");
        const std::string tiff = app1.substr(2 + 4 + 6);
        if (heif_context_add_exif_metadata(ctx.get(), primary, tiff.data(),
                                           static_cast<int>(tiff.size()))
                .code != heif_error_Ok) {
            return {};
        }
    }
    std::string bytes;
    heif_writer writer{};
    writer.writer_api_version = 1;
    writer.write = [](heif_context*, const void* data, size_t size, void* userdata) {
        static_cast<std::string*>(userdata)->append(static_cast<const char*>(data), size);
        return heif_error{heif_error_Ok, heif_suberror_Unspecified, ""};
    };
    if (heif_context_write(ctx.get(), &writer, &bytes).code != heif_error_Ok) {
        return {};
    }
    return bytes;
}

cv::Mat scene_photo(int width, int height, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> c(0, 255);
    cv::Mat img(height, width, CV_8UC3);
    // Sky-to-ground gradient.
    const cv::Vec3b top(static_cast<uchar>(c(rng)), static_cast<uchar>(c(rng)),
                        static_cast<uchar>(c(rng)));
    const cv::Vec3b bottom(static_cast<uchar>(c(rng)), static_cast<uchar>(c(rng)),
                           static_cast<uchar>(c(rng)));
    for (int row = 0; row < height; ++row) {
        const double t = static_cast<double>(row) / height;
        cv::Vec3b v;
        for (int k = 0; k < 3; ++k) {
            v[k] = static_cast<uchar>(top[k] * (1 - t) + bottom[k] * t);
        }
        img.row(row).setTo(cv::Scalar(v[0], v[1], v[2]));
    }
    std::uniform_int_distribution<int> px(0, width - 1);
    std::uniform_int_distribution<int> py(0, height - 1);
    std::uniform_int_distribution<int> radius(width / 40, width / 8);
    for (int i = 0; i < 25; ++i) {
        const cv::Scalar colour(c(rng), c(rng), c(rng));
        if (i % 2 == 0) {
            cv::circle(img, {px(rng), py(rng)}, radius(rng), colour, cv::FILLED, cv::LINE_AA);
        } else {
            cv::ellipse(img, {px(rng), py(rng)}, {radius(rng), radius(rng) / 2}, c(rng), 0, 360,
                        colour, cv::FILLED, cv::LINE_AA);
        }
    }
    cv::GaussianBlur(img, img, cv::Size(0, 0), 2);
    cv::Mat noise(img.size(), CV_8UC3);
    cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(6));
    cv::add(img, noise, img, cv::noArray(), CV_8UC3);
    return img;
}

// A flat A4 page with `lines` of black text and, optionally, a printed `stamp` under them.
cv::Mat printed_page(const std::vector<std::string>& lines, const cv::Mat& stamp) {
    cv::Mat page(1414, 1000, CV_8UC3, cv::Scalar(238, 240, 242));
    int y = 120;
    for (const std::string& line : lines) {
        cv::putText(page, line, {70, y}, cv::FONT_HERSHEY_SIMPLEX, 1.05, cv::Scalar(25, 25, 25), 2,
                    cv::LINE_AA);
        y += 62;
    }
    if (!stamp.empty() && stamp.cols <= 860 && y + 40 + stamp.rows <= page.rows) {
        // A printed barcode under the text, as on a summons or a lab referral.
        stamp.copyTo(page(cv::Rect(70, y + 40, stamp.cols, stamp.rows)));
    }
    return page;
}

// Vignetting and sensor noise, as a phone camera gives them.
cv::Mat as_camera_sees_it(const cv::Mat& scene) {
    cv::Mat photo;
    scene.convertTo(photo, CV_32FC3);
    const float cx = static_cast<float>(photo.cols) / 2;
    const float cy = static_cast<float>(photo.rows) / 2;
    const float r2 = cx * cx + cy * cy;
    for (int row = 0; row < photo.rows; ++row) {
        auto* p = photo.ptr<cv::Vec3f>(row);
        for (int col = 0; col < photo.cols; ++col) {
            const float dx = static_cast<float>(col) - cx;
            const float dy = static_cast<float>(row) - cy;
            p[col] *= 1.0f - 0.35f * (dx * dx + dy * dy) / r2;
        }
    }
    cv::Mat noise(photo.size(), CV_32FC3);
    cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(4));
    photo += noise;
    cv::Mat out;
    photo.convertTo(out, CV_8UC3);
    return out;
}

cv::Mat document_photo(const std::vector<std::string>& lines, int width, int height,
                       std::uint32_t seed, const cv::Mat& stamp = {}) {
    std::mt19937 rng(seed);
    const cv::Mat page = printed_page(lines, stamp);
    // A textured darker table.
    cv::Mat table(height, width, CV_8UC3);
    cv::randu(table, cv::Scalar(60, 50, 40), cv::Scalar(110, 95, 80));
    cv::GaussianBlur(table, table, cv::Size(0, 0), 3);
    // The page in perspective, a little turned.
    std::uniform_real_distribution<float> jitter(-0.03f, 0.03f);
    const float w = static_cast<float>(width);
    const float h = static_cast<float>(height);
    const float page_h = 0.82f * h;
    const float page_w = page_h * 1000.0f / 1414.0f;
    const float x0 = (w - page_w) / 2;
    const float y0 = 0.09f * h;
    const std::vector<cv::Point2f> src = {{0, 0}, {999, 0}, {999, 1413}, {0, 1413}};
    const std::vector<cv::Point2f> dst = {
        {x0 + page_w * (0.04f + jitter(rng)), y0 + page_h * jitter(rng)},
        {x0 + page_w * (0.97f + jitter(rng)), y0 + page_h * (0.03f + jitter(rng))},
        {x0 + page_w * (1.0f + jitter(rng)), y0 + page_h * (1.0f + jitter(rng))},
        {x0 + page_w * jitter(rng), y0 + page_h * (0.98f + jitter(rng))}};
    const cv::Mat m = cv::getPerspectiveTransform(src, dst);
    cv::warpPerspective(page, table, m, table.size(), cv::INTER_LINEAR, cv::BORDER_TRANSPARENT);
    return as_camera_sees_it(table);
}

cv::Mat tilted_document_photo(const std::vector<std::string>& lines, int width, int height,
                              double degrees) {
    const cv::Mat page = printed_page(lines, {});
    cv::Mat table(height, width, CV_8UC3);
    cv::randu(table, cv::Scalar(60, 50, 40), cv::Scalar(110, 95, 80));
    cv::GaussianBlur(table, table, cv::Size(0, 0), 3);
    // 0.7 of the frame high, turned by `degrees`, its centre on the frame's centre: the
    // linear part of a turn about the frame's centre, then the page's centre moved there.
    const double scale = 0.7 * height / page.rows;
    const cv::Point2d centre(width / 2.0, height / 2.0);
    cv::Mat m = cv::getRotationMatrix2D(centre, degrees, scale);
    const cv::Point2d page_centre(page.cols / 2.0, page.rows / 2.0);
    m.at<double>(0, 2) =
        centre.x - m.at<double>(0, 0) * page_centre.x - m.at<double>(0, 1) * page_centre.y;
    m.at<double>(1, 2) =
        centre.y - m.at<double>(1, 0) * page_centre.x - m.at<double>(1, 1) * page_centre.y;
    cv::warpAffine(page, table, m, table.size(), cv::INTER_LINEAR, cv::BORDER_TRANSPARENT);
    return as_camera_sees_it(table);
}

cv::Mat page_closeup(const std::vector<std::string>& lines, int width, int height,
                     std::uint32_t seed) {
    std::mt19937 rng(seed);
    const cv::Mat page = printed_page(lines, {});
    // The camera held close over the text: the page's edges are outside the frame. The
    // part from the text's left margin down to below its last line fills the picture.
    const float last = 120.0f + 62.0f * static_cast<float>(lines.size());
    std::uniform_real_distribution<float> jitter(-0.02f, 0.02f);
    const float w = static_cast<float>(width);
    const float h = static_cast<float>(height);
    const std::vector<cv::Point2f> src = {{40, 60}, {960, 60}, {960, last}, {40, last}};
    const std::vector<cv::Point2f> dst = {{w * jitter(rng), h * jitter(rng)},
                                          {w * (1 + jitter(rng)), h * jitter(rng)},
                                          {w * (1 + jitter(rng)), h * (1 + jitter(rng))},
                                          {w * jitter(rng), h * (1 + jitter(rng))}};
    cv::Mat photo(height, width, CV_8UC3, cv::Scalar(238, 240, 242));
    cv::warpPerspective(page, photo, cv::getPerspectiveTransform(src, dst), photo.size(),
                        cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    return as_camera_sees_it(photo);
}

// The code as black modules on white, `module` pixels per module, with a quiet zone.
cv::Mat barcode_image(BarcodeKind kind, const std::string& text, int module) {
    const bool qr = kind == BarcodeKind::qr;
    ZXing::MultiFormatWriter writer(qr ? ZXing::BarcodeFormat::QRCode
                                       : ZXing::BarcodeFormat::Code128);
    writer.setMargin(qr ? 4 : 10);
    // Size 0 asks for the natural size: one pixel per module.
    const ZXing::BitMatrix bits = writer.encode(text, 0, 0);
    const int height = qr ? bits.height() * module : 60 * module;
    cv::Mat code(height, bits.width() * module, CV_8UC3, cv::Scalar(255, 255, 255));
    for (int y = 0; y < code.rows; ++y) {
        const int by = qr ? y / module : 0;
        for (int x = 0; x < code.cols; ++x) {
            if (bits.get(x / module, by)) {
                code.at<cv::Vec3b>(y, x) = cv::Vec3b(20, 20, 20);
            }
        }
    }
    return code;
}

} // namespace

std::string barcode_photo_jpeg(BarcodeKind kind, const std::string& text, std::uint32_t seed) {
    // A label on a wristband, photographed: the code on a white strip in a 12 MP scene.
    cv::Mat img = scene_photo(4000, 3000, seed);
    const cv::Mat code = barcode_image(kind, text, kind == BarcodeKind::qr ? 16 : 8);
    const int x = (img.cols - code.cols) / 2;
    const int y = (img.rows - code.rows) / 2;
    cv::rectangle(img, cv::Rect(x - 60, y - 60, code.cols + 120, code.rows + 120),
                  cv::Scalar(245, 245, 245), cv::FILLED);
    code.copyTo(img(cv::Rect(x, y, code.cols, code.rows)));
    cv::Mat noise(img.size(), CV_8UC3);
    cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(3));
    cv::add(img, noise, img, cv::noArray(), CV_8UC3);
    return encode_jpeg(img, 90);
}

std::string barcode_document_jpeg(BarcodeKind kind, const std::string& text,
                                  const std::vector<std::string>& lines, std::uint32_t seed) {
    return encode_jpeg(document_photo(lines, 4000, 3000, seed, barcode_image(kind, text, 3)), 90);
}

std::string chat_screenshot_png(const std::vector<std::string>& messages) {
    return encode_png(chat_screenshot(messages));
}

std::string chat_screenshot_jpeg(const std::vector<std::string>& messages) {
    return encode_jpeg(chat_screenshot(messages), 92);
}

std::string chat_screenshot_heic(const std::vector<std::string>& messages) {
    return encode_heic(chat_screenshot(messages), Exif::none);
}

std::string document_photo_jpeg(const std::vector<std::string>& lines, int width, int height,
                                std::uint32_t seed) {
    return encode_jpeg(document_photo(lines, width, height, seed), 90);
}

std::string tilted_document_photo_jpeg(const std::vector<std::string>& lines, int width, int height,
                                       double degrees) {
    return encode_jpeg(tilted_document_photo(lines, width, height, degrees), 90);
}

std::string page_closeup_jpeg(const std::vector<std::string>& lines, int width, int height,
                              std::uint32_t seed) {
    return encode_jpeg(page_closeup(lines, width, height, seed), 90);
}

std::string document_photo_heic(const std::vector<std::string>& lines, int width, int height,
                                std::uint32_t seed) {
    return encode_heic(document_photo(lines, width, height, seed), Exif::camera);
}

std::string scene_photo_jpeg(int width, int height, std::uint32_t seed) {
    return encode_jpeg(scene_photo(width, height, seed), 88);
}

std::string brush_strokes_jpeg(int width, int height, std::uint32_t seed) {
    std::mt19937 rng(seed);
    cv::Mat img(height, width, CV_8UC3, cv::Scalar(150, 140, 130));
    std::uniform_int_distribution<int> x(0, width - 1);
    std::uniform_int_distribution<int> y(0, height - 1);
    std::uniform_int_distribution<int> colour(40, 220);
    std::uniform_int_distribution<int> thickness(3, 7);
    const double step = width / 40.0;
    for (int i = 0; i < 400; ++i) {
        // A short wavy stroke of paint, mostly sideways, as in a landscape's sky.
        const int x0 = x(rng);
        const int y0 = y(rng);
        std::vector<cv::Point> stroke;
        for (int k = 0; k < 5; ++k) {
            stroke.emplace_back(x0 + static_cast<int>(step * k),
                                y0 + static_cast<int>(step / 2 * std::sin(k + i)));
        }
        const int c = colour(rng);
        cv::polylines(img, stroke, false, cv::Scalar(c, c * 0.9, c * 0.8), thickness(rng),
                      cv::LINE_AA);
    }
    cv::GaussianBlur(img, img, cv::Size(0, 0), 1.2);
    return encode_jpeg(img, 90);
}

std::string scene_photo_heic(int width, int height, std::uint32_t seed) {
    return encode_heic(scene_photo(width, height, seed), Exif::camera);
}

std::string with_camera_exif(const std::string& jpeg, const std::string& make,
                             const std::string& model) {
    if (jpeg.size() < 2 || jpeg.compare(0, 2, "\xff\xd8") != 0) {
        return jpeg;
    }
    std::string tiff;
    auto u16 = [&](std::uint32_t v) {
        tiff += static_cast<char>(v & 0xff);
        tiff += static_cast<char>(v >> 8 & 0xff);
    };
    auto u32 = [&](std::uint32_t v) {
        u16(v & 0xffff);
        u16(v >> 16);
    };
    constexpr std::uint32_t k_entries = 3;
    // Header (8), entry count (2), entries (12 each), next-IFD offset (4), then the strings.
    const std::uint32_t strings_at = 8 + 2 + 12 * k_entries + 4;
    tiff += "II";
    u16(42);
    u32(8);
    u16(k_entries);
    const auto text = [&](std::uint16_t tag, const std::string& value, std::uint32_t at) {
        u16(tag);
        u16(2); // ASCII, NUL-terminated
        u32(static_cast<std::uint32_t>(value.size() + 1));
        u32(at);
    };
    text(0x010f, make, strings_at);
    text(0x0110, model, strings_at + static_cast<std::uint32_t>(make.size() + 1));
    u16(0x0112); // Orientation: SHORT, 1 = upright
    u16(3);
    u32(1);
    u32(1);
    u32(0);
    tiff += make;
    tiff += '\0';
    tiff += model;
    tiff += '\0';
    const std::string payload = std::string("Exif\0\0", 6) + tiff;
    std::string segment = "\xff\xe1";
    segment += static_cast<char>((payload.size() + 2) >> 8);
    segment += static_cast<char>((payload.size() + 2) & 0xff);
    return jpeg.substr(0, 2) + segment + payload + jpeg.substr(2);
}

std::string large_gray_jpeg(int width, int height) {
    cv::Mat grey(height, width, CV_8UC1);
    for (int row = 0; row < height; ++row) {
        grey.row(row).setTo(cv::Scalar(200 + 40 * row / height));
    }
    cv::rectangle(grey, cv::Rect(width * 3 / 8, height * 3 / 8, width / 4, height / 4),
                  cv::Scalar(30), cv::FILLED);
    std::unique_ptr<void, decltype(&tjDestroy)> tj(tjInitCompress(), &tjDestroy);
    unsigned char* out = nullptr;
    unsigned long size = 0;
    if (tjCompress2(tj.get(), grey.data, grey.cols, static_cast<int>(grey.step), grey.rows,
                    TJPF_GRAY, &out, &size, TJSAMP_GRAY, 85, TJFLAG_FASTDCT) != 0) {
        return {};
    }
    std::string bytes(reinterpret_cast<const char*>(out), size);
    tjFree(out);
    return bytes;
}

std::string plain_heic(int width, int height) {
    cv::Mat bgr(height, width, CV_8UC3);
    for (int row = 0; row < height; ++row) {
        bgr.row(row).setTo(cv::Scalar(200 + 40 * row / height, 190, 180));
    }
    cv::rectangle(bgr, cv::Rect(width * 3 / 8, height * 3 / 8, width / 4, height / 4),
                  cv::Scalar(30, 30, 30), cv::FILLED);
    return encode_heic(bgr, Exif::camera);
}

namespace {

std::string grid_of(const cv::Mat& bgr, const GridOptions& options) {
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    std::vector<std::uint8_t> packed(rgb.total() * 3);
    for (int row = 0; row < rgb.rows; ++row) {
        std::copy_n(rgb.ptr<std::uint8_t>(row), static_cast<std::size_t>(rgb.cols) * 3,
                    packed.begin() + static_cast<std::ptrdiff_t>(row) * rgb.cols * 3);
    }
    rgb.release();
    return heif_grid(packed, bgr.cols, bgr.rows, options);
}

} // namespace

std::string plain_heic_grid(int width, int height, const GridOptions& options) {
    cv::Mat bgr(height, width, CV_8UC3);
    for (int row = 0; row < height; ++row) {
        bgr.row(row).setTo(cv::Scalar(200 + 40 * row / height, 190, 180));
    }
    cv::rectangle(bgr, cv::Rect(width / 8, height / 8, width / 4, height / 4),
                  cv::Scalar(30, 30, 30), cv::FILLED);
    return grid_of(bgr, options);
}

std::string document_photo_heic_grid(const std::vector<std::string>& lines, int width, int height,
                                     std::uint32_t seed, const GridOptions& options) {
    return grid_of(document_photo(lines, width, height, seed), options);
}

LumaPlane libheif_luma(const std::string& heic) {
    LumaPlane out;
    std::unique_ptr<heif_context, decltype(&heif_context_free)> ctx(heif_context_alloc(),
                                                                    &heif_context_free);
    if (heif_context_read_from_memory_without_copy(ctx.get(), heic.data(), heic.size(), nullptr)
            .code != heif_error_Ok) {
        return out;
    }
    heif_image_handle* raw_handle = nullptr;
    if (heif_context_get_primary_image_handle(ctx.get(), &raw_handle).code != heif_error_Ok) {
        return out;
    }
    std::unique_ptr<heif_image_handle, decltype(&heif_image_handle_release)> handle(
        raw_handle, &heif_image_handle_release);
    heif_image* raw_image = nullptr;
    if (heif_decode_image(handle.get(), &raw_image, heif_colorspace_YCbCr, heif_chroma_420, nullptr)
            .code != heif_error_Ok) {
        return out;
    }
    std::unique_ptr<heif_image, decltype(&heif_image_release)> image(raw_image,
                                                                     &heif_image_release);
    int stride = 0;
    const std::uint8_t* y = heif_image_get_plane_readonly(image.get(), heif_channel_Y, &stride);
    out.width = heif_image_get_width(image.get(), heif_channel_Y);
    out.height = heif_image_get_height(image.get(), heif_channel_Y);
    out.pixels.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height));
    for (int row = 0; row < out.height; ++row) {
        std::copy_n(y + static_cast<std::ptrdiff_t>(row) * stride, out.width,
                    out.pixels.begin() + static_cast<std::ptrdiff_t>(row) * out.width);
    }
    return out;
}

std::string large_png(std::uint32_t width, std::uint32_t height, Interlace interlace) {
    std::unique_ptr<spng_ctx, decltype(&spng_ctx_free)> ctx(spng_ctx_new(SPNG_CTX_ENCODER),
                                                            &spng_ctx_free);
    spng_set_option(ctx.get(), SPNG_ENCODE_TO_BUFFER, 1);
    spng_set_option(ctx.get(), SPNG_IMG_COMPRESSION_LEVEL, 1);
    spng_ihdr ihdr{};
    ihdr.width = width;
    ihdr.height = height;
    ihdr.bit_depth = 8;
    ihdr.color_type = SPNG_COLOR_TYPE_TRUECOLOR;
    ihdr.interlace_method =
        interlace == Interlace::adam7 ? SPNG_INTERLACE_ADAM7 : SPNG_INTERLACE_NONE;
    spng_set_ihdr(ctx.get(), &ihdr);
    if (spng_encode_image(ctx.get(), nullptr, 0, SPNG_FMT_PNG, SPNG_ENCODE_PROGRESSIVE) != 0) {
        return {};
    }
    std::vector<std::uint8_t> row(static_cast<std::size_t>(width) * 3);
    int rc = 0;
    do {
        spng_row_info info{};
        rc = spng_get_row_info(ctx.get(), &info);
        if (rc != 0) {
            break;
        }
        const std::uint32_t y = info.row_num;
        const bool band = y >= height * 3 / 8 && y < height * 5 / 8;
        for (std::uint32_t x = 0; x < width; ++x) {
            const bool dark = band && x >= width * 3 / 8 && x < width * 5 / 8;
            const auto v = static_cast<std::uint8_t>(dark ? 30 : 200 + 40 * x / width);
            row[3 * x] = v;
            row[3 * x + 1] = v;
            row[3 * x + 2] = v;
        }
        rc = spng_encode_row(ctx.get(), row.data(), row.size());
    } while (rc == 0);
    if (rc != SPNG_EOI || spng_encode_chunks(ctx.get()) != 0) {
        return {};
    }
    std::size_t size = 0;
    int error = 0;
    void* png = spng_get_png_buffer(ctx.get(), &size, &error);
    if (png == nullptr) {
        return {};
    }
    std::string bytes(static_cast<const char*>(png), size);
    std::free(png);
    return bytes;
}

std::string with_claimed_size(std::string heic, std::uint32_t from_w, std::uint32_t from_h,
                              std::uint32_t to_w, std::uint32_t to_h) {
    auto be32 = [&](std::size_t at) {
        std::uint32_t v = 0;
        for (std::size_t i = 0; i < 4; ++i) {
            v = v << 8 | static_cast<unsigned char>(heic[at + i]);
        }
        return v;
    };
    auto put32 = [&](std::size_t at, std::uint32_t v) {
        for (std::size_t i = 0; i < 4; ++i) {
            heic[at + i] = static_cast<char>(v >> (24 - 8 * i) & 0xff);
        }
    };
    // 'ispe': version and flags (4 bytes), then width and height (4 bytes each).
    for (std::size_t at = heic.find("ispe"); at != std::string::npos && at + 16 <= heic.size();
         at = heic.find("ispe", at + 4)) {
        if (be32(at + 8) == from_w && be32(at + 12) == from_h) {
            put32(at + 8, to_w);
            put32(at + 12, to_h);
        }
    }
    return heic;
}

std::string png_header_only(std::uint32_t width, std::uint32_t height) {
    std::string png("\x89PNG\r\n\x1a\n", 8);
    auto be32 = [](std::string& s, std::uint32_t v) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            s.push_back(static_cast<char>((v >> shift) & 0xff));
        }
    };
    std::string chunk = "IHDR";
    be32(chunk, width);
    be32(chunk, height);
    chunk += std::string("\x08\x02\x00\x00\x00", 5);
    be32(png, 13);
    png += chunk;
    be32(png, static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(chunk.data()),
                                               static_cast<uInt>(chunk.size()))));
    be32(png, 0);
    png += "IEND";
    be32(png, static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>("IEND"), 4)));
    return png;
}

} // namespace dockscan::test_images
