// libFuzzer target: the property lists of an iOS backup folder (Info.plist,
// Manifest.plist with its keybag, Status.plist) and the NSKeyedArchiver MBFile records
// of Manifest.db, XML or binary. Every input goes to every reader, as a hostile backup
// may put any plist under any name.

#include "base/text.hpp"
#include "docking/ios/backup_info.hpp"
#include "docking/ios/keybag.hpp"
#include "docking/ios/mbfile.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using namespace dockscan::docking::ios;

// Names typed on the phone reach the store and the terminal: they must be valid UTF-8
// whatever the plist held.
void check_text(const std::string& text) {
    if (dockscan::base::to_valid_utf8(text) != text) {
        __builtin_trap();
    }
}

void check_identity(const DeviceIdentity& identity) {
    check_text(identity.udid);
    check_text(identity.serial);
    check_text(identity.name);
    check_text(identity.product_type);
    check_text(identity.product_version);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    if (auto info = parse_info_plist(bytes)) {
        check_identity(*info);
    }
    if (auto manifest = parse_manifest_plist(bytes)) {
        check_identity(manifest->lockdown);
        if (manifest->encrypted && manifest->keybag.empty()) {
            __builtin_trap(); // an encrypted backup is refused without its keybag
        }
        if (!manifest->keybag.empty()) {
            (void)parse_keybag(manifest->keybag);
        }
    }
    (void)parse_status_plist(bytes);
    (void)parse_mbfile(bytes);
    // The keybag's own record format (tag, length, value), fed directly as well.
    (void)parse_keybag(bytes);
    return 0;
}
