// The people pass: faces and people in photos that are not pages, as one signal per
// photo (a face, a person, or a group), whatever number of people it shows.

#include "detectors/image/neural.hpp"
#include "detectors/image/passes.hpp"

#include <algorithm>
#include <iterator>

namespace dockscan::detectors::image {
namespace {

// BlazeFace scores from which a face counts. Below 0.7 it answered a cat's face
// (scikit-image's chelsea.png, 0.69) and a coffee cup (0.59); 0.75 is also the default
// of the npm package's own detector.
constexpr double k_face_min_score = 0.75;
// NanoDet, in two looks. First at 256 px on the long side (256x192 for a 4:3 photo, about
// a third of the cost of its native 416x416): a person counts from a score of 0.55.
// Where that look saw someone only faintly (a best score from 0.2), a second look at
// 416 px counts a person from 0.4: a torso without a head, arms, a person cut by the
// frame score higher at the larger size. Measured on the tuning part of the people
// benchmark (tests/bench/README.md, 60 photos of people and 81 without; "found / false"):
// one look at 0.5 (the setting before): 48 / 2; two looks at 0.5 and 0.5: 50 / 2; at
// 0.55 and 0.5: 49 / 1 (the macaque at 0.52 is gone); 0.55 and 0.45: 53 / 1; 0.55 and
// 0.4: 54 / 1; 0.55 and 0.35: 54 / 1; 0.55 and 0.3: 55 / 3 (a pet and an object);
// second look at 512 px and 0.45: 50 / 1; from a first-look score of 0.1: a third
// false; from 0.3: 52 / 1. The first look alone, measured before on the first 46 / 36
// of the set: 224 px 38 / 1, 320 px 38 / 1, 384 px 39 / 1, 0.4 40 / 4.
constexpr double k_person_min_score = 0.55;
constexpr int k_person_input = 256;
constexpr double k_person_maybe = 0.2;
constexpr int k_person_second_input = 416;
constexpr double k_person_second_min_score = 0.4;
// What the phone's own face analysis (iOS Photos) adds: a face it also saw is surer;
// one only it saw (profile, small) is a finding of the whole picture.
constexpr double k_face_confirmed = 0.85;
constexpr double k_phone_only = 0.6;

Box scaled(const Scale& s, const Box& b) {
    return s.box(b.x, b.y, b.x + b.width, b.y + b.height);
}

Box joined(const Box& a, const Box& b) {
    const int x0 = std::min(a.x, b.x);
    const int y0 = std::min(a.y, b.y);
    const int x1 = std::max(a.x + a.width, b.x + b.width);
    const int y1 = std::max(a.y + a.height, b.y + b.height);
    return Box{x0, y0, x1 - x0, y1 - y0};
}

std::vector<Detected> find_people(PersonNet& net, const Decoded& picture) {
    const std::vector<Detected> seen = net.detect(picture, k_person_input, k_person_maybe);
    std::vector<Detected> people;
    std::copy_if(seen.begin(), seen.end(), std::back_inserter(people),
                 [](const Detected& d) { return d.score >= k_person_min_score; });
    if (!people.empty() || seen.empty()) {
        return people;
    }
    return net.detect(picture, k_person_second_input, k_person_second_min_score);
}

} // namespace

PeoplePass::PeoplePass(const ImageOptions& options) : m_models(options.models) {}
PeoplePass::~PeoplePass() = default;

Expected<void> PeoplePass::load() {
    if (!m_faces) {
        DOCKSCAN_TRY_ASSIGN(m_faces, FaceNet::load(m_models));
    }
    if (!m_people) {
        DOCKSCAN_TRY_ASSIGN(m_people, PersonNet::load(m_models));
    }
    return {};
}

Expected<std::optional<Signal>> PeoplePass::find(const Photo& photo, const ImageHints& hints,
                                                 Page page, Screen screen) {
    const bool phone_saw_faces = hints.faces && *hints.faces > 0;
    std::vector<Detected> faces;
    std::vector<Detected> people;
    // Not on a photographed page: it is a finding already, and the face on a card or a
    // letter is its holder's, not a photo of a client (about 1/20 of a roll).
    if (page == Page::no) {
        DOCKSCAN_TRY(load());
        // Faces in screenshots too: a video call or a saved profile picture shows a
        // person as much as a photo does.
        faces = m_faces->detect(photo.cheap, k_face_min_score);
        // The person model (the costlier one) only on camera pictures with at most one
        // face: without a face it finds people seen from the side, from behind or at a
        // distance; beside one face it tells a group from a portrait. Two faces are a
        // group already.
        if (faces.size() <= 1 && screen == Screen::no) {
            people = find_people(*m_people, photo.cheap);
        }
    }
    const Scale to_display{1.0 / photo.cheap.scale()};
    if (faces.empty() && people.empty()) {
        if (phone_saw_faces) {
            return image_signal(Kind::face, k_phone_only, photo.whole());
        }
        return std::nullopt;
    }
    // One finding for the photo: a face (and no one else), a person, or a group of two or
    // more (more faces, or more people than faces), around all of them.
    const std::size_t count = std::max(faces.size(), people.size());
    Box box = faces.empty() ? people.front().box : faces.front().box;
    double confidence = 0;
    for (const std::vector<Detected>* seen : {&faces, &people}) {
        for (const Detected& d : *seen) {
            box = joined(box, d.box);
            confidence = std::max(confidence, d.score);
        }
    }
    if (phone_saw_faces && !faces.empty()) {
        confidence = std::max(confidence, k_face_confirmed);
    }
    if (count == 1 && !faces.empty()) {
        // A portrait: the face's own box says where the client is.
        return image_signal(Kind::face, confidence, scaled(to_display, faces.front().box));
    }
    const Kind kind = count >= 2 ? Kind::group : Kind::person;
    return image_signal(kind, confidence, scaled(to_display, box));
}

} // namespace dockscan::detectors::image
