// libFuzzer target: SMS Backup & Restore exports (sms-*.xml), as the folder source and
// the export source parse them.

#include "docking/sms_export.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

class CountingSink final : public dockscan::docking::SmsExportSink {
public:
    dockscan::docking::Expected<void> item(const dockscan::docking::SmsItem& item) override {
        // Every listed item has a ref and a label that names no full number.
        if (item.key.empty() || item.key.size() > 256 || item.label.empty()) {
            __builtin_trap();
        }
        if (item.type == dockscan::docking::ItemType::attachment && !item.data.empty()) {
            (void)dockscan::docking::decode_base64(item.data);
        }
        return {};
    }
    void problem(const std::string&, dockscan::docking::ErrorCode, std::string) override {}
};

// Keeps the keys, to compare a whole read with a read in chunks.
class KeySink final : public dockscan::docking::SmsExportSink {
public:
    dockscan::docking::Expected<void> item(const dockscan::docking::SmsItem& item) override {
        keys.push_back(item.key + " " + std::to_string(item.data_offset));
        return {};
    }
    void problem(const std::string&, dockscan::docking::ErrorCode, std::string) override {}
    std::vector<std::string> keys;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string buffer(reinterpret_cast<const char*>(data), size);
    CountingSink sink;
    (void)dockscan::docking::parse_sms_export(buffer, sink);
    // The streaming reader may not depend on where a chunk ends.
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    KeySink whole;
    std::string copy(input);
    (void)dockscan::docking::parse_sms_export(copy, whole);
    KeySink chunked;
    dockscan::docking::SmsExportReader reader(chunked);
    const std::size_t chunk = 1 + size % 61;
    for (std::size_t at = 0; at < size; at += chunk) {
        if (!reader.feed(input.substr(at, chunk))) {
            break;
        }
    }
    (void)reader.finish();
    if (chunked.keys.size() > whole.keys.size()) {
        __builtin_trap();
    }
    for (std::size_t i = 0; i < chunked.keys.size(); ++i) {
        if (chunked.keys[i] != whole.keys[i]) {
            __builtin_trap();
        }
    }
    return 0;
}
