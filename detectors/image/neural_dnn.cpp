// The one file that includes OpenCV's dnn module. dnn reads ONNX itself (its own copy
// of protobuf's parser); it does not bring imgcodecs or GDAL, so the system libsqlite3
// stays out of the process (tests/agent/image_cli_test.cpp checks with ldd).

#include "detectors/image/neural.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

namespace dockscan::detectors::image {
namespace {

// Boxes overlapping more than this are one face or one person (the higher score kept).
constexpr float k_nms_overlap = 0.3F;

Expected<cv::dnn::Net> read_model(const std::string& models_dir, const char* name) {
    const std::filesystem::path path = std::filesystem::path(models_dir) / name;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        return fail(ErrorCode::engine, "model " + path.string() +
                                           " is missing: scripts/install-deps installs it "
                                           "(or set [detectors] models)");
    }
    try {
        cv::dnn::Net net = cv::dnn::readNetFromONNX(path.string());
        if (net.empty()) {
            return fail(ErrorCode::engine, "model " + path.string() + " is empty");
        }
        net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        return net;
    } catch (const cv::Exception& e) {
        return fail(ErrorCode::engine, "cannot read model " + path.string() + ": " + e.what());
    }
}

cv::Mat view(const Plane& p) {
    return cv::Mat(p.height, p.width, CV_8UC1, const_cast<std::uint8_t*>(p.pixels.data()));
}

// The picture as 8-bit RGB of `size`: each plane resized straight to it (chroma planes
// may be smaller than luma), then converted. Grey pictures get neutral chroma.
cv::Mat rgb_at(const Decoded& picture, cv::Size size) {
    cv::Mat y;
    cv::resize(view(picture.luma), y, size, 0, 0, cv::INTER_AREA);
    cv::Mat cr(size, CV_8UC1, cv::Scalar(128));
    cv::Mat cb(size, CV_8UC1, cv::Scalar(128));
    if (!picture.cb.empty() && !picture.cr.empty()) {
        cv::resize(view(picture.cr), cr, size, 0, 0, cv::INTER_AREA);
        cv::resize(view(picture.cb), cb, size, 0, 0, cv::INTER_AREA);
    }
    cv::Mat ycrcb;
    cv::merge(std::vector<cv::Mat>{y, cr, cb}, ycrcb);
    cv::Mat rgb;
    cv::cvtColor(ycrcb, rgb, cv::COLOR_YCrCb2RGB);
    return rgb;
}

// The back face model's input: the long side at this, the short one to scale.
constexpr int k_shared_long_side = 256;

cv::Size scaled_to(const Plane& luma, int long_side) {
    const double f = static_cast<double>(long_side) / std::max(luma.width, luma.height);
    return cv::Size(std::max(1, static_cast<int>(std::lround(luma.width * f))),
                    std::max(1, static_cast<int>(std::lround(luma.height * f))));
}

std::vector<Detected> merged(const std::vector<cv::Rect2d>& boxes, const std::vector<float>& scores,
                             float min_score) {
    std::vector<int> keep;
    cv::dnn::NMSBoxes(boxes, scores, min_score, k_nms_overlap, keep);
    std::vector<Detected> out;
    for (const int i : keep) {
        const cv::Rect2d& r = boxes[static_cast<std::size_t>(i)];
        out.push_back(Detected{
            Box{static_cast<int>(std::lround(r.x)), static_cast<int>(std::lround(r.y)),
                static_cast<int>(std::lround(r.width)), static_cast<int>(std::lround(r.height))},
            scores[static_cast<std::size_t>(i)]});
    }
    return out;
}

float sigmoid(float x) {
    return 1.0F / (1.0F + std::exp(-std::clamp(x, -80.0F, 80.0F)));
}

// BlazeFace as MediaPipe describes it: a square NHWC input in [-1, 1] (256x256 for the
// back model, 128x128 for the front one); 896 anchors, 16x16 cells with 2 each and 8x8
// cells with 6 each, at the cells' centres; per anchor a score (logit) and 16 numbers:
// the box's centre offset and size in input pixels, then six key points (not used here).
struct AnchorLayer {
    const char* scores;
    const char* boxes;
    int cells;
    int anchors;
};
constexpr AnchorLayer k_face_layers[] = {{"Identity:0", "Identity_2:0", 16, 2},
                                         {"Identity_1:0", "Identity_3:0", 8, 6}};

// NanoDet's head as the TF.js graph has it: per stride (8, 16, 32) the class scores
// (sigmoid, 80 columns, `person` first) and 4 x 11 logits of the distances from the
// cell to the box's left, top, right and bottom, in strides (generalised focal loss:
// the distance is the softmax-weighted mean of 0..10).
constexpr int k_classes = 80;
constexpr int k_bins = 11;
constexpr int k_strides[] = {8, 16, 32};

} // namespace

