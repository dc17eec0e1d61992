#pragma once

// The passes `ImageAnalyser::analyse` runs over one photo, in this order: screenshot,
// document, barcodes, OCR (documents and screenshots only), people. Each lives in
// its own file with its constants and the measurements behind them.

#include "detectors/image/barcode.hpp"
#include "detectors/image/image.hpp"
#include "detectors/image/image_detector.hpp"
#include "detectors/image/vision.hpp"
#include "detectors/signal.hpp"
#include "detectors/text_detector.hpp"

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dockscan::detectors::image {

// Maps coordinates of a plane to display coordinates of the full image.
struct Scale {
    double f;
    [[nodiscard]] Box box(double x0, double y0, double x1, double y1) const {
        return Box{static_cast<int>(std::lround(x0 * f)), static_cast<int>(std::lround(y0 * f)),
                   static_cast<int>(std::lround((x1 - x0) * f)),
                   static_cast<int>(std::lround((y1 - y0) * f))};
    }
};

// One photo as the cheap passes see it.
struct Photo {
    const Header& header;
    const Decoded& cheap; // the cheap decode (HEIC: the embedded thumbnail), with chroma
    const Plane& work;    // its grey plane at most k_work_long_side on the long side
    Scale work_to_display;

    // The whole picture, in display coordinates.
    [[nodiscard]] Box whole() const {
        return Box{0, 0, header.display_width(), header.display_height()};
    }
};

// The cheap passes decode at least this: a 12 MP photo decodes at 1/4 to 1000x750.
constexpr int k_cheap_long_side = 1000;
// ...and work on a grey plane of at most this size (the 1/4 decode fits without a copy).
constexpr int k_work_long_side = 1024;

[[nodiscard]] Signal image_signal(Kind kind, double confidence, Box box);

// `plane` scaled to `long_side`: averaged down, or enlarged.
[[nodiscard]] Plane at_long_side(const Plane& plane, int long_side);

// Screenshot pass (screenshot_pass.cpp): how sure we are that the phone made this
// picture of its own screen, 0..0.95; a screenshot from k_screenshot_threshold on.
constexpr double k_screenshot_threshold = 0.5;
[[nodiscard]] double screenshot_score(const Photo& photo, const ImageHints& hints);

// Document pass (document_pass.cpp): a photographed page, with its outline when it has
// one (in work coordinates).
struct Document {
    double confidence = 0;
    std::optional<Quad> page;
};
[[nodiscard]] std::optional<Document> find_document(const Photo& photo);
[[nodiscard]] Signal document_signal(const Photo& photo, const Document& document);

// Barcode pass (barcode_pass.cpp): codes whose content the text detectors find
// something in, read in `grey`, whose pixels are `grey_to_display` display pixels.
void add_barcode_signals(const Plane& grey, BarcodeEffort effort, double grey_to_display,
                         const TextOptions& options, std::vector<Signal>& signals);

// OCR pass (ocr_pass.cpp): the text detectors on the text Tesseract reads in `large`
// (a larger decode of the photo), with every signal's box in display coordinates. The
// page outline (work coordinates) is squared up first; screens are read in both
// polarities. `options.ocr_pool` must be set.
enum class Screen { yes, no };
[[nodiscard]] Expected<std::vector<Signal>> read_text(const Photo& photo, const Decoded& large,
                                                      const std::optional<Quad>& page,
                                                      Screen screen, const ImageOptions& options);

// Loads one Tesseract engine into `options.ocr_pool` now rather than at the first page
// (ocr_pass.cpp), for a worker that loads everything before it is sandboxed.
[[nodiscard]] Expected<void> preload_ocr(const ImageOptions& options);

// People pass (people_pass.cpp): faces and people in a photo that is not a page, as
// one signal (a face, a person or a group, with the box around all of them). Owns its
// networks, loaded on first use; one per analyser (worker thread).
enum class Page { yes, no };
class FaceNet;
class PersonNet;
class PeoplePass {
public:
    explicit PeoplePass(const ImageOptions& options);
    ~PeoplePass();
    PeoplePass(const PeoplePass&) = delete;
    PeoplePass& operator=(const PeoplePass&) = delete;

    // Loads the three models if not loaded yet: an error names a missing file.
    [[nodiscard]] Expected<void> load();

    [[nodiscard]] Expected<std::optional<Signal>> find(const Photo& photo, const ImageHints& hints,
                                                       Page page, Screen screen);

private:
    std::string m_models;
    std::unique_ptr<FaceNet> m_faces;
    std::unique_ptr<FaceNet> m_face_glance;
    std::unique_ptr<PersonNet> m_people;
};

} // namespace dockscan::detectors::image
