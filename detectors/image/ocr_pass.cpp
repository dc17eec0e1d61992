// The OCR pass: Tesseract on photographed pages and screenshots, then the text
// detectors on what it read, with each finding's box mapped back to the photo. Also
// the pool of Tesseract engines that the analysers share.

#include "detectors/image/ocr.hpp"
#include "detectors/image/passes.hpp"

#include <algorithm>
#include <mutex>
#include <string_view>
#include <utility>

namespace dockscan::detectors::image {
namespace {

// OCR needs letters of ~20 px: a page is rectified to this long side (from the decode
// at k_ocr_decode_long_side, a 12 MP photo at 1/2), other pictures shrunk to it.
constexpr int k_ocr_long_side = 2400;
// Screens: the local background is the median over 1/60 of the long side, at least this.
constexpr int k_min_screen_reach = 15;
constexpr int k_screen_reach_fraction = 60;

struct TextWithBoxes {
    std::string text;
    std::vector<std::pair<std::size_t, std::size_t>> ranges; // per word, in text
};

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

Expected<void> preload_ocr(const ImageOptions& options) {
    // The lease gives the engine back to the pool when it ends: idle and loaded.
    DOCKSCAN_TRY_ASSIGN(const OcrLease lease,
                        options.ocr_pool->acquire(options.ocr_languages, options.tessdata));
    return {};
}

Expected<std::vector<Signal>> read_text(const Photo& photo, const Decoded& large,
                                        const std::optional<Quad>& page, Screen screen,
                                        const ImageOptions& options) {
    DOCKSCAN_TRY_ASSIGN(OcrLease ocr,
                        options.ocr_pool->acquire(options.ocr_languages, options.tessdata));
    const double large_per_work = static_cast<double>(large.luma.width) / photo.work.width;
    const double display_per_large =
        static_cast<double>(photo.header.display_width()) / large.luma.width;
    std::vector<OcrWord> words;
    Homography to_large{{1, 0, 0, 0, 1, 0, 0, 0, 1}};
    if (page) {
        Quad in_large = *page;
        for (PointF& p : in_large) {
            p.x *= large_per_work;
            p.y *= large_per_work;
        }
        Rectified rect = rectify(large.luma, in_large, k_ocr_long_side);
        to_large = rect.to_source;
        DOCKSCAN_TRY_ASSIGN(words, ocr->recognise(rect.page));
    } else {
        const Plane ocr_input = shrunk(large.luma, k_ocr_long_side);
        const double f = static_cast<double>(large.luma.width) / ocr_input.width;
        to_large = Homography{{f, 0, 0, 0, f, 0, 0, 0, 1}};
        if (screen == Screen::yes) {
            // Screens: both text polarities (white on a blue bubble, black on grey).
            const int reach =
                std::max(k_min_screen_reach,
                         std::max(ocr_input.width, ocr_input.height) / k_screen_reach_fraction);
            DOCKSCAN_TRY_ASSIGN(words, ocr->recognise(ink_on_white(ocr_input, reach)));
        } else {
            DOCKSCAN_TRY_ASSIGN(words, ocr->recognise(ocr_input));
        }
    }
    std::vector<Signal> signals;
    const TextWithBoxes text = join(words);
    for (Signal s : scan_text(text.text, options.text)) {
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
                const PointF p = to_large.apply(corner);
                x0 = std::min(x0, p.x), y0 = std::min(y0, p.y);
                x1 = std::max(x1, p.x), y1 = std::max(y1, p.y);
            }
        }
        if (x1 >= x0) {
            s.box = Scale{display_per_large}.box(x0, y0, x1, y1);
        }
        // Offsets into OCR text mean nothing to a reader of the image: the box says where.
        s.start = 0;
        s.end = 0;
        signals.push_back(std::move(s));
    }
    return signals;
}

} // namespace dockscan::detectors::image
