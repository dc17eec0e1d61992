#include "detectors/image/image_detector.hpp"

#include "detectors/image/decode.hpp"
#include "detectors/image/passes.hpp"

#include <algorithm>

namespace dockscan::detectors::image {
namespace {

// Papers and screens: the cheap decode is too small for letters and for the bars of a
// 1-D code, so they are decoded again, this large, for the barcode reader and OCR.
constexpr int k_ocr_decode_long_side = 2000;

} // namespace

Signal image_signal(Kind kind, double confidence, Box box) {
    Signal s;
    s.kind = kind;
    s.confidence = confidence;
    s.box = box;
    return s;
}

Plane at_long_side(const Plane& plane, int long_side) {
    const int longest = std::max(plane.width, plane.height);
    if (longest == long_side || plane.empty()) {
        return plane;
    }
    if (longest > long_side) {
        return shrunk(plane, long_side);
    }
    const double f = static_cast<double>(long_side) / longest;
    return resized(plane, std::max(1, static_cast<int>(std::lround(plane.width * f))),
                   std::max(1, static_cast<int>(std::lround(plane.height * f))));
}

Expected<void> check_models(const ImageOptions& options) {
    PeoplePass pass(options);
    return pass.load();
}

ImageAnalyser::ImageAnalyser(ImageOptions options)
    : m_options(std::move(options)), m_people(std::make_unique<PeoplePass>(m_options)) {}
ImageAnalyser::~ImageAnalyser() = default;

Expected<void> ImageAnalyser::load() {
    DOCKSCAN_TRY(m_people->load());
    if (m_options.ocr == Ocr::enabled) {
        if (!m_options.ocr_pool) {
            m_options.ocr_pool = make_ocr_pool();
        }
        DOCKSCAN_TRY(preload_ocr(m_options));
    }
    return {};
}

Expected<std::vector<Signal>> ImageAnalyser::analyse(std::string_view bytes,
                                                     const ImageHints& hints) {
    // HEIC: the embedded thumbnail serves the cheap passes and the people pass; the
    // primary image is decoded only for OCR.
    DOCKSCAN_TRY_ASSIGN(const Decoded cheap, decode(bytes, k_cheap_long_side, Thumbnail::accepted));
    return signals_of(bytes, cheap, hints);
}

Expected<ImageAnalysis> ImageAnalyser::analyse_with_thumbnail(std::string_view bytes,
                                                              const ImageHints& hints) {
    DOCKSCAN_TRY_ASSIGN(const Decoded cheap, decode(bytes, k_cheap_long_side, Thumbnail::accepted));
    ImageAnalysis out;
    DOCKSCAN_TRY_ASSIGN(out.signals, signals_of(bytes, cheap, hints));
    if (!out.signals.empty()) {
        // The cheap decode (JPEG at 1/4, the HEIC thumbnail) is at least as large as the
        // thumbnail's own decode would be, and is averaged down to a few dozen pixels.
        if (auto thumbnail = evidence_thumbnail(cheap)) {
            out.thumbnail = std::move(*thumbnail);
        }
    }
    return out;
}

Expected<std::vector<Signal>>
ImageAnalyser::signals_of(std::string_view bytes, const Decoded& cheap, const ImageHints& hints) {
    // The 1/4-scaled decode of a 12 MP JPEG is already small enough: no copy then.
    const bool work_fits = std::max(cheap.luma.width, cheap.luma.height) <= k_work_long_side;
    const Plane work_storage = work_fits ? Plane{} : shrunk(cheap.luma, k_work_long_side);
    const Plane& work = work_fits ? cheap.luma : work_storage;
    const Photo photo{cheap.header, cheap, work,
                      Scale{static_cast<double>(cheap.header.display_width()) / work.width}};
    std::vector<Signal> signals;
    auto add = [&signals](std::vector<Signal> found) {
        signals.insert(signals.end(), std::make_move_iterator(found.begin()),
                       std::make_move_iterator(found.end()));
    };

    const double screenshot = screenshot_score(photo, hints);
    const Screen screen = screenshot >= k_screenshot_threshold ? Screen::yes : Screen::no;
    if (screen == Screen::yes) {
        signals.push_back(image_signal(Kind::screenshot, screenshot, photo.whole()));
    }

    const std::optional<Document> document =
        screen == Screen::no ? find_document(photo) : std::nullopt;
    if (document) {
        signals.push_back(document_signal(photo, *document));
    }

    std::optional<Decoded> large;
    if (document || screen == Screen::yes) {
        DOCKSCAN_TRY_ASSIGN(large, decode(bytes, k_ocr_decode_long_side));
        add_barcode_signals(large->luma, BarcodeEffort::thorough,
                            static_cast<double>(cheap.header.display_width()) / large->luma.width,
                            m_options.text, signals);
    } else {
        // A wristband or a label in an ordinary photo: a QR code of a few centimetres
        // still has modules of 3-4 px in the 1000 px image.
        add_barcode_signals(work, BarcodeEffort::quick, photo.work_to_display.f, m_options.text,
                            signals);
    }

    if (large && m_options.ocr == Ocr::enabled) {
        if (!m_options.ocr_pool) {
            m_options.ocr_pool = make_ocr_pool();
        }
        DOCKSCAN_TRY_ASSIGN(
            std::vector<Signal> text,
            read_text(photo, *large, document ? document->page : std::nullopt, screen, m_options));
        add(std::move(text));
    }

    const Page page = document ? Page::yes : Page::no;
    DOCKSCAN_TRY_ASSIGN(const std::optional<Signal> people,
                        m_people->find(photo, hints, page, screen));
    // HEIC: the people pass sees the embedded thumbnail (~320 px on iPhones), never the
    // primary image. Its networks' inputs are 256 px, so the primary would give them
    // nothing the thumbnail does not, for ~1 s of HEVC decoding per photo: measured on
    // the people benchmark shrunk to 320 px first, 40 of 46 and 15 of 19 photos of
    // people were found against 41 and 16 (tests/bench/README.md).
    // No pass looks for wounds by colour any more: the skin close-up pass that did so found
    // 2 of 400 real foot-ulcer photos and called 9 of 115 photos without people (beige
    // rooms, fur) a serious deviation (tests/bench/README.md, "Wound photos").
    if (people) {
        signals.push_back(*people);
    }
    return signals;
}

} // namespace dockscan::detectors::image
