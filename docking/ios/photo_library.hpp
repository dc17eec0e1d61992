#pragma once

// What iOS's own photo library (CameraRollDomain Media/PhotoData/Photos.sqlite) says
// about each photo in DCIM: its screenshot flag and how many faces its analysis found.
//
// Schemas by iOS version: assets are rows of ZASSET (iOS 14+) or ZGENERICASSET
// (iOS 11-13), located by ZDIRECTORY ("DCIM/100APPLE") and ZFILENAME; a screenshot
// has ZISDETECTEDSCREENSHOT = 1 (newer iOS) or ZKINDSUBTYPE = 10; each face is a row
// of ZDETECTEDFACE pointing at its asset through ZASSETFORFACE (iOS 17+) or ZASSET.
// A column or table the version lacks leaves that hint empty.

#include "base/sqlite.hpp"
#include "docking/error.hpp"
#include "docking/phone_source.hpp"

#include <map>
#include <string>

namespace dockscan::docking::ios {

// Hints by the asset's path below Media/ ("DCIM/100APPLE/IMG_0001.HEIC"). At most
// `max_assets` assets; too_large beyond.
[[nodiscard]] Expected<std::map<std::string, PhotoHints>>
read_photo_hints(base::sqlite::Database& db, std::size_t max_assets);

} // namespace dockscan::docking::ios
