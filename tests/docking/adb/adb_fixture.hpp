#pragma once

// A phone's storage and telephony backup for the ADB tests.

#include "tests/docking/android/ab_writer.hpp"
#include "tests/docking/android/telephony_fixture.hpp"
#include "tests/support/patterned_bytes.hpp"

#include <filesystem>
#include <string>

namespace dockscan::testing {

// An `adb backup` of the telephony provider with one SMS that holds a Skatteverket
// test number.
inline void write_telephony_backup(const std::filesystem::path& path) {
    AbWriter w(path, AbOptions{});
    w.add_file("apps/com.android.providers.telephony/_manifest",
               "1\n30\ncom.android.providers.telephony\n");
    w.add_file(std::string(k_telephony_dir) + "000000_sms_backup",
               sms_backup_file({{"+46701740605", "Hej, pnr 450411-8359 till journalen",
                                 1'795'179'720'000, 1}}));
    w.finish();
}

} // namespace dockscan::testing
