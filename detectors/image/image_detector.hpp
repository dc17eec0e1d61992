#pragma once

// What is in a photo: screenshots, photographed documents (and the identity numbers
// OCR reads on them), faces and people. Cheap passes on a small grey image first;
// OCR only when they say a document or screenshot is there.

#include "detectors/image/image.hpp"
#include "detectors/image/thumbnail.hpp"
#include "detectors/signal.hpp"
#include "detectors/text_detector.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::detectors::image {

enum class Ocr { enabled, disabled };

class OcrPool;

// Tesseract engines shared by every analyser made from copies of one ImageOptions:
// loading one costs ~0.15-0.4 s of CPU and ~25 MB, and most photos never need it, so
// an engine is loaded only when every loaded one is busy (at most one per worker).
[[nodiscard]] std::shared_ptr<OcrPool> make_ocr_pool();

struct ImageOptions {
    TextOptions text;
    Ocr ocr = Ocr::enabled;
    std::string ocr_languages = "swe+eng";
    std::string tessdata; // empty: Tesseract's default (Debian's /usr/share/tesseract-ocr)
    std::shared_ptr<OcrPool> ocr_pool = make_ocr_pool();
    // The face and person models (neural.hpp), installed by scripts/install-deps:
    // /usr/share/dockscan/models on a station, the CMake cache variable
    // DOCKSCAN_MODELS_DIR in a build.
    std::string models = DOCKSCAN_MODELS_DIR;
};

// What the phone itself recorded about the photo (iOS Photos library), when known.
struct ImageHints {
    std::optional<bool> screenshot;
    std::optional<std::uint32_t> faces;
};

class PeoplePass;

// What ImageAnalyser::analyse_with_thumbnail gives: the signals and, when there are any,
// the photo's evidence thumbnail (thumbnail.hpp), made from the decode the analysis did.
// No thumbnail when its encoding failed: the signals still stand.
struct ImageAnalysis {
    std::vector<Signal> signals;
    std::optional<EvidenceThumbnail> thumbnail;
};

// Loads the face and person models of `options` once, to say at start what is missing
// (a station without its models must not run as if the photos had no people in them).
[[nodiscard]] Expected<void> check_models(const ImageOptions& options);

// The image detectors with their engines: the passes of `passes.hpp`, in order. The
// people pass loads its detectors on first use and reuses them; Tesseract engines come
// from the options' pool. One analyser per worker thread, never shared between threads.
class ImageAnalyser {
public:
    explicit ImageAnalyser(ImageOptions options);
    ~ImageAnalyser();
    ImageAnalyser(const ImageAnalyser&) = delete;
    ImageAnalyser& operator=(const ImageAnalyser&) = delete;

    // Signals for the encoded image `bytes`; boxes are in display-orientation pixels of
    // the full image. An error when the image cannot be decoded (or is over the limits).
    [[nodiscard]] Expected<std::vector<Signal>> analyse(std::string_view bytes,
                                                        const ImageHints& hints = {});

    // The same, and the evidence thumbnail of a flagged image from the same decode (a
    // second decode cost a 12 MP JPEG's whole entropy-coded stream again).
    [[nodiscard]] Expected<ImageAnalysis> analyse_with_thumbnail(std::string_view bytes,
                                                                 const ImageHints& hints = {});

    // Loads the face and person networks and, with OCR on, one Tesseract engine now
    // instead of on first use: a sandboxed worker reads every file it needs before its
    // system-call filter is applied.
    [[nodiscard]] Expected<void> load();

private:
    [[nodiscard]] Expected<std::vector<Signal>>
    signals_of(std::string_view bytes, const Decoded& cheap, const ImageHints& hints);

    ImageOptions m_options;
    std::unique_ptr<PeoplePass> m_people;
};

} // namespace dockscan::detectors::image
