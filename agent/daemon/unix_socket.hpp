#pragma once

// Local (AF_UNIX) stream sockets for the status socket and the scripted dock events:
// a move-only file descriptor, a listener and a client.

#include "agent/error.hpp"
#include "base/fd.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/stat.h>

namespace dockscan::agent::daemon {

using Fd = base::Fd;

// Binds and listens at `path` with file mode `mode` (a stale socket there is replaced;
// any other file is refused). The listener is non-blocking.
[[nodiscard]] Expected<Fd> listen_unix(const std::filesystem::path& path, mode_t mode);

// Connects to the socket at `path`.
[[nodiscard]] Expected<Fd> connect_unix(const std::filesystem::path& path);

// Accepts one waiting client (non-blocking), or nothing.
[[nodiscard]] std::optional<Fd> accept_client(const Fd& listener);

// Reads a line (without '\n') of at most `limit` bytes; nothing at end of stream or
// after `timeout` without data.
[[nodiscard]] std::optional<std::string>
read_line(const Fd& fd, std::string& buffer, std::size_t limit, std::chrono::milliseconds timeout);

// Writes all of `data`; false when the peer is gone or does not read.
bool write_all(const Fd& fd, std::string_view data);

} // namespace dockscan::agent::daemon
