#pragma once

// An unnamed temporary file for what an archive holds and a source must read later.
//
// An `adb backup` archive is one stream that takes seconds to decrypt and inflate, so
// the photos of `adb backup -shared` are copied here while the archive is listed and
// read back from here. The file is made with O_TMPFILE (mode 0600) below $TMPDIR or
// /tmp and has no name: it goes when the spool goes, also after a crash. The station
// keeps $TMPDIR on tmpfs (systemd PrivateTmp=yes), so photos never reach a disk.

#include "base/fd.hpp"
#include "docking/error.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace dockscan::docking::android {

class Spool {
public:
    [[nodiscard]] static Expected<Spool> create();

    // Appends `bytes` and returns where they start.
    [[nodiscard]] Expected<std::uint64_t> append(std::string_view bytes);
    // The `length` bytes at `offset`.
    [[nodiscard]] Expected<std::string> read(std::uint64_t offset, std::uint64_t length) const;
    // Bytes written so far.
    [[nodiscard]] std::uint64_t size() const { return m_size; }

private:
    explicit Spool(base::Fd fd) : m_fd(std::move(fd)) {}
    base::Fd m_fd;
    std::uint64_t m_size = 0;
};

} // namespace dockscan::docking::android
