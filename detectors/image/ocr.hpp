#pragma once

// Optical character recognition of a grey image: words with their boxes.

#include "detectors/image/image.hpp"
#include "detectors/signal.hpp"

#include <memory>
#include <string>
#include <vector>

namespace dockscan::detectors::image {

struct OcrWord {
    std::string text; // UTF-8
    Box box;          // in the recognised image's pixels
    bool line_start = false;
};

// One Tesseract instance. Creating one loads the language data (~0.3 s); it is not
// thread-safe, so each worker thread owns one and reuses it for every image.
class OcrEngine {
public:
    // `languages` as Tesseract names them ("swe+eng"); `tessdata` empty for Debian's.
    [[nodiscard]] static Expected<std::unique_ptr<OcrEngine>> create(const std::string& languages,
                                                                     const std::string& tessdata);
    ~OcrEngine();
    OcrEngine(const OcrEngine&) = delete;
    OcrEngine& operator=(const OcrEngine&) = delete;

    [[nodiscard]] Expected<std::vector<OcrWord>> recognise(const Plane& grey);

private:
    struct Impl;
    explicit OcrEngine(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace dockscan::detectors::image
