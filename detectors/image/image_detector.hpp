#pragma once

// What is in a photo: screenshots, photographed documents (and the identity numbers
// OCR reads on them), faces, skin close-ups. Cheap passes on a small grey image first;
// OCR only when they say a document or screenshot is there.

#include "detectors/image/image.hpp"
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

struct ImageOptions {
    TextOptions text;
    Ocr ocr = Ocr::enabled;
    std::string ocr_languages = "swe+eng";
    std::string tessdata; // empty: Tesseract's default (Debian's /usr/share/tesseract-ocr)
    // The LBP cascade: about 40 % faster than Haar's frontalface_default on a 640 px image
    // (23 ms against 39 ms on the station's CPU), which the per-photo budget needs.
    std::string face_cascade = "/usr/share/opencv4/lbpcascades/lbpcascade_frontalface_improved.xml";
};

// What the phone itself recorded about the photo (iOS Photos library), when known.
struct ImageHints {
    std::optional<bool> screenshot;
    std::optional<std::uint32_t> faces;
};

class OcrEngine;
class FaceDetector;

// The image detectors with their engines. Tesseract and the face cascade are loaded on
// first use and reused: one analyser per worker thread, never shared between threads.
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

private:
    ImageOptions m_options;
    std::unique_ptr<OcrEngine> m_ocr;
    std::unique_ptr<FaceDetector> m_faces;
};

} // namespace dockscan::detectors::image
