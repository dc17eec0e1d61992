#include "docking/ios/backup_info.hpp"

#include "base/text.hpp"
#include "docking/ios/plist.hpp"

namespace dockscan::docking::ios {
namespace {

// A text field for SourceInfo; names typed on the phone may hold anything.
std::string text_field(const PlistValue& dict, std::string_view key) {
    const PlistValue* value = dict.find(key);
    const auto s = value == nullptr ? std::nullopt : value->as_string();
    return s ? base::to_valid_utf8(*s) : std::string();
}

Expected<PlistValue> parse_dict(std::string_view bytes, std::string_view name) {
    auto root = parse_plist(bytes);
    if (!root) {
        return fail(root.error().code, std::string(name) + ": " + root.error().message);
    }
    if (root->kind != PlistValue::Kind::dict) {
        return fail(ErrorCode::malformed, std::string(name) + ": not a dictionary");
    }
    return root;
}

} // namespace

void DeviceIdentity::complete_from(const DeviceIdentity& other) {
    const auto fill = [](std::string& mine, const std::string& theirs) {
        if (mine.empty()) {
            mine = theirs;
        }
    };
    fill(udid, other.udid);
    fill(serial, other.serial);
    fill(name, other.name);
    fill(product_type, other.product_type);
    fill(product_version, other.product_version);
}

Expected<DeviceIdentity> parse_info_plist(std::string_view bytes) {
    DOCKSCAN_TRY_ASSIGN(const PlistValue root, parse_dict(bytes, "Info.plist"));
    DeviceIdentity identity;
    identity.udid = text_field(root, "Unique Identifier");
    if (identity.udid.empty()) {
        identity.udid = text_field(root, "Target Identifier");
    }
    identity.serial = text_field(root, "Serial Number");
    identity.name = text_field(root, "Device Name");
    identity.product_type = text_field(root, "Product Type");
    identity.product_version = text_field(root, "Product Version");
    return identity;
}

Expected<BackupManifest> parse_manifest_plist(std::string_view bytes) {
    DOCKSCAN_TRY_ASSIGN(const PlistValue root, parse_dict(bytes, "Manifest.plist"));
    BackupManifest manifest;
    if (const PlistValue* encrypted = root.find("IsEncrypted")) {
        // Seen as a boolean; tolerate the integer some tools write.
        manifest.encrypted =
            encrypted->as_boolean().value_or(encrypted->as_integer().value_or(0) != 0);
    }
    if (const PlistValue* keybag = root.find("BackupKeyBag")) {
        manifest.keybag = keybag->as_data().value_or("");
    }
    if (const PlistValue* key = root.find("ManifestKey")) {
        manifest.manifest_key = key->as_data().value_or("");
    }
    if (manifest.encrypted && manifest.keybag.empty()) {
        return fail(ErrorCode::malformed, "Manifest.plist: encrypted backup without BackupKeyBag");
    }
    if (const PlistValue* lockdown = root.find("Lockdown")) {
        manifest.lockdown.udid = text_field(*lockdown, "UniqueDeviceID");
        manifest.lockdown.serial = text_field(*lockdown, "SerialNumber");
        manifest.lockdown.name = text_field(*lockdown, "DeviceName");
        manifest.lockdown.product_type = text_field(*lockdown, "ProductType");
        manifest.lockdown.product_version = text_field(*lockdown, "ProductVersion");
    }
    return manifest;
}

Expected<std::optional<std::string>> parse_status_plist(std::string_view bytes) {
    DOCKSCAN_TRY_ASSIGN(const PlistValue root, parse_dict(bytes, "Status.plist"));
    const PlistValue* state = root.find("SnapshotState");
    return state == nullptr ? std::nullopt : state->as_string();
}

} // namespace dockscan::docking::ios
