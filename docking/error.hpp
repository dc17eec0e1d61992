#pragma once

#include "base/expected.hpp"

#include <string_view>

namespace dockscan::docking {

enum class ErrorCode {
    not_found,       // the source path does not exist
    not_a_source,    // exists, but is no phone source we can read
    unreadable,      // permission or I/O error
    too_large,       // over a size limit
    malformed,       // content that does not parse
    not_text,        // binary content under a text name
    unsupported,     // a format or variant we do not read (yet)
    interrupted,     // stopped by the caller or the phone went away
    password_needed, // an encrypted source was opened without a password
    wrong_password,  // the password does not unlock the source
    not_authorised,  // the phone refused us: USB debugging or Trust denied, backup refused
    timed_out,       // the phone did not answer a question in time (Trust, passcode)
    device_locked,   // the phone must be unlocked first
    nested_source,   // a phone source inside the one scanned (an iOS backup, an .ab):
                     // not read as part of it, to be scanned on its own
};

[[nodiscard]] std::string_view to_string(ErrorCode code);

using Error = base::Error<ErrorCode>;
template <typename T>
using Expected = base::Expected<T, ErrorCode>;
using base::fail;

} // namespace dockscan::docking
