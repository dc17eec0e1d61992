// libFuzzer target: SMS Backup & Restore exports (sms-*.xml), as the folder source and
// the export source parse them.

#include "docking/sms_export.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

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

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string buffer(reinterpret_cast<const char*>(data), size);
    CountingSink sink;
    (void)dockscan::docking::parse_sms_export(buffer, sink);
    return 0;
}
