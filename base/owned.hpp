#pragma once

// A C library's object owned by a std::unique_ptr that frees it with the library's own
// function, e.g. base::Owned<cairo_t, cairo_destroy>. Every vendor seam uses this one.

#include <memory>

namespace dockscan::base {

template <auto Free>
struct FreeWith {
    template <typename T>
    void operator()(T* p) const {
        Free(p);
    }
};

template <typename T, auto Free>
using Owned = std::unique_ptr<T, FreeWith<Free>>;

} // namespace dockscan::base
