// The one file that includes OpenCV's core and imgproc (neural_dnn.cpp: its dnn
// module). imgcodecs is never linked: it would pull GDAL and with it the system
// libsqlite3 into a process whose only SQLite must be SQLCipher, so images are decoded
// by our own decoders.

#include "detectors/image/vision.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace dockscan::detectors::image {
namespace {

// The analysis runs one image per core (agent::AnalysisPool); OpenCV's own thread pool
// on top of that only makes the workers contend: the face cascade of old took ~10 % more
// CPU per photo with it, and the networks of neural_dnn.cpp run on it too. Set once, when this
// file's code is loaded, before any call.
const bool k_opencv_on_calling_thread = [] {
    cv::setNumThreads(0);
    return true;
}();

// A view of our plane as an OpenCV matrix (no copy; valid while the plane lives).
cv::Mat view(const Plane& p) {
    return cv::Mat(p.height, p.width, CV_8UC1, const_cast<std::uint8_t*>(p.pixels.data()));
}

Plane to_plane(const cv::Mat& m) {
    Plane p;
    p.width = m.cols;
    p.height = m.rows;
    p.pixels.resize(static_cast<std::size_t>(m.cols) * static_cast<std::size_t>(m.rows));
    cv::Mat dst(m.rows, m.cols, CV_8UC1, p.pixels.data());
    m.copyTo(dst);
    return p;
}

Quad ordered(const std::vector<cv::Point>& pts) {
    // Top-left has the smallest x+y, bottom-right the largest; top-right the smallest
    // y-x, bottom-left the largest.
    Quad q;
    auto by = [&](auto key, bool largest) {
        const auto it = largest ? std::max_element(pts.begin(), pts.end(),
                                                   [&](auto a, auto b) { return key(a) < key(b); })
                                : std::min_element(pts.begin(), pts.end(),
                                                   [&](auto a, auto b) { return key(a) < key(b); });
        return PointF{static_cast<double>(it->x), static_cast<double>(it->y)};
    };
    q[0] = by([](const cv::Point& p) { return p.x + p.y; }, false);
    q[2] = by([](const cv::Point& p) { return p.x + p.y; }, true);
    q[1] = by([](const cv::Point& p) { return p.y - p.x; }, false);
    q[3] = by([](const cv::Point& p) { return p.y - p.x; }, true);
    return q;
}

// Whether `q` is the picture's own border: every corner near the frame's corner.
bool is_frame(const Quad& q, cv::Size frame) {
    const double w = frame.width - 1;
    const double h = frame.height - 1;
    const double near = 0.02 * std::hypot(w, h);
    const PointF corners[4] = {{0, 0}, {w, 0}, {w, h}, {0, h}};
    for (std::size_t i = 0; i < 4; ++i) {
        if (std::hypot(q[i].x - corners[i].x, q[i].y - corners[i].y) > near) {
            return false;
        }
    }
    return true;
}

// The largest convex quadrilateral outline of at least `min_area`. The frame itself is
// none: a bright picture (or a page filling it) outlines the whole image, and counting
// that as a page made its texture count as text lines on a page.
std::optional<Quad> best_quad(const std::vector<std::vector<cv::Point>>& contours, double min_area,
                              cv::Size frame) {
    double best = min_area;
    std::optional<Quad> out;
    for (const auto& c : contours) {
        const double area = cv::contourArea(c);
        if (area < best) {
            continue;
        }
        std::vector<cv::Point> approx;
        cv::approxPolyDP(c, approx, 0.02 * cv::arcLength(c, true), true);
        if (approx.size() == 4 && cv::isContourConvex(approx)) {
            const Quad quad = ordered(approx);
            if (is_frame(quad, frame)) {
                continue;
            }
            best = area;
            out = quad;
        }
    }
    return out;
}

} // namespace

Plane shrunk(const Plane& plane, int max_long_side) {
    const int long_side = std::max(plane.width, plane.height);
    if (long_side <= max_long_side || plane.empty()) {
        return plane;
    }
    const double f = static_cast<double>(max_long_side) / long_side;
    cv::Mat out;
    // INTER_AREA averages the pixels it drops, which keeps thin text strokes visible.
    cv::resize(view(plane), out,
               cv::Size(std::max(1, static_cast<int>(std::lround(plane.width * f))),
                        std::max(1, static_cast<int>(std::lround(plane.height * f)))),
               0, 0, cv::INTER_AREA);
    return to_plane(out);
}

