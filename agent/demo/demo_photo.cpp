// The demo phone's pictures, drawn with cairo and pango (the report's libraries; this and
// agent/report/pdf_canvas.cpp are the files that include them): a photo of a medication
// list, encoded as the JPEG a phone's camera would save, and plain gradients as PNG.

#include "agent/demo/demo_phone.hpp"
#include "base/owned.hpp"
#include "detectors/image/decode.hpp"

#include <algorithm>
#include <cairo.h>
#include <cmath>
#include <cstdint>
#include <pango/pangocairo.h>
#include <random>

namespace dockscan::agent {
namespace {

using SurfacePtr = base::Owned<cairo_surface_t, cairo_surface_destroy>;
using PatternPtr = base::Owned<cairo_pattern_t, cairo_pattern_destroy>;
using CairoPtr = base::Owned<cairo_t, cairo_destroy>;
using LayoutPtr = base::Owned<PangoLayout, g_object_unref>;
using FontPtr = base::Owned<PangoFontDescription, pango_font_description_free>;

// The list as a nurse prints it for the home-care folder. The number is one of
// Skatteverket's published test personnummer (demo_identity_numbers()).
constexpr const char* k_list[] = {
    "Läkemedelslista",
    "Patient: Elsa Berg",
    "Personnummer: 19551108-2660",
    "Utskriven 2026-11-18, vårdcentralen",
    "",
    "Alvedon 500 mg     1 x 3",
    "Omeprazol 20 mg    1 x 1",
    "Waran 2,5 mg       enligt schema",
    "Furix 40 mg        1 på morgonen",
    "Sobril 10 mg       vid behov",
};

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

} // namespace

std::string demo_gradient_png(int width, int height, std::uint8_t tint) {
    const SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height));
    cairo_surface_flush(surface.get());
    unsigned char* pixels = cairo_image_surface_get_data(surface.get());
    const int stride = cairo_image_surface_get_stride(surface.get());
    for (int y = 0; y < height; ++y) {
        auto* row = reinterpret_cast<std::uint32_t*>(pixels + y * stride);
        for (int x = 0; x < width; ++x) {
            const auto red = static_cast<std::uint32_t>(x * 255 / width);
            const auto green = static_cast<std::uint32_t>(y * 255 / height);
            row[x] = (red << 16) | (green << 8) | tint;
        }
    }
    cairo_surface_mark_dirty(surface.get());
    std::string png;
    cairo_surface_write_to_png_stream(surface.get(), append_to_string, &png);
    return png;
}

Expected<std::string> demo_medication_list_photo() {
    constexpr int k_width = 1600;
    constexpr int k_height = 1200;
    const SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, k_width, k_height));
    const CairoPtr cr(cairo_create(surface.get()));
    cairo_t* c = cr.get();

    // A wooden table, darker towards one corner.
    const PatternPtr wood(cairo_pattern_create_linear(0, 0, k_width, k_height));
    cairo_pattern_add_color_stop_rgb(wood.get(), 0, 0.45, 0.32, 0.22);
    cairo_pattern_add_color_stop_rgb(wood.get(), 1, 0.28, 0.19, 0.12);
    cairo_set_source(c, wood.get());
    cairo_paint(c);

    // The sheet, a little turned, with the list printed on it.
    cairo_translate(c, k_width / 2.0, k_height / 2.0);
    cairo_rotate(c, -0.05);
    constexpr double k_page_w = 800;
    constexpr double k_page_h = 1060;
    cairo_translate(c, -k_page_w / 2, -k_page_h / 2);
    cairo_set_source_rgb(c, 0.94, 0.94, 0.92);
    cairo_rectangle(c, 0, 0, k_page_w, k_page_h);
    cairo_fill(c);

    const LayoutPtr layout(pango_cairo_create_layout(c));
    const FontPtr font(pango_font_description_from_string("DejaVu Sans 19px"));
    pango_layout_set_font_description(layout.get(), font.get());
    cairo_set_source_rgb(c, 0.1, 0.1, 0.12);
    double y = 70;
    for (const char* line : k_list) {
        cairo_move_to(c, 70, y);
        pango_layout_set_text(layout.get(), line, -1);
        pango_cairo_show_layout(c, layout.get());
        y += 46;
    }
    cairo_surface_flush(surface.get());

    // What the camera adds: darker corners and sensor noise. Then the YCbCr planes a
    // JPEG stores (BT.601, full range).
    const unsigned char* pixels = cairo_image_surface_get_data(surface.get());
    const int stride = cairo_image_surface_get_stride(surface.get());
    detectors::image::Plane planes[3];
    for (detectors::image::Plane& p : planes) {
        p.width = k_width;
        p.height = k_height;
        p.pixels.resize(static_cast<std::size_t>(k_width) * k_height);
    }
    std::mt19937 rng(20261120);
    std::normal_distribution<double> noise(0.0, 4.0);
    const double cx = k_width / 2.0;
    const double cy = k_height / 2.0;
    for (int row = 0; row < k_height; ++row) {
        const auto* px = reinterpret_cast<const std::uint32_t*>(pixels + row * stride);
        for (int col = 0; col < k_width; ++col) {
            const double dx = (col - cx) / cx;
            const double dy = (row - cy) / cy;
            const double light = 1.0 - 0.18 * (dx * dx + dy * dy);
            const std::uint32_t v = px[col];
            const double r = ((v >> 16) & 0xff) * light + noise(rng);
            const double g = ((v >> 8) & 0xff) * light + noise(rng);
            const double b = (v & 0xff) * light + noise(rng);
            const auto at = static_cast<std::size_t>(row) * k_width + static_cast<std::size_t>(col);
            auto byte = [](double x) {
                return static_cast<std::uint8_t>(std::clamp(std::lround(x), 0L, 255L));
            };
            planes[0].pixels[at] = byte(0.299 * r + 0.587 * g + 0.114 * b);
            planes[1].pixels[at] = byte(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
            planes[2].pixels[at] = byte(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
        }
    }
    auto jpeg = detectors::image::jpeg_encode(planes[0], planes[1], planes[2], 90);
    if (!jpeg) {
        return fail(ErrorCode::internal, "demo photo: " + jpeg.error().message);
    }
    return *std::move(jpeg);
}

} // namespace dockscan::agent
