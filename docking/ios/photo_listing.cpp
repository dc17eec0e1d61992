// The camera roll of an iOS backup: every image below CameraRollDomain Media/DCIM,
// with what the phone's photo library says about it.
//
// Refs are the relative path ("Media/DCIM/100APPLE/IMG_0001.HEIC", escaped as
// ref_path.hpp says); labels drop "Media/" ("Bild DCIM/100APPLE/IMG_0001.HEIC").
// Size and time come from the file's record in Manifest.db, or else from the stored file.

#include "docking/ios/backup_listing.hpp"
#include "docking/ios/photo_library.hpp"

#include <optional>

namespace dockscan::docking::ios {
namespace {

constexpr std::string_view k_camera_roll = "CameraRollDomain";
constexpr std::string_view k_dcim = "Media/DCIM/";
constexpr std::string_view k_media = "Media/";
constexpr std::string_view k_photos_db = "Media/PhotoData/Photos.sqlite";

// The library's hints, or nothing when the backup has no library or it cannot be read
// (a problem then: the photos are listed all the same).
std::optional<std::map<std::string, PhotoHints>> library_hints(ListContext& context) {
    const auto problem = [&](const Error& error) {
        context.problem(std::string(k_photos_db), error);
        return std::nullopt;
    };
    auto found = context.files.find(k_camera_roll, k_photos_db);
    if (!found) {
        return problem(found.error());
    }
    if (!*found) {
        return std::nullopt;
    }
    auto library = context.files.open_database(**found);
    if (!library) {
        return problem(library.error());
    }
    auto hints = read_photo_hints(library->db, context.limits.max_items);
    if (!hints) {
        return problem(hints.error());
    }
    return std::move(*hints);
}

} // namespace

Expected<void> list_camera_roll(ListContext& context) {
    const auto hints = library_hints(context);
    return context.files.each_file(k_camera_roll, k_dcim, [&](BackupFile file) -> Expected<void> {
        DOCKSCAN_TRY(context.check_stop());
        if (!is_image_name(file.relative_path)) {
            return {};
        }
        auto ref = phone_path_ref(file.relative_path);
        if (!ref) {
            context.problem("Media/DCIM", ref.error());
            return {};
        }
        auto stat = context.files.stat(file);
        if (!stat) {
            context.problem(*ref, stat.error());
            return {};
        }
        ItemInfo info{ItemType::photo, *ref, file.meta.size.value_or(stat->size),
                      file.meta.mtime.value_or(stat->mtime), "Bild " + ref->substr(k_media.size())};
        if (hints) {
            const auto it = hints->find(file.relative_path.substr(k_media.size()));
            if (it != hints->end()) {
                info.photo_hints = it->second;
            }
        }
        context.catalog.files.insert_or_assign(*ref, std::move(file));
        return context.emit(info);
    });
}

} // namespace dockscan::docking::ios