Plane resized(const Plane& plane, int width, int height) {
    if (plane.empty() || width <= 0 || height <= 0) {
        return {};
    }
    cv::Mat out;
    const bool down = width <= plane.width && height <= plane.height;
    cv::resize(view(plane), out, cv::Size(width, height), 0, 0,
               down ? cv::INTER_AREA : cv::INTER_LINEAR);
    return to_plane(out);
}

Plane unreadable_preview(const Plane& plane, int detail_long_side, int long_side) {
    if (plane.empty()) {
        return {};
    }
    const double f = static_cast<double>(long_side) / std::max(plane.width, plane.height);
    const int w = std::max(1, static_cast<int>(std::lround(plane.width * f)));
    const int h = std::max(1, static_cast<int>(std::lround(plane.height * f)));
    const double d = static_cast<double>(detail_long_side) / std::max(plane.width, plane.height);
    cv::Mat detail;
    // Averaging down to a few dozen pixels is what removes the letters and the features
    // of a face; the enlargement and the blur only hide the blocks.
    cv::resize(view(plane), detail,
               cv::Size(std::max(1, static_cast<int>(std::lround(plane.width * d))),
                        std::max(1, static_cast<int>(std::lround(plane.height * d)))),
               0, 0, cv::INTER_AREA);
    cv::Mat out;
    cv::resize(detail, out, cv::Size(w, h), 0, 0, cv::INTER_LINEAR);
    cv::GaussianBlur(out, out, cv::Size(0, 0), static_cast<double>(long_side) / 48.0);
    return to_plane(out);
}

