#pragma once

// Expected values for failures that callers handle. Every module defines one
// `enum class ErrorCode` with a `to_string`, and uses `Error<ErrorCode>`.

#include <string>
#include <tl/expected.hpp>
#include <utility>

namespace dockscan::base {

template <typename Code>
struct Error {
    Code code;
    std::string message;
};

template <typename T, typename Code>
using Expected = tl::expected<T, Error<Code>>;

// Builds the unexpected value that a fallible function returns.
template <typename Code>
[[nodiscard]] tl::unexpected<Error<Code>> fail(Code code, std::string message) {
    return tl::unexpected(Error<Code>{code, std::move(message)});
}

} // namespace dockscan::base

#define DOCKSCAN_CONCAT_INNER(a, b) a##b
#define DOCKSCAN_CONCAT(a, b) DOCKSCAN_CONCAT_INNER(a, b)

// Returns the error of `expr` from the enclosing function when there is one.
#define DOCKSCAN_TRY(expr)                                                                         \
    do {                                                                                           \
        auto&& dockscan_try_result_ = (expr);                                                      \
        if (!dockscan_try_result_) {                                                               \
            return tl::unexpected(std::move(dockscan_try_result_).error());                        \
        }                                                                                          \
    } while (false)

// Declares `lhs` from the value of `expr`, or returns its error.
#define DOCKSCAN_TRY_ASSIGN(lhs, expr)                                                             \
    auto DOCKSCAN_CONCAT(dockscan_try_, __LINE__) = (expr);                                        \
    if (!DOCKSCAN_CONCAT(dockscan_try_, __LINE__)) {                                               \
        return tl::unexpected(std::move(DOCKSCAN_CONCAT(dockscan_try_, __LINE__)).error());        \
    }                                                                                              \
    lhs = std::move(*DOCKSCAN_CONCAT(dockscan_try_, __LINE__))
