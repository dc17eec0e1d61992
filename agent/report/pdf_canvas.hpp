#pragma once

// A4 pages to draw the PDF report on: text laid out by pango (DejaVu Sans), lines and
// shapes by cairo. pdf_canvas.cpp is the only file that includes cairo or pango; the
// layout code sees these types.

#include "agent/error.hpp"
#include "agent/report/chart_data.hpp"
#include "agent/report/report_tables.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dockscan::agent::reports {

struct TextStyle {
    double size = 9; // points
    bool bold = false;
    bool italic = false;
    Colour colour{0.1, 0.1, 0.1};
    Align align = Align::left;
    bool centred = false;     // overrides align
    bool one_line = false;    // cut with … instead of wrapping
    bool whole_words = false; // never break inside a word (headings of narrow columns)
};

// The structure of a tagged PDF (ISO 32000 standard structure types), so screen readers
// and PDF/UA checkers see the report's headings, paragraphs, lists, tables with their
// header cells, and figures.
enum class Tag { document, h1, h2, p, l, li, table, tr, th, td, figure, caption };

class PdfCanvas {
public:
    // A4 portrait, in points (1/72 inch): cairo's unit on a PDF surface.
    static constexpr double k_width = 595.276;
    static constexpr double k_height = 841.890;

    // A document in memory; `title` goes into its metadata.
    [[nodiscard]] static Expected<PdfCanvas> create(std::string_view title);

    PdfCanvas(PdfCanvas&&) noexcept;
    PdfCanvas& operator=(PdfCanvas&&) noexcept;
    ~PdfCanvas();

    // Lays `text` out in a box `width` wide with its top left at (x, y), wrapping at
    // words, and returns the height it took.
    double text(double x, double y, double width, std::string_view text, const TextStyle& style);
    // The height `text` takes in a box `width` wide, without drawing it.
    [[nodiscard]] double measure(double width, std::string_view text, const TextStyle& style);
    // The width of `text` on one line.
    [[nodiscard]] double text_width(std::string_view text, const TextStyle& style);

    void fill_rect(double x, double y, double w, double h, Colour colour);
    void line(double x1, double y1, double x2, double y2, Colour colour, double width);
    void polyline(const std::vector<std::pair<double, double>>& points, Colour colour,
                  double width);
    void dot(double x, double y, double radius, Colour colour);

    // Opens and closes a structure element: everything drawn between them is its
    // content. Elements nest and may span pages; each begin needs its end.
    void begin_tag(Tag tag);
    void end_tag(Tag tag);

    // Ends this page and starts the next.
    void next_page();

    // Ends the document and returns its bytes (ErrorCode::internal when cairo failed).
    [[nodiscard]] Expected<std::string> finish();

private:
    struct Impl;
    explicit PdfCanvas(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace dockscan::agent::reports
