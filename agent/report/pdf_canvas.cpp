#include "agent/report/pdf_canvas.hpp"

#include "base/owned.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

namespace dockscan::agent::reports {

namespace {

// The font the report is set in: fonts-dejavu-core is installed with dockscan, and it
// has every letter Swedish needs and the typographic marks the report uses (– ” …).
constexpr const char* k_family = "DejaVu Sans";

using SurfacePtr = base::Owned<cairo_surface_t, cairo_surface_destroy>;
using CairoPtr = base::Owned<cairo_t, cairo_destroy>;
using ContextPtr = base::Owned<PangoContext, g_object_unref>;
using LayoutPtr = base::Owned<PangoLayout, g_object_unref>;
using FontPtr = base::Owned<PangoFontDescription, pango_font_description_free>;

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

// cairo 1.16 writes a structure tree (and /MarkInfo /Marked true) for these names. It
// takes no attributes on structure tags: alternative text (/Alt) needs cairo 1.18, so
// a figure carries its description as a caption inside it (pdf_report.cpp).
const char* tag_name(Tag tag) {
    switch (tag) {
    case Tag::document:
        return "Document";
    case Tag::h1:
        return "H1";
    case Tag::h2:
        return "H2";
    case Tag::p:
        return "P";
    case Tag::l:
        return "L";
    case Tag::li:
        return "LI";
    case Tag::table:
        return "Table";
    case Tag::tr:
        return "TR";
    case Tag::th:
        return "TH";
    case Tag::td:
        return "TD";
    case Tag::figure:
        return "Figure";
    case Tag::caption:
        return "Caption";
    }
    return "P";
}

Error cairo_error(cairo_status_t status) {
    return Error{ErrorCode::internal,
                 std::string("cannot render the PDF report: ") + cairo_status_to_string(status)};
}

} // namespace

struct PdfCanvas::Impl {
    // Declared first so that it outlives the surface, which writes into it to the end.
    std::string bytes;
    SurfacePtr surface;
    CairoPtr cr;
    ContextPtr context;
    LayoutPtr layout;
    FontPtr font;

