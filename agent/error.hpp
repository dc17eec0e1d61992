#pragma once

#include "base/expected.hpp"

#include <string_view>

namespace dockscan::agent {

enum class ErrorCode {
    usage,               // the command line is wrong (exit 2)
    config,              // configuration or key problem (exit 2)
    store_missing,       // the store file does not exist (exit 2)
    store_wrong_key,     // wrong key or not a dockscan store (exit 2)
    store_io,            // the store could not be read or written
    store_schema,        // the store is from a newer dockscan or damaged
    input,               // the input to scan or inspect could not be read (exit 1)
    central_unavailable, // the central database cannot be reached (exit 1: try again)
    central_refused,     // the central database refused a statement (exit 2)
    internal,
};

[[nodiscard]] constexpr std::string_view to_string(ErrorCode code) {
    switch (code) {
    case ErrorCode::usage:
        return "usage";
    case ErrorCode::config:
        return "config";
    case ErrorCode::store_missing:
        return "store_missing";
    case ErrorCode::store_wrong_key:
        return "store_wrong_key";
    case ErrorCode::store_io:
        return "store_io";
    case ErrorCode::store_schema:
        return "store_schema";
    case ErrorCode::input:
        return "input";
    case ErrorCode::central_unavailable:
        return "central_unavailable";
    case ErrorCode::central_refused:
        return "central_refused";
    case ErrorCode::internal:
        return "internal";
    }
    return "unknown";
}

// The process exit code for an error: 2 for usage, configuration and store access,
// 1 for input that could not be read.
[[nodiscard]] constexpr int exit_code(ErrorCode code) {
    switch (code) {
    case ErrorCode::input:
        return 1;
    case ErrorCode::central_unavailable:
        return 1;
    case ErrorCode::internal:
        return 1;
    default:
        return 2;
    }
}

using Error = base::Error<ErrorCode>;
template <typename T>
using Expected = base::Expected<T, ErrorCode>;
using base::fail;

} // namespace dockscan::agent
