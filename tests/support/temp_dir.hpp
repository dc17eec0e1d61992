#pragma once

// Every test gets its own temporary folder, removed when the test ends.

#include <filesystem>
#include <string>
#include <string_view>

namespace dockscan::testing {

class TempDir {
public:
    TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir();

    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    [[nodiscard]] std::filesystem::path operator/(std::string_view name) const {
        return m_path / name;
    }

private:
    std::filesystem::path m_path;
};

// Writes `content` to `path`, creating parent folders.
void write_file(const std::filesystem::path& path, std::string_view content);

// Reads a whole file.
[[nodiscard]] std::string read_file(const std::filesystem::path& path);

// The shared conformance data folder (../shared/conformance beside the project).
[[nodiscard]] std::filesystem::path conformance_dir();

// Public sample photos from Debian packages, unpacked by scripts/install-deps:
// `skimage/` holds scikit-image's (python3-skimage) photos.
[[nodiscard]] std::filesystem::path public_photos_dir();

} // namespace dockscan::testing
