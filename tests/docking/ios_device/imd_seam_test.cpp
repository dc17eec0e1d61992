// The translation of libimobiledevice's errors. The codes are the numeric values of
// libimobiledevice 1.3.0's enums (lockdown.h, afc.h, mobilebackup2.h,
// libimobiledevice.h), written out so that only imd_seam.cpp includes its headers.

#include "docking/ios_device/imd_seam.hpp"

#include <catch2/catch.hpp>
#include <string>

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using dockscan::docking::ErrorCode;
using namespace dockscan::docking::ios_device;

TEST_CASE("lockdownd's answers become reasons a person can act on", "[ios_device]") {
    struct Case {
        int code;
        ErrorCode expected;
        std::string says;
    };
    const Case c = GENERATE(values<Case>({
        {-18, ErrorCode::not_authorised, "Telefonen litar inte på stationen (Lita inte på valdes)"},
        {-19, ErrorCode::timed_out, "Ingen tryckte på Lita på i tid"},
        {-17, ErrorCode::device_locked, "Lås upp telefonen"},
        {-35, ErrorCode::device_locked, "Lås upp telefonen"},
        {-8, ErrorCode::interrupted, "Telefonen kopplades ur"},
        {-7, ErrorCode::timed_out, "did not answer"},
        {-21, ErrorCode::not_authorised, "Telefonen känner inte igen stationen"},
        {-36, ErrorCode::not_authorised, "MDM"},
        {-38, ErrorCode::not_authorised, "MDM"},
        {-34, ErrorCode::not_authorised, "refused the request"},
        {-27, ErrorCode::unsupported, "does not offer this service"},
        {-2, ErrorCode::unreadable, "idevicepair unpair"},
        {-3, ErrorCode::malformed, "answer we do not read"},
        {-256, ErrorCode::unreadable, "lockdownd error -256"},
    }));
    const auto error = lockdown_error(c.code, Step::pair);
    CHECK(error.code == c.expected);
    CHECK_THAT(error.message, StartsWith(c.says) || Contains(c.says));
    CHECK_THAT(error.message, Contains("(while pairing)"));
}

TEST_CASE("AFC errors: a vanished phone is an interruption, not a missing file", "[ios_device]") {
    struct Case {
        int code;
        ErrorCode expected;
    };
    const Case c = GENERATE(values<Case>({
        {30, ErrorCode::interrupted}, // AFC_E_MUX_ERROR
        {11, ErrorCode::interrupted}, // AFC_E_SERVICE_NOT_CONNECTED
        {32, ErrorCode::interrupted}, // AFC_E_NOT_ENOUGH_DATA
        {12, ErrorCode::timed_out},   // AFC_E_OP_TIMEOUT
        {8, ErrorCode::not_found},    // AFC_E_OBJECT_NOT_FOUND
        {10, ErrorCode::unreadable},  // AFC_E_PERM_DENIED
        {4, ErrorCode::unreadable},   // AFC_E_READ_ERROR
        {13, ErrorCode::too_large},   // AFC_E_TOO_MUCH_DATA
        {2, ErrorCode::malformed},    // AFC_E_OP_HEADER_INVALID
        {1, ErrorCode::unreadable},   // AFC_E_UNKNOWN_ERROR
    }));
    CHECK(afc_error(c.code).code == c.expected);
}

TEST_CASE("mobilebackup2 and idevice errors", "[ios_device]") {
    CHECK(backup_error(-3).code == ErrorCode::interrupted); // MOBILEBACKUP2_E_MUX_ERROR
    CHECK(backup_error(-5).code == ErrorCode::timed_out);   // MOBILEBACKUP2_E_RECEIVE_TIMEOUT
    CHECK(backup_error(-8).code == ErrorCode::unsupported); // MOBILEBACKUP2_E_NO_COMMON_VERSION
    const auto refused = backup_error(-7);                  // MOBILEBACKUP2_E_REPLY_NOT_OK
    CHECK(refused.code == ErrorCode::not_authorised);
    CHECK_THAT(refused.message, StartsWith("Telefonen nekade säkerhetskopian"));
    const auto missing = idevice_error(-3, Step::lookup); // IDEVICE_E_NO_DEVICE
    CHECK(missing.code == ErrorCode::not_found);
    CHECK_THAT(missing.message, Contains("usbmuxd"));
}