std::optional<Quad> find_page(const Plane& grey) {
    const cv::Mat src = view(grey);
    const double min_area = 0.15 * grey.width * grey.height;
    cv::Mat blurred;
    cv::GaussianBlur(src, blurred, cv::Size(5, 5), 0);
    std::vector<std::vector<cv::Point>> contours;

    // A page is brighter than the table under it: the largest bright region's outline.
    cv::Mat bright;
    cv::threshold(blurred, bright, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    cv::morphologyEx(bright, bright, cv::MORPH_CLOSE,
                     cv::getStructuringElement(cv::MORPH_RECT, cv::Size(15, 15)));
    cv::findContours(bright, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    if (auto quad = best_quad(contours, min_area, src.size())) {
        return quad;
    }
    // Otherwise its edges: a light page on a light table still has an outline.
    cv::Mat edges;
    cv::Canny(blurred, edges, 50, 150);
    cv::dilate(edges, edges, cv::Mat());
    contours.clear();
    cv::findContours(edges, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
    return best_quad(contours, min_area, src.size());
}

TextLines find_text_lines(const Plane& grey, const std::optional<Quad>& page) {
    const cv::Mat src = view(grey);
    // Dark strokes smaller than the kernel on a lighter ground: printed or written text.
    cv::Mat blackhat;
    cv::morphologyEx(src, blackhat, cv::MORPH_BLACKHAT,
                     cv::getStructuringElement(cv::MORPH_RECT, cv::Size(9, 9)));
    cv::Mat ink;
    cv::threshold(blackhat, ink, 40, 255, cv::THRESH_BINARY);
    if (page) {
        std::vector<cv::Point> poly;
        for (const PointF& p : *page) {
            poly.emplace_back(static_cast<int>(p.x), static_cast<int>(p.y));
        }
        cv::Mat mask = cv::Mat::zeros(src.size(), CV_8UC1);
        cv::fillConvexPoly(mask, poly, cv::Scalar(255));
        // Shrink the mask a little so that the page border itself is not ink.
        cv::erode(mask, mask, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(9, 9)));
        cv::bitwise_and(ink, mask, ink);
    }
    // Letters of one line merge into one long, flat blob.
    const int reach = std::max(9, std::max(grey.width, grey.height) / 60);
    cv::morphologyEx(ink, ink, cv::MORPH_CLOSE,
                     cv::getStructuringElement(cv::MORPH_RECT, cv::Size(reach, 3)));
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(ink, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    const int max_height = std::max(8, std::max(grey.width, grey.height) / 25);
    std::vector<int> lefts;
    for (const auto& c : contours) {
        const cv::Rect r = cv::boundingRect(c);
        if (r.width >= 4 * r.height && r.height >= 3 && r.height <= max_height &&
            r.width >= grey.width / 20) {
            lefts.push_back(r.x);
        }
    }
    TextLines found;
    found.lines = static_cast<int>(lefts.size());
    // The most line starts within one window of 1/40 of the width.
    std::sort(lefts.begin(), lefts.end());
    const int window = std::max(4, grey.width / 40);
    for (std::size_t first = 0, last = 0; last < lefts.size(); ++last) {
        while (lefts[last] - lefts[first] > window) {
            ++first;
        }
        found.aligned = std::max(found.aligned, static_cast<int>(last - first + 1));
    }
    return found;
}

double flat_share(const Plane& grey) {
    cv::Mat gx;
    cv::Mat gy;
    cv::Sobel(view(grey), gx, CV_16S, 1, 0);
    cv::Sobel(view(grey), gy, CV_16S, 0, 1);
    cv::Mat mag;
    cv::add(cv::abs(gx), cv::abs(gy), mag, cv::noArray(), CV_16S);
    const int flat = cv::countNonZero(mag < 3);
    return static_cast<double>(flat) / (static_cast<double>(grey.width) * grey.height);
}

Plane ink_on_white(const Plane& grey, int stroke_reach) {
    const cv::Mat src = view(grey);
    // The local background (a bubble's colour, the page's white) is the median of a
    // window wider than any stroke; ink is whatever differs from it, in either direction.
    cv::Mat background;
    cv::medianBlur(src, background, stroke_reach | 1);
    cv::Mat ink;
    cv::absdiff(src, background, ink);
    // Anti-aliased strokes keep only part of their contrast: stretch it back.
    ink.convertTo(ink, CV_8UC1, -2.0, 255.0);
    return to_plane(ink);
}

PointF Homography::apply(PointF p) const {
    const double w = m[6] * p.x + m[7] * p.y + m[8];
    if (std::abs(w) < 1e-12) {
        return p;
    }
    return {(m[0] * p.x + m[1] * p.y + m[2]) / w, (m[3] * p.x + m[4] * p.y + m[5]) / w};
}

Rectified rectify(const Plane& grey, const Quad& quad, int max_long_side) {
    auto dist = [](PointF a, PointF b) { return std::hypot(a.x - b.x, a.y - b.y); };
    double w = std::max(dist(quad[0], quad[1]), dist(quad[3], quad[2]));
    double h = std::max(dist(quad[0], quad[3]), dist(quad[1], quad[2]));
    const double f = std::min(1.0, max_long_side / std::max(w, h));
    w = std::max(16.0, w * f);
    h = std::max(16.0, h * f);
    std::vector<cv::Point2f> src;
    for (const PointF& p : quad) {
        src.emplace_back(static_cast<float>(p.x), static_cast<float>(p.y));
    }
    const std::vector<cv::Point2f> dst = {{0, 0},
                                          {static_cast<float>(w - 1), 0},
                                          {static_cast<float>(w - 1), static_cast<float>(h - 1)},
                                          {0, static_cast<float>(h - 1)}};
    const cv::Mat forward = cv::getPerspectiveTransform(src, dst);
    const cv::Mat back = cv::getPerspectiveTransform(dst, src);
    cv::Mat out;
    cv::warpPerspective(view(grey), out, forward,
                        cv::Size(static_cast<int>(w), static_cast<int>(h)), cv::INTER_LINEAR,
                        cv::BORDER_REPLICATE);
    Rectified r;
    r.page = to_plane(out);
    for (int i = 0; i < 9; ++i) {
        r.to_source.m[static_cast<std::size_t>(i)] = back.at<double>(i / 3, i % 3);
    }
    return r;
}

} // namespace dockscan::detectors::image
