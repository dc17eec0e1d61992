#include "detectors/image/image_detector.hpp"

#include "detectors/image/decode.hpp"
#include "detectors/image/ocr.hpp"
#include "detectors/image/screen_sizes.hpp"
#include "detectors/image/vision.hpp"

#include <algorithm>
#include <cmath>

namespace dockscan::detectors::image {
namespace {

// The cheap passes work on this: a 12 MP photo decodes at 1/4 to 1000x750.
constexpr int k_cheap_long_side = 1000;
constexpr int k_work_long_side = 1024;
// Faces are looked for at the size the cascades were tuned for.
constexpr int k_face_long_side = 640;
// OCR needs letters of ~20 px: a 12 MP photo at 1/2, a page rectified to this.
constexpr int k_ocr_decode_long_side = 2000;
constexpr int k_ocr_long_side = 2400;

struct Measures {
    double screenshot = 0;
    double document = 0;
    std::optional<Quad> page; // in work coordinates
};

// Maps work-image coordinates to display coordinates of the full image.
struct Scale {
    double f;
    [[nodiscard]] Box box(double x0, double y0, double x1, double y1) const {
        return Box{static_cast<int>(std::lround(x0 * f)), static_cast<int>(std::lround(y0 * f)),
                   static_cast<int>(std::lround((x1 - x0) * f)),
                   static_cast<int>(std::lround((y1 - y0) * f))};
    }
};

double screenshot_score(const Header& header, double flat, const ImageHints& hints) {
    if (hints.screenshot) {
        // The phone knows which images it made itself.
        return *hints.screenshot ? 0.95 : 0.0;
    }
    if (header.camera_exif) {
        return 0.0;
    }
    double score = 0;
    const ScreenMatch match = match_screen(header.display_width(), header.display_height());
    if (match == ScreenMatch::exact) {
        score += 0.45;
    } else if (match == ScreenMatch::aspect) {
        score += 0.2;
    }
    if (header.format == Format::png) {
        score += 0.15;
    }
    // Rendered UI is mostly flat colour; a camera's noise makes almost nothing flat.
    // (Video frames and web pictures of 1920x1080 without EXIF are not flat.)
    if (flat > 0.55) {
        score += 0.3;
    }
    return std::min(score, 0.9);
}

double skin_share(const Decoded& d) {
    if (d.cb.empty() || d.cr.empty() || d.cb.pixels.size() != d.cr.pixels.size()) {
        return 0;
    }
    // Skin of every tone clusters in this Cb/Cr box (Chai and Ngan's YCbCr skin model).
    std::size_t skin = 0;
    for (std::size_t i = 0; i < d.cr.pixels.size(); ++i) {
        const int cb = d.cb.pixels[i];
        const int cr = d.cr.pixels[i];
        if (cr >= 136 && cr <= 173 && cb >= 77 && cb <= 127) {
            ++skin;
        }
    }
    return static_cast<double>(skin) / static_cast<double>(d.cr.pixels.size());
}

struct TextWithBoxes {
    std::string text;
    std::vector<std::pair<std::size_t, std::size_t>> ranges; // per word, in text
};

Signal image_signal(Kind kind, double confidence, Box box) {
    Signal s;
    s.kind = kind;
    s.confidence = confidence;
    s.box = box;
    return s;
}

// OCR reads the hyphen in "19450411-8359" as whatever dash the font suggests, and a
// bold hyphen sometimes as two; the text detector knows one hyphen-minus, so every
// run of dashes becomes one.
std::string with_plain_dashes(std::string_view word) {
    constexpr std::string_view k_dashes[] = {"\u2010", "\u2011", "\u2012", "\u2014", "\u2212"};
    std::string out;
    out.reserve(word.size());
    std::size_t at = 0;
    while (at < word.size()) {
        bool replaced = false;
        for (const std::string_view dash : k_dashes) {
            if (word.substr(at, dash.size()) == dash) {
                if (out.empty() || out.back() != '-') {
                    out += '-';
                }
                at += dash.size();
                replaced = true;
                break;
            }
        }
        if (!replaced) {
            if (word[at] != '-' || out.empty() || out.back() != '-') {
                out += word[at];
            }
            ++at;
        }
    }
    return out;
}

TextWithBoxes join(const std::vector<OcrWord>& words) {
    TextWithBoxes out;
    for (const OcrWord& w : words) {
        if (!out.text.empty()) {
            out.text += w.line_start ? '\n' : ' ';
        }
        const std::size_t start = out.text.size();
        out.text += with_plain_dashes(w.text);
        out.ranges.emplace_back(start, out.text.size());
    }
    return out;
}

} // namespace

ImageAnalyser::ImageAnalyser(ImageOptions options) : m_options(std::move(options)) {}
ImageAnalyser::~ImageAnalyser() = default;

Expected<std::vector<Signal>> ImageAnalyser::analyse(std::string_view bytes,
                                                     const ImageHints& hints) {
    DOCKSCAN_TRY_ASSIGN(const Decoded cheap, decode(bytes, k_cheap_long_side));
    const Header& header = cheap.header;
    const Plane work = shrunk(cheap.luma, k_work_long_side);
    const Scale work_to_display{static_cast<double>(header.display_width()) / work.width};

    std::vector<Signal> signals;
    const double flat = flat_share(work);
    const double screenshot = screenshot_score(header, flat, hints);
    if (screenshot >= 0.5) {
        signals.push_back(image_signal(Kind::screenshot, screenshot,
                                       Box{0, 0, header.display_width(), header.display_height()}));
    }

    std::optional<Quad> page;
    bool document = false;
    if (screenshot < 0.5) {
        page = find_page(work);
        const int lines = count_text_lines(work, page);
        double confidence = 0;
        if (page && lines >= 3) {
            confidence = std::min(0.9, 0.6 + 0.02 * lines);
        } else if (lines >= 10) {
            // A page that fills the frame has no outline, only its lines.
            confidence = 0.55;
            page.reset();
        }
        if (confidence > 0) {
            document = true;
            Signal s = image_signal(Kind::document, confidence, Box{});
            if (page) {
                double x0 = 1e9, y0 = 1e9, x1 = 0, y1 = 0;
                for (const PointF& p : *page) {
                    x0 = std::min(x0, p.x), y0 = std::min(y0, p.y);
                    x1 = std::max(x1, p.x), y1 = std::max(y1, p.y);
                }
                s.box = work_to_display.box(x0, y0, x1, y1);
            } else {
                s.box = Box{0, 0, header.display_width(), header.display_height()};
            }
            signals.push_back(std::move(s));
        }
    }

    if ((document || screenshot >= 0.5) && m_options.ocr == Ocr::enabled) {
        if (!m_ocr) {
            DOCKSCAN_TRY_ASSIGN(m_ocr,
                                OcrEngine::create(m_options.ocr_languages, m_options.tessdata));
        }
        // The cheap decode is too small for letters: decode again, larger.
        DOCKSCAN_TRY_ASSIGN(const Decoded full, decode(bytes, k_ocr_decode_long_side));
        const double full_per_work = static_cast<double>(full.luma.width) / work.width;
        const double display_per_full =
            static_cast<double>(header.display_width()) / full.luma.width;
        std::vector<OcrWord> words;
        Homography to_full{{1, 0, 0, 0, 1, 0, 0, 0, 1}};
        if (page) {
            Quad in_full = *page;
            for (PointF& p : in_full) {
                p.x *= full_per_work;
                p.y *= full_per_work;
            }
            Rectified rect = rectify(full.luma, in_full, k_ocr_long_side);
            to_full = rect.to_source;
            DOCKSCAN_TRY_ASSIGN(words, m_ocr->recognise(rect.page));
        } else if (screenshot >= 0.5) {
            // Screens: both text polarities (white on a blue bubble, black on grey).
            const Plane ocr_input = shrunk(full.luma, k_ocr_long_side);
            const double f = static_cast<double>(full.luma.width) / ocr_input.width;
            to_full = Homography{{f, 0, 0, 0, f, 0, 0, 0, 1}};
            const int reach = std::max(15, std::max(ocr_input.width, ocr_input.height) / 60);
            DOCKSCAN_TRY_ASSIGN(words, m_ocr->recognise(ink_on_white(ocr_input, reach)));
        } else {
            const Plane ocr_input = shrunk(full.luma, k_ocr_long_side);
            const double f = static_cast<double>(full.luma.width) / ocr_input.width;
            to_full = Homography{{f, 0, 0, 0, f, 0, 0, 0, 1}};
            DOCKSCAN_TRY_ASSIGN(words, m_ocr->recognise(ocr_input));
        }
        const TextWithBoxes text = join(words);
        for (Signal s : scan_text(text.text, m_options.text)) {
            double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
            for (std::size_t i = 0; i < words.size(); ++i) {
                const auto [ws, we] = text.ranges[i];
                if (we <= s.start || ws >= s.end) {
                    continue;
                }
                const Box& b = words[i].box;
                for (const PointF corner :
                     {PointF{double(b.x), double(b.y)}, PointF{double(b.x + b.width), double(b.y)},
                      PointF{double(b.x), double(b.y + b.height)},
                      PointF{double(b.x + b.width), double(b.y + b.height)}}) {
                    const PointF p = to_full.apply(corner);
                    x0 = std::min(x0, p.x), y0 = std::min(y0, p.y);
                    x1 = std::max(x1, p.x), y1 = std::max(y1, p.y);
                }
            }
            if (x1 >= x0) {
                s.box = Scale{display_per_full}.box(x0, y0, x1, y1);
            }
            // Offsets into OCR text mean nothing to a reader of the image: the box says where.
            s.start = 0;
            s.end = 0;
            signals.push_back(std::move(s));
        }
    }

    // Faces are looked for in screenshots too: a video call or a saved profile picture
    // shows a person as much as a photo does.
    bool face_found = false;
    {
        if (!m_faces) {
            DOCKSCAN_TRY_ASSIGN(m_faces, FaceDetector::load(m_options.face_cascade));
        }
        const Plane small = shrunk(cheap.luma, k_face_long_side);
        const Scale small_to_display{static_cast<double>(header.display_width()) / small.width};
        for (const Box& b : m_faces->detect(small)) {
            signals.push_back(
                image_signal(Kind::face, hints.faces && *hints.faces > 0 ? 0.85 : 0.6,
                             small_to_display.box(b.x, b.y, b.x + b.width, b.y + b.height)));
            face_found = true;
        }
        if (!face_found && hints.faces && *hints.faces > 0) {
            // The phone's own face analysis saw someone our cascade missed (profile, small).
            signals.push_back(image_signal(
                Kind::face, 0.6, Box{0, 0, header.display_width(), header.display_height()}));
            face_found = true;
        }
    }

    if (!face_found && !document && screenshot < 0.5) {
        const double share = skin_share(cheap);
        if (share > 0.6) {
            // Skin filling the frame without a face: possibly a wound photo. Colour alone
            // is weak evidence (wood, sand), so the confidence stays low.
            signals.push_back(
                image_signal(Kind::skin_closeup, std::min(0.5, 0.2 + share * 0.3),
                             Box{0, 0, header.display_width(), header.display_height()}));
        }
    }
    return signals;
}

} // namespace dockscan::detectors::image