    // Prepares the shared layout for `text` in `style`, `width` wide.
    PangoLayout* prepare(double width, std::string_view text, const TextStyle& style) {
        pango_font_description_set_size(font.get(),
                                        static_cast<gint>(style.size * PANGO_SCALE + 0.5));
        pango_font_description_set_weight(font.get(),
                                          style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        pango_font_description_set_style(font.get(),
                                         style.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
        pango_layout_set_font_description(layout.get(), font.get());
        pango_layout_set_width(layout.get(), width > 0 ? pango_units_from_double(width) : -1);
        pango_layout_set_wrap(layout.get(),
                              style.whole_words ? PANGO_WRAP_WORD : PANGO_WRAP_WORD_CHAR);
        pango_layout_set_ellipsize(layout.get(),
                                   style.one_line ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
        pango_layout_set_alignment(layout.get(), style.centred                 ? PANGO_ALIGN_CENTER
                                                 : style.align == Align::right ? PANGO_ALIGN_RIGHT
                                                                               : PANGO_ALIGN_LEFT);
        pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
        return layout.get();
    }

    double height_of(PangoLayout* l) {
        int w = 0;
        int h = 0;
        pango_layout_get_size(l, &w, &h);
        return pango_units_to_double(h);
    }

    void colour(Colour c) { cairo_set_source_rgb(cr.get(), c.r, c.g, c.b); }
};

Expected<PdfCanvas> PdfCanvas::create(std::string_view title) {
    auto impl = std::make_unique<Impl>();
    impl->surface.reset(
        cairo_pdf_surface_create_for_stream(append_bytes, &impl->bytes, k_width, k_height));
    if (const auto status = cairo_surface_status(impl->surface.get());
        status != CAIRO_STATUS_SUCCESS) {
        return tl::unexpected(cairo_error(status));
    }
    const std::string title_text(title);
    cairo_pdf_surface_set_metadata(impl->surface.get(), CAIRO_PDF_METADATA_TITLE,
                                   title_text.c_str());
    cairo_pdf_surface_set_metadata(impl->surface.get(), CAIRO_PDF_METADATA_CREATOR, "dockscan");
    impl->cr.reset(cairo_create(impl->surface.get()));
    if (const auto status = cairo_status(impl->cr.get()); status != CAIRO_STATUS_SUCCESS) {
        return tl::unexpected(cairo_error(status));
    }
    impl->context.reset(pango_cairo_create_context(impl->cr.get()));
    // Font sizes in points, as cairo's PDF units are: pango assumes 96 dpi otherwise.
    pango_cairo_context_set_resolution(impl->context.get(), 72);
    impl->layout.reset(pango_layout_new(impl->context.get()));
    impl->font.reset(pango_font_description_from_string(k_family));
    return PdfCanvas(std::move(impl));
}

PdfCanvas::PdfCanvas(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
PdfCanvas::PdfCanvas(PdfCanvas&&) noexcept = default;
PdfCanvas& PdfCanvas::operator=(PdfCanvas&&) noexcept = default;
PdfCanvas::~PdfCanvas() = default;

double PdfCanvas::text(double x, double y, double width, std::string_view text,
                       const TextStyle& style) {
    PangoLayout* layout = m_impl->prepare(width, text, style);
    m_impl->colour(style.colour);
    cairo_move_to(m_impl->cr.get(), x, y);
    pango_cairo_show_layout(m_impl->cr.get(), layout);
    return m_impl->height_of(layout);
}

double PdfCanvas::measure(double width, std::string_view text, const TextStyle& style) {
    return m_impl->height_of(m_impl->prepare(width, text, style));
}

double PdfCanvas::text_width(std::string_view text, const TextStyle& style) {
    int w = 0;
    int h = 0;
    pango_layout_get_size(m_impl->prepare(-1, text, style), &w, &h);
    return pango_units_to_double(w);
}

void PdfCanvas::fill_rect(double x, double y, double w, double h, Colour colour) {
    m_impl->colour(colour);
    cairo_rectangle(m_impl->cr.get(), x, y, w, h);
    cairo_fill(m_impl->cr.get());
}

void PdfCanvas::line(double x1, double y1, double x2, double y2, Colour colour, double width) {
    polyline({{x1, y1}, {x2, y2}}, colour, width);
}

void PdfCanvas::polyline(const std::vector<std::pair<double, double>>& points, Colour colour,
                         double width) {
    if (points.empty()) {
        return;
    }
    cairo_t* cr = m_impl->cr.get();
    m_impl->colour(colour);
    cairo_set_line_width(cr, width);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_move_to(cr, points.front().first, points.front().second);
    for (std::size_t i = 1; i < points.size(); ++i) {
        cairo_line_to(cr, points[i].first, points[i].second);
    }
    cairo_stroke(cr);
}

void PdfCanvas::dot(double x, double y, double radius, Colour colour) {
    m_impl->colour(colour);
    cairo_new_path(m_impl->cr.get());
    cairo_arc(m_impl->cr.get(), x, y, radius, 0, 2 * G_PI);
    cairo_fill(m_impl->cr.get());
}

void PdfCanvas::begin_tag(Tag tag) {
    cairo_tag_begin(m_impl->cr.get(), tag_name(tag), "");
}

void PdfCanvas::end_tag(Tag tag) {
    cairo_tag_end(m_impl->cr.get(), tag_name(tag));
}

void PdfCanvas::next_page() {
    cairo_show_page(m_impl->cr.get());
}

Expected<std::string> PdfCanvas::finish() {
    // The context holds a reference to the surface: release it, then finish the
    // surface so that the last page and the trailer are written.
    m_impl->layout.reset();
    m_impl->context.reset();
    const cairo_status_t drawn = cairo_status(m_impl->cr.get());
    m_impl->cr.reset();
    cairo_surface_finish(m_impl->surface.get());
    const cairo_status_t finished = cairo_surface_status(m_impl->surface.get());
    if (drawn != CAIRO_STATUS_SUCCESS || finished != CAIRO_STATUS_SUCCESS) {
        return tl::unexpected(cairo_error(drawn != CAIRO_STATUS_SUCCESS ? drawn : finished));
    }
    m_impl->surface.reset();
    return std::move(m_impl->bytes);
}

} // namespace dockscan::agent::reports
