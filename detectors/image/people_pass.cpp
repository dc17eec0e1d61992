// The people pass: faces and people in photos that are not pages.

#include "detectors/image/passes.hpp"

#include <algorithm>

namespace dockscan::detectors::image {
namespace {

// Faces are looked for in a plane of this size, smaller pictures enlarged to it (HEIC
// thumbnails, saved pictures): the cascade's window is 45 px, so faces from ~7 % of the
// long side up are found in any picture. The enlargement found +2 of 12 in the face set
// and hopper.jpg (128 px), with no false positive (tests/bench/README.md).
constexpr int k_face_long_side = 640;
// A face the phone's own analysis also saw is surer than one only the cascade saw.
constexpr double k_face_confirmed = 0.85;
constexpr double k_face = 0.6;
// People (HOG, 64x128 window) at this size: someone of a third of the frame's height.
constexpr int k_person_long_side = 400;
// The SVM's margin from which a window is a person, and the confidence it gives.
constexpr double k_person_threshold = 0.5;
constexpr double k_person_base = 0.5;
constexpr double k_person_per_score = 0.1;
constexpr double k_person_max = 0.8;
// Share of skin-coloured chroma pixels below which no person is looked for: the HOG
// detector costs about as much as the face cascade and finds people in texture now
// and then, so it runs only where some skin shows.
constexpr double k_person_min_skin = 0.02;

} // namespace

PeoplePass::PeoplePass(const ImageOptions& options)
    : m_face_cascade(options.face_cascade), m_people_wanted(options.people) {}
PeoplePass::~PeoplePass() = default;

Expected<std::vector<Signal>> PeoplePass::find(const Photo& photo, const ImageHints& hints,
                                               Page page, Screen screen, double skin) {
    std::vector<Signal> signals;
    const bool phone_saw_faces = hints.faces && *hints.faces > 0;
    // Faces are looked for in screenshots too: a video call or a saved profile picture
    // shows a person as much as a photo does. Not on a photographed page: it is a
    // finding already, and the face on a card or a letter is its holder's, not a photo
    // of a client (about 1/20 of a roll, each a cascade run saved).
    if (page == Page::no) {
        if (!m_faces) {
            DOCKSCAN_TRY_ASSIGN(m_faces, FaceDetector::load(m_face_cascade));
        }
        const Plane small = at_long_side(photo.cheap.luma, k_face_long_side);
        const Scale to_display{static_cast<double>(photo.header.display_width()) / small.width};
        for (const Box& b : m_faces->detect(small)) {
            signals.push_back(
                image_signal(Kind::face, phone_saw_faces ? k_face_confirmed : k_face,
                             to_display.box(b.x, b.y, b.x + b.width, b.y + b.height)));
        }
    }
    if (signals.empty() && phone_saw_faces) {
        // The phone's own face analysis saw someone our cascade missed (profile, small).
        signals.push_back(image_signal(Kind::face, k_face, photo.whole()));
    }
    if (!signals.empty() || m_people_wanted == People::disabled || page == Page::yes ||
        screen == Screen::yes || skin < k_person_min_skin) {
        return signals;
    }
    // People seen from the side or behind, or too small for the face cascade.
    if (!m_people) {
        m_people = std::make_unique<PersonDetector>();
    }
    const Plane& cheap = photo.cheap.luma;
    Plane person_storage;
    const bool fits = std::max(cheap.width, cheap.height) <= k_person_long_side;
    if (!fits) {
        person_storage = shrunk(cheap, k_person_long_side);
    }
    const Plane& plane = fits ? cheap : person_storage;
    const Scale to_display{static_cast<double>(photo.header.display_width()) / plane.width};
    for (const PersonDetector::Found& p : m_people->detect(plane)) {
        if (p.score < k_person_threshold) {
            continue;
        }
        signals.push_back(image_signal(
            Kind::person, std::min(k_person_max, k_person_base + k_person_per_score * p.score),
            to_display.box(p.box.x, p.box.y, p.box.x + p.box.width, p.box.y + p.box.height)));
    }
    return signals;
}

} // namespace dockscan::detectors::image
