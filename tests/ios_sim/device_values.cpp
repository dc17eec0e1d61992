#include "tests/ios_sim/device_values.hpp"

#include "tests/ios_sim/sim_state.hpp"

#include <array>

namespace dockscan::testing::ios_sim {
namespace {

// iOS build numbers for the versions tests use; others get a plausible one.
std::string build_version(const std::string& product_version) {
    if (product_version == "17.5") {
        return "21F79";
    }
    if (product_version == "16.7") {
        return "20H19";
    }
    return "21A329";
}

// What an unpaired host may read (the rest needs a session), as on a real phone.
constexpr std::array k_public_keys = {
    "BuildVersion", "DeviceClass",         "DeviceName",        "DevicePublicKey", "HardwareModel",
    "ProductName",  "ProductType",         "ProductVersion",    "ProtocolVersion", "UniqueDeviceID",
    "WiFiAddress",  "TelephonyCapability", "PasswordProtected",
};

Plist global_values(const SimState& state) {
    const SimOptions& o = state.options();
    Plist values = new_dict();
    dict_set(values, "ActivationState", new_string("Activated"));
    dict_set(values, "ActivationStateAcknowledged", new_bool(true));
    dict_set(values, "BasebandVersion", new_string("2.60.02"));
    dict_set(values, "BluetoothAddress", new_string("a4:c3:f0:11:22:34"));
    dict_set(values, "BoardId", new_uint(14));
    dict_set(values, "BuildVersion", new_string(build_version(o.product_version)));
    dict_set(values, "CPUArchitecture", new_string("arm64e"));
    dict_set(values, "ChipID", new_uint(33056));
    dict_set(values, "DeviceClass", new_string("iPhone"));
    dict_set(values, "DeviceColor", new_string("1"));
    dict_set(values, "DeviceName", new_string(o.name));
    dict_set(values, "DevicePublicKey", new_data(state.key().public_key_pem()));
    dict_set(values, "FirmwareVersion", new_string("iBoot-10151.120.3"));
    dict_set(values, "HardwareModel", new_string("D37AP"));
    dict_set(values, "HardwarePlatform", new_string("t8120"));
    dict_set(values, "HostAttached", new_bool(true));
    dict_set(values, "InternationalMobileEquipmentIdentity", new_string("356789112345672"));
    dict_set(values, "ModelNumber", new_string("MTP03"));
    dict_set(values, "PasswordProtected", new_bool(true));
    dict_set(values, "ProductName", new_string("iPhone OS"));
    dict_set(values, "ProductType", new_string(o.product_type));
    dict_set(values, "ProductVersion", new_string(o.product_version));
    dict_set(values, "ProtocolVersion", new_string("2"));
    dict_set(values, "RegionInfo", new_string("KN/A"));
    dict_set(values, "SerialNumber", new_string(o.serial));
    dict_set(values, "TelephonyCapability", new_bool(true));
    dict_set(values, "TimeZone", new_string("Europe/Stockholm"));
    dict_set(values, "UniqueChipID", new_uint(7340573476495482ULL));
    dict_set(values, "UniqueDeviceID", new_string(o.udid));
    dict_set(values, "WiFiAddress", new_string("a4:c3:f0:11:22:33"));
    return values;
}

} // namespace

Plist domain_values(const SimState& state, const std::string& domain, Session session) {
    if (domain.empty()) {
        Plist all = global_values(state);
        if (session == Session::active) {
            return all;
        }
        Plist open = new_dict();
        for (const char* key : k_public_keys) {
            if (void* value = dict_get(all.get(), key)) {
                dict_set(open, key, copy(value));
            }
        }
        return open;
    }
    Plist values = new_dict();
    if (session != Session::active) {
        return values;
    }
    if (domain == "com.apple.disk_usage") {
        dict_set(values, "TotalDiskCapacity", new_uint(128ULL * 1000 * 1000 * 1000));
        dict_set(values, "TotalDataCapacity", new_uint(110ULL * 1000 * 1000 * 1000));
        dict_set(values, "TotalDataAvailable", new_uint(52ULL * 1000 * 1000 * 1000));
        dict_set(values, "AmountDataAvailable", new_uint(52ULL * 1000 * 1000 * 1000));
    } else if (domain == "com.apple.mobile.battery") {
        dict_set(values, "BatteryCurrentCapacity", new_uint(81));
        dict_set(values, "BatteryIsCharging", new_bool(true));
        dict_set(values, "ExternalConnected", new_bool(true));
    } else if (domain == "com.apple.mobile.backup") {
        // Backup encryption is off on the simulated phone.
        dict_set(values, "WillEncrypt", new_bool(false));
    } else if (domain == "com.apple.mobile.data_sync") {
        dict_set(values, "SyncSupported", new_bool(true));
    }
    return values;
}

} // namespace dockscan::testing::ios_sim
