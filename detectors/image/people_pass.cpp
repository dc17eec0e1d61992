// The people pass: faces and people in photos that are not pages, as one signal per
// photo (a face, a person, or a group), whatever number of people it shows.

#include "detectors/image/neural.hpp"
#include "detectors/image/passes.hpp"

#include <algorithm>
#include <iterator>
#include <optional>

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
// The back-camera BlazeFace (12 ms a photo) runs on a camera picture only where a cheaper
// look says a face may be there: the front-camera BlazeFace (128x128, 2.5 ms) scores a
// face from 0.3, or NanoDet's first look, which the pass needs anyway, scores a person
// from 0.15. Elsewhere no face is looked for. The front model alone misses small faces
// and NanoDet alone close-up faces (dlib's face crops score as a person from 0.06), so
// both are asked. Chosen on the tuning part of the people benchmark, dlib's 55 face
// crops and scikit-image's photos (tests/bench/README.md, "Fewer runs of the face
// model"): no photo lost a face; the nearest were a wound photo with a face in it
// (person 0.12, front 0.50) and a crop (person 0.10, front 0.78). The back model is
// spared on 46 of the 81 tuning photos without people, on 44 of the 60 of
// dockscan-bench-images' roll, and on none of the crops or photos of people.
constexpr double k_face_glance_min_score = 0.3;
constexpr double k_person_glance_min_score = 0.15;
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

// NanoDet's first look: everything that scores from the lower of the two thresholds that
// read it (a score's box is kept or merged as before: only boxes with lower scores join).
std::vector<Detected> first_look(PersonNet& net, NetPicture& picture) {
    return net.detect(picture, k_person_input, std::min(k_person_maybe, k_person_glance_min_score));
}

bool any_from(const std::vector<Detected>& seen, double min_score) {
    return std::any_of(seen.begin(), seen.end(),
                       [&](const Detected& d) { return d.score >= min_score; });
}

std::vector<Detected> find_people(PersonNet& net, NetPicture& picture,
                                  const std::vector<Detected>& first) {
    std::vector<Detected> people;
    std::copy_if(first.begin(), first.end(), std::back_inserter(people),
                 [](const Detected& d) { return d.score >= k_person_min_score; });
    if (!people.empty() || !any_from(first, k_person_maybe)) {
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
    if (!m_face_glance) {
        DOCKSCAN_TRY_ASSIGN(m_face_glance, FaceNet::load(m_models, FaceModel::front_128));
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
        if (screen == Screen::yes) {
            // Faces in screenshots too: a video call or a saved profile picture shows a
            // person as much as a photo does. The person model is for camera pictures.
            faces = m_faces->detect(photo.cheap, k_face_min_score);
        } else {
            // The back-camera face model only where a cheaper look may see a face (the
            // constants say what was measured).
            NetPicture picture(photo.cheap);
            std::optional<std::vector<Detected>> first;
            bool maybe_face = !m_face_glance->detect(picture, k_face_glance_min_score).empty();
            if (!maybe_face) {
                first = first_look(*m_people, picture);
                maybe_face = any_from(*first, k_person_glance_min_score);
            }
            if (maybe_face) {
                faces = m_faces->detect(picture, k_face_min_score);
            }
            // The person model's answer counts on pictures with at most one face: without
            // a face it finds people seen from the side, from behind or at a distance;
            // beside one face it tells a group from a portrait. Two faces are a group
            // already.
            if (faces.size() <= 1) {
                if (!first) {
                    first = first_look(*m_people, picture);
                }
                people = find_people(*m_people, picture, *first);
            }
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
