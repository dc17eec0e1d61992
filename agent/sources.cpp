#include "agent/sources.hpp"

#include <system_error>

#include "docking/folder_source.hpp"

namespace dockscan::agent {
namespace {

using SourcePtr = std::unique_ptr<docking::PhoneSource>;

// Each backend says whether a path is its kind and opens it. Tried in order; the
// folder source comes last because any folder is a folder.
struct Backend {
    const char* name;
    bool (*accepts)(const std::filesystem::path& path);
    docking::Expected<SourcePtr> (*open)(const std::filesystem::path& path);
};

bool is_folder(const std::filesystem::path& path) {
    std::error_code ec;
    return std::filesystem::is_directory(path, ec);
}

docking::Expected<SourcePtr> open_folder(const std::filesystem::path& path) {
    auto source = docking::FolderSource::open(path);
    if (!source) {
        return tl::unexpected(source.error());
    }
    return SourcePtr(std::move(*source));
}

const Backend k_backends[] = {
    {"folder", is_folder, open_folder},
};

} // namespace

Expected<std::unique_ptr<docking::PhoneSource>> open_source(const std::string& source) {
    const std::filesystem::path path(source);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        return fail(ErrorCode::input, "cannot scan " + source + ": no such file or folder");
    }
    for (const Backend& backend : k_backends) {
        if (!backend.accepts(path)) {
            continue;
        }
        auto opened = backend.open(path);
        if (!opened) {
            return fail(ErrorCode::input, "cannot scan " + source + " as " + backend.name +
                                              ": " + opened.error().message);
        }
        return std::move(*opened);
    }
    return fail(ErrorCode::input,
                "cannot scan " + source + ": not a phone source dockscan reads (a folder copy "
                                          "of a phone's storage)");
}

} // namespace dockscan::agent
