#include "docking/error.hpp"

namespace dockscan::docking {

std::string_view to_string(ErrorCode code) {
    switch (code) {
    case ErrorCode::not_found:
        return "not_found";
    case ErrorCode::not_a_source:
        return "not_a_source";
    case ErrorCode::unreadable:
        return "unreadable";
    case ErrorCode::too_large:
        return "too_large";
    case ErrorCode::malformed:
        return "malformed";
    case ErrorCode::not_text:
        return "not_text";
    case ErrorCode::unsupported:
        return "unsupported";
    case ErrorCode::interrupted:
        return "interrupted";
    case ErrorCode::password_needed:
        return "password_needed";
    case ErrorCode::wrong_password:
        return "wrong_password";
    case ErrorCode::not_authorised:
        return "not_authorised";
    case ErrorCode::timed_out:
        return "timed_out";
    case ErrorCode::device_locked:
        return "device_locked";
    case ErrorCode::nested_source:
        return "nested_source";
    }
    return "unknown";
}

} // namespace dockscan::docking