struct NetPicture::Inputs {
    std::vector<std::pair<cv::Size, cv::Mat>> rgb;
};

NetPicture::NetPicture(const Decoded& picture)
    : m_picture(picture), m_inputs(std::make_unique<Inputs>()) {}
NetPicture::~NetPicture() = default;

namespace {

// The picture in RGB at `size`, made once. Inputs smaller than the back face model's are
// reduced from its input (a 128 px picture from the 256 px one costs a tenth of one from
// the decoded planes), larger ones are made from the planes.
cv::Mat rgb_input(const Decoded& picture, std::vector<std::pair<cv::Size, cv::Mat>>& made,
                  cv::Size size) {
    for (const auto& [at, rgb] : made) {
        if (at == size) {
            return rgb;
        }
    }
    cv::Mat rgb;
    const cv::Size shared = scaled_to(picture.luma, k_shared_long_side);
    if (std::max(size.width, size.height) < k_shared_long_side && size != shared) {
        cv::resize(rgb_input(picture, made, shared), rgb, size, 0, 0, cv::INTER_AREA);
    } else {
        rgb = rgb_at(picture, size);
    }
    made.emplace_back(size, rgb);
    return rgb;
}

} // namespace

struct FaceNet::Impl {
    cv::dnn::Net net;
    std::vector<cv::String> outputs;
    int input = 256; // the square input's side
};

