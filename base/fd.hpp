#pragma once

// Owns one POSIX file descriptor: closed when the owner goes, moved, never copied.

namespace dockscan::base {

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    Fd(Fd&& other) noexcept : m_fd(other.release()) {}
    Fd& operator=(Fd&& other) noexcept;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd();

    [[nodiscard]] int get() const { return m_fd; }
    // Gives the descriptor up without closing it.
    [[nodiscard]] int release();
    explicit operator bool() const { return m_fd >= 0; }

private:
    int m_fd = -1;
};

} // namespace dockscan::base
