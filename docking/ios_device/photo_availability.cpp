#include "docking/ios_device/photo_availability.hpp"

#include <string>

namespace dockscan::docking::ios_device {

std::optional<Error> listed_photo_problem(std::uint64_t size) {
    if (size == 0) {
        return Error{ErrorCode::unreadable, std::string(k_icloud_only)};
    }
    return std::nullopt;
}

Error photo_read_failure(const Error& error) {
    switch (error.code) {
    case ErrorCode::interrupted:
    case ErrorCode::timed_out:
    case ErrorCode::too_large:
    case ErrorCode::device_locked:
    case ErrorCode::not_authorised:
        return error;
    case ErrorCode::not_found:
    case ErrorCode::not_a_source:
    case ErrorCode::unreadable:
    case ErrorCode::malformed:
    case ErrorCode::not_text:
    case ErrorCode::unsupported:
    case ErrorCode::password_needed:
    case ErrorCode::wrong_password:
    case ErrorCode::nested_source:
        break;
    }
    return Error{ErrorCode::unreadable, std::string(k_icloud_only) + " (" + error.message + ")"};
}

Error empty_photo_read() {
    return Error{ErrorCode::unreadable, std::string(k_icloud_only)};
}

} // namespace dockscan::docking::ios_device
