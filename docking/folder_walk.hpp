#pragma once

// Walks a copy of a phone's storage: every regular file once, in a stable order
// (names sorted bytewise, depth first), without following a single symbolic link.
// Links, FIFOs, sockets and devices are reported as problems and never opened;
// folders that cannot be read or lie too deep are reported and skipped.

#include "docking/file_access.hpp"
#include "docking/phone_source.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <stop_token>
#include <string>
#include <vector>

namespace dockscan::docking {

struct WalkedFile {
    std::string ref;                     // relative path, see ref_path.hpp
    std::vector<std::string> components; // the raw names from the root down
    std::uint64_t size = 0;
    std::int64_t mtime = 0;

    [[nodiscard]] const std::string& name() const { return components.back(); }
};

// Called for every regular file; an error ends the walk with that error.
using FileVisitor = std::function<Expected<void>(const WalkedFile&)>;

// Walks `root`; folders more than `max_depth` levels below it are not entered.
// Problems go to `problems`; an error means the root itself could not be listed,
// the visitor failed, or `stop` was requested (interrupted).
[[nodiscard]] Expected<void> walk_folder(const Fd& root, std::size_t max_depth, ItemSink& problems,
                                         const FileVisitor& on_file, std::stop_token stop);

} // namespace dockscan::docking
