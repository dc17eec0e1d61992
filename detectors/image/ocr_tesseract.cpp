// The one file that includes Tesseract (and Leptonica and the OpenMP runtime, which
// it brings along).

#include "detectors/image/ocr.hpp"

#include <leptonica/allheaders.h>
#include <mutex>
#include <omp.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

namespace dockscan::detectors::image {
namespace {

void limit_openmp_threads() {
    // Debian's Tesseract is built with OpenMP and its LSTM asks for several threads per
    // recognition. We already run one worker per core; on a 2-core station the extra
    // OpenMP threads spin against the other worker and OCR-heavy scans get much slower
    // (dockscan-bench-images: 8.0 s against 5.3 s for 60 photos). Setting
    // OMP_THREAD_LIMIT=1 here would come too late: libgomp reads it once, when it is
    // loaded at process start. Zero active levels makes every parallel region run on
    // the calling thread alone, and libgomp keeps that setting process-wide.
    static std::once_flag once;
    std::call_once(once, [] { omp_set_max_active_levels(0); });
}

void quiet_leptonica() {
    // Leptonica writes its own complaints to stderr ("Error in boxClipToRectangle: box
    // outside rectangle", on photos of pages): nothing a station's admin can act on, and
    // the OCR result says whether text was read. Process-wide, like the OpenMP setting.
    static std::once_flag once;
    std::call_once(once, [] { setMsgSeverity(L_SEVERITY_NONE); });
}

} // namespace

struct OcrEngine::Impl {
    tesseract::TessBaseAPI api;
};

OcrEngine::OcrEngine(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

OcrEngine::~OcrEngine() {
    if (m_impl) {
        m_impl->api.End();
    }
}

Expected<std::unique_ptr<OcrEngine>> OcrEngine::create(const std::string& languages,
                                                       const std::string& tessdata) {
    limit_openmp_threads();
    quiet_leptonica();
    auto impl = std::make_unique<Impl>();
    if (impl->api.Init(tessdata.empty() ? nullptr : tessdata.c_str(), languages.c_str(),
                       tesseract::OEM_LSTM_ONLY) != 0) {
        return fail(ErrorCode::engine,
                    "cannot load Tesseract language data for " + languages +
                        " (Debian packages tesseract-ocr-swe, tesseract-ocr-eng)");
    }
    // Sauvola's local threshold copes with the uneven light of a phone photo (vignetting,
    // a shadow across the page) where Otsu's single global threshold loses text.
    impl->api.SetVariable("thresholding_method", "2");
    impl->api.SetPageSegMode(tesseract::PSM_AUTO);
    // Tesseract reports "Empty page!!" and the like on stderr; the scan reports outcomes.
    impl->api.SetVariable("debug_file", "/dev/null");
    return std::unique_ptr<OcrEngine>(new OcrEngine(std::move(impl)));
}

Expected<std::vector<OcrWord>> OcrEngine::recognise(const Plane& grey) {
    tesseract::TessBaseAPI& api = m_impl->api;
    api.SetImage(grey.pixels.data(), grey.width, grey.height, 1, grey.width);
    // Tesseract's resolution guess decides its scaling; phone photos carry no DPI.
    api.SetSourceResolution(300);
    if (api.Recognize(nullptr) != 0) {
        api.Clear();
        return fail(ErrorCode::corrupt, "OCR failed");
    }
    std::vector<OcrWord> words;
    std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
    if (it) {
        do {
            // Tesseract hands out its text with new[].
            const std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_WORD));
            if (!text) {
                continue;
            }
            int left = 0;
            int top = 0;
            int right = 0;
            int bottom = 0;
            it->BoundingBox(tesseract::RIL_WORD, &left, &top, &right, &bottom);
            OcrWord word;
            word.text = text.get();
            word.box = Box{left, top, right - left, bottom - top};
            word.line_start = it->IsAtBeginningOf(tesseract::RIL_TEXTLINE);
            words.push_back(std::move(word));
        } while (it->Next(tesseract::RIL_WORD));
    }
    api.Clear();
    return words;
}

} // namespace dockscan::detectors::image
