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
inline constexpr const char* k_face_glance_model = "blazeface-front-128.onnx";
inline constexpr const char* k_person_model = "nanodet-person.onnx";

class FaceNet;
class PersonNet;

// One picture as the networks take it. Their inputs (the picture resized, in RGB) are
// made once per size and shared: for a 4:3 photo the back face model and the person
// model take the same 256x192 picture, and the front face model a 128x96 reduction of
// it. Lives while the picture does.
class NetPicture {
public:
    explicit NetPicture(const Decoded& picture);
    ~NetPicture();
    NetPicture(const NetPicture&) = delete;
    NetPicture& operator=(const NetPicture&) = delete;

    [[nodiscard]] const Decoded& decoded() const { return m_picture; }

private:
    friend class FaceNet;
    friend class PersonNet;
    struct Inputs;
    const Decoded& m_picture;
    std::unique_ptr<Inputs> m_inputs;
};

// Which of MediaPipe's two BlazeFace models: the "back camera" one (256x256: faces from
// ~1/20 of the picture, also turned heads), or the "front camera" one (128x128, a fifth
// of the cost: faces that fill much of the picture, as in a selfie).
enum class FaceModel { back_256, front_128 };

// MediaPipe's BlazeFace. Not thread-safe: one per worker.
class FaceNet {
public:
    // An error naming the file and how to install it when it is missing or unreadable.
    [[nodiscard]] static Expected<std::unique_ptr<FaceNet>>
    load(const std::string& models_dir, FaceModel model = FaceModel::back_256);
    ~FaceNet();
    FaceNet(const FaceNet&) = delete;
    FaceNet& operator=(const FaceNet&) = delete;

    // Faces scoring at least `min_score` in `picture`, overlaps merged.
    [[nodiscard]] std::vector<Detected> detect(NetPicture& picture, double min_score);
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
    [[nodiscard]] std::vector<Detected> detect(NetPicture& picture, int input_long_side,
                                               double min_score);
    [[nodiscard]] std::vector<Detected> detect(const Decoded& picture, int input_long_side,
                                               double min_score);

private:
    struct Impl;
    explicit PersonNet(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace dockscan::detectors::image
