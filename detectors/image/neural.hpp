#pragma once

// Faces and people found by neural networks, run by OpenCV's dnn module behind our own
// types. The models are files from npm packages that scripts/install-deps installs
// (detectors/image/models/README.md); nothing is downloaded at run time.

#include "detectors/image/image.hpp"
#include "detectors/signal.hpp"

#include <memory>
#include <string>
#include <vector>

namespace dockscan::detectors::image {

// One detection, in the coordinates of the picture given (its luma plane).
struct Detected {
    Box box;
    double score; // the network's own, 0..1
};

// The model files, by name, in the models folder.
inline constexpr const char* k_face_model = "blazeface-back-256.onnx";
inline constexpr const char* k_person_model = "nanodet-person.onnx";

// MediaPipe's BlazeFace, the "back camera" model (256x256: faces from ~1/20 of the
// picture, also turned heads). Not thread-safe: one per worker.
class FaceNet {
public:
    // An error naming the file and how to install it when it is missing or unreadable.
    [[nodiscard]] static Expected<std::unique_ptr<FaceNet>> load(const std::string& models_dir);
    ~FaceNet();
    FaceNet(const FaceNet&) = delete;
    FaceNet& operator=(const FaceNet&) = delete;

    // Faces scoring at least `min_score` in `picture`, overlaps merged.
    [[nodiscard]] std::vector<Detected> detect(const Decoded& picture, double min_score);

private:
    struct Impl;
    explicit FaceNet(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// NanoDet (COCO's 80 classes; only `person` is read): people whole or in part, from
// any side. Not thread-safe: one per worker.
class PersonNet {
public:
    [[nodiscard]] static Expected<std::unique_ptr<PersonNet>> load(const std::string& models_dir);
    ~PersonNet();
    PersonNet(const PersonNet&) = delete;
    PersonNet& operator=(const PersonNet&) = delete;

    // People scoring at least `min_score`, the picture resized to `input_long_side` on
    // its long side (both sides rounded to multiples of 32), overlaps merged.
    [[nodiscard]] std::vector<Detected> detect(const Decoded& picture, int input_long_side,
                                               double min_score);

private:
    struct Impl;
    explicit PersonNet(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace dockscan::detectors::image
