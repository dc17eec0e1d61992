#include "docking/ios_device/imd_seam.hpp"
#include "docking/ios_device/photo_availability.hpp"

#include <catch2/catch.hpp>
#include <string>

using Catch::Matchers::StartsWith;
using dockscan::docking::Error;
using dockscan::docking::ErrorCode;
using namespace dockscan::docking::ios_device;

TEST_CASE("a photo of zero bytes is only in iCloud, not clean", "[ios_device]") {
    const auto problem = listed_photo_problem(0);
    REQUIRE(problem);
    CHECK(problem->message ==
          "finns bara i iCloud – kan inte kontrolleras / only in iCloud: not checkable");
    CHECK_FALSE(listed_photo_problem(1));
    CHECK_FALSE(listed_photo_problem(3'000'000));
}

TEST_CASE("a photo AFC cannot read is only in iCloud, a vanished phone is not", "[ios_device]") {
    struct Case {
        int afc_code;
        ErrorCode expected;
        bool icloud;
    };
    const Case c = GENERATE(values<Case>({
        {4, ErrorCode::unreadable, true},    // AFC_E_READ_ERROR: a stub the phone cannot read
        {8, ErrorCode::unreadable, true},    // AFC_E_OBJECT_NOT_FOUND: offloaded meanwhile
        {10, ErrorCode::unreadable, true},   // AFC_E_PERM_DENIED
        {30, ErrorCode::interrupted, false}, // AFC_E_MUX_ERROR: unplugged
        {12, ErrorCode::timed_out, false},   // AFC_E_OP_TIMEOUT
    }));
    const Error error = photo_read_failure(afc_error(c.afc_code));
    CHECK(error.code == c.expected);
    CHECK((error.message.rfind(std::string(k_icloud_only), 0) == 0) == c.icloud);
}

TEST_CASE("a photo over the size limit stays too large", "[ios_device]") {
    const Error error = photo_read_failure(Error{ErrorCode::too_large, "over the limit"});
    CHECK(error.code == ErrorCode::too_large);
    CHECK_THAT(empty_photo_read().message, StartsWith("finns bara i iCloud"));
}
