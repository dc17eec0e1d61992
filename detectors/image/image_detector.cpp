#include "detectors/image/image_detector.hpp"

#include "detectors/image/barcode.hpp"
#include "detectors/image/decode.hpp"
#include "detectors/image/ocr.hpp"
#include "detectors/image/screen_sizes.hpp"
#include "detectors/image/vision.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>

namespace dockscan::detectors::image {
namespace {

// The cheap passes work on this: a 12 MP photo decodes at 1/4 to 1000x750.
constexpr int k_cheap_long_side = 1000;
constexpr int k_work_long_side = 1024;
// Faces are looked for in a plane of this size, smaller pictures enlarged to it (HEIC
// thumbnails, saved pictures): the cascade's window is 45 px, so faces from ~7 % of the
// long side up are found in any picture.
constexpr int k_face_long_side = 640;
// People (HOG, 64x128 window) at this size: someone of a third of the frame's height.
constexpr int k_person_long_side = 400;
constexpr double k_person_threshold = 0.5;
// Share of skin-coloured chroma pixels below which no person is looked for.
constexpr double k_person_min_skin = 0.02;
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

// `flat` measures the share of flat colour in the image; it is asked for only when the
// answer still depends on it (a camera's EXIF or the phone's flag decide without it).
template <typename Flat>
double screenshot_score(const Header& header, Flat flat, const ImageHints& hints) {
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
    if (flat() > 0.55) {
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

// `plane` scaled to `long_side`: averaged down, or enlarged.
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

// Barcodes whose content the text detectors find something in (an identity number on a
// wristband or a summons): a `barcode` signal and the text signals, all with the code's
// box. A barcode with nothing personal in it (a parcel, a product) is no finding.
void add_barcode_signals(const Plane& grey, BarcodeEffort effort, double grey_to_display,
                         const TextOptions& options, std::vector<Signal>& signals) {
    const Scale scale{grey_to_display};
    for (const Barcode& code : read_barcodes(grey, effort)) {
        std::vector<Signal> found = scan_text(code.text, options);
        if (found.empty()) {
            continue;
        }
        const Box box = scale.box(code.box.x, code.box.y, code.box.x + code.box.width,
                                  code.box.y + code.box.height);
        double confidence = 0;
        for (Signal& s : found) {
            confidence = std::max(confidence, s.confidence);
            s.box = box;
            s.start = 0;
            s.end = 0;
        }
        signals.push_back(image_signal(Kind::barcode, confidence, box));
        for (Signal& s : found) {
            signals.push_back(std::move(s));
        }
    }
}

} // namespace

class OcrLease;

class OcrPool {
public:
    // An idle engine, or a newly loaded one when all are busy.
    [[nodiscard]] Expected<std::unique_ptr<OcrEngine>> take(const std::string& languages,
                                                            const std::string& tessdata) {
        {
            const std::lock_guard lock(m_mutex);
            for (auto it = m_idle.begin(); it != m_idle.end(); ++it) {
                if (it->languages == languages && it->tessdata == tessdata) {
                    std::unique_ptr<OcrEngine> engine = std::move(it->engine);
                    m_idle.erase(it);
                    return engine;
                }
            }
        }
        // Loading takes a while: not under the lock.
        return OcrEngine::create(languages, tessdata);
    }

    void give_back(std::unique_ptr<OcrEngine> engine, std::string languages, std::string tessdata) {
        const std::lock_guard lock(m_mutex);
        m_idle.push_back(Idle{std::move(languages), std::move(tessdata), std::move(engine)});
    }

    [[nodiscard]] Expected<OcrLease> acquire(const std::string& languages,
                                             const std::string& tessdata);

private:
    struct Idle {
        std::string languages;
        std::string tessdata;
        std::unique_ptr<OcrEngine> engine;
    };
    std::mutex m_mutex;
    std::vector<Idle> m_idle;
};

// An engine borrowed from the pool for one image, given back when the lease ends.
class OcrLease {
public:
    OcrLease(OcrPool& pool, std::unique_ptr<OcrEngine> engine, std::string languages,
             std::string tessdata)
        : m_pool(&pool), m_engine(std::move(engine)), m_languages(std::move(languages)),
          m_tessdata(std::move(tessdata)) {}
    OcrLease(OcrLease&& other) noexcept = default;
    OcrLease& operator=(OcrLease&&) = delete;
    OcrLease(const OcrLease&) = delete;
    OcrLease& operator=(const OcrLease&) = delete;
    ~OcrLease() {
        if (m_engine) {
            m_pool->give_back(std::move(m_engine), std::move(m_languages), std::move(m_tessdata));
        }
    }
    OcrEngine* operator->() const { return m_engine.get(); }

private:
    OcrPool* m_pool;
    std::unique_ptr<OcrEngine> m_engine;
    std::string m_languages;
    std::string m_tessdata;
};

Expected<OcrLease> OcrPool::acquire(const std::string& languages, const std::string& tessdata) {
    DOCKSCAN_TRY_ASSIGN(std::unique_ptr<OcrEngine> engine, take(languages, tessdata));
    return OcrLease(*this, std::move(engine), languages, tessdata);
}

std::shared_ptr<OcrPool> make_ocr_pool() {
    return std::make_shared<OcrPool>();
}

ImageAnalyser::ImageAnalyser(ImageOptions options) : m_options(std::move(options)) {}
ImageAnalyser::~ImageAnalyser() = default;

Expected<std::vector<Signal>> ImageAnalyser::analyse(std::string_view bytes,
                                                     const ImageHints& hints) {
    // HEIC: the embedded thumbnail serves the cheap passes and the faces; the primary
    // image is decoded only for OCR.
    DOCKSCAN_TRY_ASSIGN(const Decoded cheap, decode(bytes, k_cheap_long_side, Thumbnail::accepted));
    const Header& header = cheap.header;
    // The 1/4-scaled decode of a 12 MP JPEG is already small enough: no copy then.
    Plane work_storage;
    const bool work_fits = std::max(cheap.luma.width, cheap.luma.height) <= k_work_long_side;
    if (!work_fits) {
        work_storage = shrunk(cheap.luma, k_work_long_side);
    }
    const Plane& work = work_fits ? cheap.luma : work_storage;
    const Scale work_to_display{static_cast<double>(header.display_width()) / work.width};

    std::vector<Signal> signals;
    const double screenshot = screenshot_score(
        header, [&work] { return flat_share(work); }, hints);
    if (screenshot >= 0.5) {
        signals.push_back(image_signal(Kind::screenshot, screenshot,
                                       Box{0, 0, header.display_width(), header.display_height()}));
    }

    std::optional<Quad> page;
    bool document = false;
    if (screenshot < 0.5) {
        page = find_page(work);
        TextLines text = find_text_lines(work, page);
        if (page && text.lines < 3) {
            // A page photographed at an angle has slanted lines in the picture: squared
            // up (inside a 3 % margin, past its edges), they are lines again.
            const Rectified squared = rectify(work, *page, k_work_long_side);
            const double w = squared.page.width - 1;
            const double h = squared.page.height - 1;
            const Quad inside = {PointF{0.03 * w, 0.03 * h}, PointF{0.97 * w, 0.03 * h},
                                 PointF{0.97 * w, 0.97 * h}, PointF{0.03 * w, 0.97 * h}};
            text.lines = std::max(text.lines, find_text_lines(squared.page, inside).lines);
        }
        double confidence = 0;
        if (page && text.lines >= 3) {
            confidence = std::min(0.9, 0.6 + 0.02 * text.lines);
        } else if (text.lines >= 10 && text.aligned >= 6) {
            // A page that fills the frame has no outline, only its lines, and they start
            // at its margin: texture (concrete, a painting) closes into line-like blobs
            // too, scattered (tests/bench/README.md: at most 4 aligned of 23).
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

    // Papers and screens: the cheap decode is too small for letters and for the bars of
    // a 1-D code, so decode again, larger, for the barcode reader and OCR.
    std::optional<Decoded> full_storage;
    if (document || screenshot >= 0.5) {
        DOCKSCAN_TRY_ASSIGN(full_storage, decode(bytes, k_ocr_decode_long_side));
        add_barcode_signals(full_storage->luma, BarcodeEffort::thorough,
                            static_cast<double>(header.display_width()) / full_storage->luma.width,
                            m_options.text, signals);
    } else {
        // A wristband or a label in an ordinary photo: a QR code of a few centimetres
        // still has modules of 3-4 px in the 1000 px image.
        add_barcode_signals(work, BarcodeEffort::quick, work_to_display.f, m_options.text, signals);
    }

    if (full_storage && m_options.ocr == Ocr::enabled) {
        if (!m_options.ocr_pool) {
            m_options.ocr_pool = make_ocr_pool();
        }
        DOCKSCAN_TRY_ASSIGN(
            OcrLease ocr, m_options.ocr_pool->acquire(m_options.ocr_languages, m_options.tessdata));
        const Decoded& full = *full_storage;
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
            DOCKSCAN_TRY_ASSIGN(words, ocr->recognise(rect.page));
        } else if (screenshot >= 0.5) {
            // Screens: both text polarities (white on a blue bubble, black on grey).
            const Plane ocr_input = shrunk(full.luma, k_ocr_long_side);
            const double f = static_cast<double>(full.luma.width) / ocr_input.width;
            to_full = Homography{{f, 0, 0, 0, f, 0, 0, 0, 1}};
            const int reach = std::max(15, std::max(ocr_input.width, ocr_input.height) / 60);
            DOCKSCAN_TRY_ASSIGN(words, ocr->recognise(ink_on_white(ocr_input, reach)));
        } else {
            const Plane ocr_input = shrunk(full.luma, k_ocr_long_side);
            const double f = static_cast<double>(full.luma.width) / ocr_input.width;
            to_full = Homography{{f, 0, 0, 0, f, 0, 0, 0, 1}};
            DOCKSCAN_TRY_ASSIGN(words, ocr->recognise(ocr_input));
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
    // shows a person as much as a photo does. Not on a photographed page: it is a
    // finding already, and the face on a card or a letter is its holder's, not a photo
    // of a client (about 1/20 of a roll, each a cascade run saved).
    bool face_found = false;
    {
        if (!document) {
            if (!m_faces) {
                DOCKSCAN_TRY_ASSIGN(m_faces, FaceDetector::load(m_options.face_cascade));
            }
            const Plane small = at_long_side(cheap.luma, k_face_long_side);
            const Scale small_to_display{static_cast<double>(header.display_width()) / small.width};
            for (const Box& b : m_faces->detect(small)) {
                signals.push_back(
                    image_signal(Kind::face, hints.faces && *hints.faces > 0 ? 0.85 : 0.6,
                                 small_to_display.box(b.x, b.y, b.x + b.width, b.y + b.height)));
                face_found = true;
            }
        }
        if (!face_found && hints.faces && *hints.faces > 0) {
            // The phone's own face analysis saw someone our cascade missed (profile, small).
            signals.push_back(image_signal(
                Kind::face, 0.6, Box{0, 0, header.display_width(), header.display_height()}));
            face_found = true;
        }
    }

    const double skin = skin_share(cheap);
    bool person_found = false;
    if (m_options.people == People::enabled && !face_found && !document && screenshot < 0.5 &&
        skin >= k_person_min_skin) {
        // People seen from the side or behind, or too small for the face cascade. The
        // HOG detector costs about as much as the face cascade and finds people in
        // texture now and then, so it runs only where some skin shows.
        if (!m_people) {
            m_people = std::make_unique<PersonDetector>();
        }
        Plane person_storage;
        const bool person_fits =
            std::max(cheap.luma.width, cheap.luma.height) <= k_person_long_side;
        if (!person_fits) {
            person_storage = shrunk(cheap.luma, k_person_long_side);
        }
        const Plane& person_plane = person_fits ? cheap.luma : person_storage;
        const Scale to_display{static_cast<double>(header.display_width()) / person_plane.width};
        for (const PersonDetector::Found& p : m_people->detect(person_plane)) {
            if (p.score < k_person_threshold) {
                continue;
            }
            signals.push_back(image_signal(
                Kind::person, std::min(0.8, 0.5 + 0.1 * p.score),
                to_display.box(p.box.x, p.box.y, p.box.x + p.box.width, p.box.y + p.box.height)));
            person_found = true;
        }
    }

    if (!face_found && !person_found && !document && screenshot < 0.5) {
        const double share = skin;
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