FaceNet::FaceNet(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
FaceNet::~FaceNet() = default;

Expected<std::unique_ptr<FaceNet>> FaceNet::load(const std::string& models_dir, FaceModel model) {
    auto impl = std::make_unique<Impl>();
    const bool front = model == FaceModel::front_128;
    impl->input = front ? 128 : 256;
    DOCKSCAN_TRY_ASSIGN(impl->net,
                        read_model(models_dir, front ? k_face_glance_model : k_face_model));
    impl->outputs = impl->net.getUnconnectedOutLayersNames();
    for (const AnchorLayer& layer : k_face_layers) {
        for (const char* name : {layer.scores, layer.boxes}) {
            if (std::find(impl->outputs.begin(), impl->outputs.end(), name) ==
                impl->outputs.end()) {
                return fail(ErrorCode::engine,
                            std::string("face model has no output ") + name + ": wrong file?");
            }
        }
    }
    return std::unique_ptr<FaceNet>(new FaceNet(std::move(impl)));
}

std::vector<Detected> FaceNet::detect(const Decoded& picture, double min_score) {
    NetPicture input(picture);
    return detect(input, min_score);
}

std::vector<Detected> FaceNet::detect(NetPicture& net_picture, double min_score) {
    const Decoded& picture = net_picture.decoded();
    if (picture.luma.empty()) {
        return {};
    }
    // Square input without distortion: the picture in the top-left corner of a square
    // of its long side, the rest black (faces keep their shape).
    const int input_side = m_impl->input;
    const int side = std::max(picture.luma.width, picture.luma.height);
    const double f = static_cast<double>(input_side) / side;
    const cv::Size inner = scaled_to(picture.luma, input_side);
    cv::Mat square(input_side, input_side, CV_8UC3, cv::Scalar(0, 0, 0));
    rgb_input(picture, net_picture.m_inputs->rgb, inner)
        .copyTo(square(cv::Rect(cv::Point(0, 0), inner)));
    cv::Mat input;
    square.convertTo(input, CV_32FC3, 2.0 / 255.0, -1.0);
    const int dims[] = {1, input_side, input_side, 3};
    m_impl->net.setInput(cv::Mat(4, dims, CV_32F, input.data));
    std::vector<cv::Mat> out;
    m_impl->net.forward(out, m_impl->outputs);
    auto output = [&](const char* name) {
        const auto it = std::find(m_impl->outputs.begin(), m_impl->outputs.end(), name);
        return out[static_cast<std::size_t>(it - m_impl->outputs.begin())];
    };

    std::vector<cv::Rect2d> boxes;
    std::vector<float> scores;
    const double to_picture = 1.0 / f;
    for (const AnchorLayer& layer : k_face_layers) {
        const cv::Mat s = output(layer.scores);
        const cv::Mat b = output(layer.boxes);
        const auto* score = s.ptr<float>();
        const auto* box = b.ptr<float>();
        for (int cy = 0; cy < layer.cells; ++cy) {
            for (int cx = 0; cx < layer.cells; ++cx) {
                for (int a = 0; a < layer.anchors; ++a) {
                    const int i = (cy * layer.cells + cx) * layer.anchors + a;
                    const float p = sigmoid(score[i]);
                    if (p < min_score) {
                        continue;
                    }
                    const float* r = box + static_cast<std::ptrdiff_t>(i) * 16;
                    const double cell = static_cast<double>(input_side) / layer.cells;
                    const double x = (cx + 0.5) * cell + r[0];
                    const double y = (cy + 0.5) * cell + r[1];
                    boxes.emplace_back((x - r[2] / 2) * to_picture, (y - r[3] / 2) * to_picture,
                                       r[2] * to_picture, r[3] * to_picture);
                    scores.push_back(p);
                }
            }
        }
    }
    return merged(boxes, scores, static_cast<float>(min_score));
}

struct PersonNet::Impl {
    cv::dnn::Net net;
    std::vector<cv::String> outputs;
};

PersonNet::PersonNet(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
PersonNet::~PersonNet() = default;

Expected<std::unique_ptr<PersonNet>> PersonNet::load(const std::string& models_dir) {
    auto impl = std::make_unique<Impl>();
    DOCKSCAN_TRY_ASSIGN(impl->net, read_model(models_dir, k_person_model));
    impl->outputs = impl->net.getUnconnectedOutLayersNames();
    if (impl->outputs.size() != 2 * std::size(k_strides)) {
        return fail(ErrorCode::engine, "person model has " + std::to_string(impl->outputs.size()) +
                                           " outputs, not 6: wrong file?");
    }
    return std::unique_ptr<PersonNet>(new PersonNet(std::move(impl)));
}

std::vector<Detected> PersonNet::detect(const Decoded& picture, int input_long_side,
                                        double min_score) {
    NetPicture input(picture);
    return detect(input, input_long_side, min_score);
}

std::vector<Detected> PersonNet::detect(NetPicture& net_picture, int input_long_side,
                                        double min_score) {
    const Decoded& picture = net_picture.decoded();
    if (picture.luma.empty()) {
        return {};
    }
    // The input keeps the picture's shape to the nearest multiple of the largest stride.
    const int largest = k_strides[std::size(k_strides) - 1];
    const int long_side = std::max(largest, input_long_side / largest * largest);
    const bool wide = picture.luma.width >= picture.luma.height;
    const double aspect = wide ? static_cast<double>(picture.luma.height) / picture.luma.width
                               : static_cast<double>(picture.luma.width) / picture.luma.height;
    const int short_side =
        std::max(largest, static_cast<int>(std::lround(long_side * aspect / largest)) * largest);
    const int input_w = wide ? long_side : short_side;
    const int input_h = wide ? short_side : long_side;
    const cv::Mat rgb = rgb_input(picture, net_picture.m_inputs->rgb, cv::Size(input_w, input_h));
    m_impl->net.setInput(cv::dnn::blobFromImage(rgb, 1.0 / 255.0));
    std::vector<cv::Mat> out;
    m_impl->net.forward(out, m_impl->outputs);

    const double fx = static_cast<double>(picture.luma.width) / input_w;
    const double fy = static_cast<double>(picture.luma.height) / input_h;
    std::vector<cv::Rect2d> boxes;
    std::vector<float> scores;
    for (const int stride : k_strides) {
        const int cells_x = input_w / stride;
        const int cells = cells_x * (input_h / stride);
        // The outputs are told apart by their shape: [1, cells, 80] and [1, cells, 44].
        const cv::Mat* cls = nullptr;
        const cv::Mat* reg = nullptr;
        for (const cv::Mat& m : out) {
            if (m.dims == 3 && m.size[1] == cells) {
                (m.size[2] == k_classes ? cls : reg) = &m;
            }
        }
        if (cls == nullptr || reg == nullptr || reg->size[2] != 4 * k_bins) {
            continue;
        }
        for (int i = 0; i < cells; ++i) {
            const float p = cls->ptr<float>()[static_cast<std::ptrdiff_t>(i) * k_classes];
            if (p < min_score) {
                continue;
            }
            const float* logits = reg->ptr<float>() + static_cast<std::ptrdiff_t>(i) * 4 * k_bins;
            double distance[4];
            for (int side = 0; side < 4; ++side) {
                const float* l = logits + side * k_bins;
                const float top = *std::max_element(l, l + k_bins);
                double sum = 0;
                double mean = 0;
                for (int b = 0; b < k_bins; ++b) {
                    const double w = std::exp(l[b] - top);
                    sum += w;
                    mean += w * b;
                }
                distance[side] = mean / sum * stride;
            }
            const double cx = (i % cells_x) * stride;
            const double cy = (i / cells_x) * stride;
            const double x0 = std::max(0.0, cx - distance[0]);
            const double y0 = std::max(0.0, cy - distance[1]);
            const double x1 = std::min<double>(input_w, cx + distance[2]);
            const double y1 = std::min<double>(input_h, cy + distance[3]);
            boxes.emplace_back(x0 * fx, y0 * fy, (x1 - x0) * fx, (y1 - y0) * fy);
            scores.push_back(p);
        }
    }
    return merged(boxes, scores, static_cast<float>(min_score));
}

} // namespace dockscan::detectors::image
