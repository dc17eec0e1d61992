#include "tests/support/process.hpp"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace dockscan::testing {
namespace {

void close_fd(int& fd) {
    if (fd >= 0) {
        ::close(fd);
        fd = -1;
    }
}

} // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input,
                          const std::map<std::string, std::string>& env) {
    int in_pipe[2];
    int out_pipe[2];
    int err_pipe[2];
    if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
        throw std::runtime_error("pipe failed");
    }
    const pid_t pid = fork();
    if (pid < 0) {
        throw std::runtime_error("fork failed");
    }
    if (pid == 0) {
        dup2(in_pipe[0], 0);
        dup2(out_pipe[1], 1);
        dup2(err_pipe[1], 2);
        for (int fd :
             {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
            ::close(fd);
        }
        for (const auto& [name, value] : env) {
            setenv(name.c_str(), value.c_str(), 1);
        }
        std::vector<char*> args;
        for (const std::string& a : argv) {
            args.push_back(const_cast<char*>(a.c_str()));
        }
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    ::close(in_pipe[0]);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    int to_child = in_pipe[1];
    int from_out = out_pipe[0];
    int from_err = err_pipe[0];

    ProcessResult result;
    std::size_t written = 0;
    if (input.empty()) {
        close_fd(to_child);
    }
    // Poll all three pipes so that a child writing a lot never blocks on a full pipe
    // while we are still writing its input.
    while (from_out >= 0 || from_err >= 0) {
        pollfd fds[3];
        nfds_t n = 0;
        if (to_child >= 0) {
            fds[n++] = {to_child, POLLOUT, 0};
        }
        if (from_out >= 0) {
            fds[n++] = {from_out, POLLIN, 0};
        }
        if (from_err >= 0) {
            fds[n++] = {from_err, POLLIN, 0};
        }
        if (poll(fds, n, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw std::runtime_error("poll failed");
        }
        for (nfds_t i = 0; i < n; ++i) {
            if (fds[i].revents == 0) {
                continue;
            }
            if (fds[i].fd == to_child) {
                const ssize_t w = ::write(to_child, input.data() + written, input.size() - written);
                if (w <= 0) {
                    close_fd(to_child);
                } else {
                    written += static_cast<std::size_t>(w);
                    if (written == input.size()) {
                        close_fd(to_child);
                    }
                }
                continue;
            }
            char buf[65536];
            const ssize_t r = ::read(fds[i].fd, buf, sizeof buf);
            int& fd = fds[i].fd == from_out ? from_out : from_err;
            if (r <= 0) {
                close_fd(fd);
            } else {
                (fd == from_out ? result.out : result.err).append(buf, static_cast<std::size_t>(r));
            }
        }
    }
    close_fd(to_child);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

std::string dockscan_exe() {
    return DOCKSCAN_EXE;
}

Started start_and_wait_for(const std::vector<std::string>& argv, std::string_view marker,
                           std::chrono::milliseconds timeout) {
    int out[2];
    if (::pipe(out) != 0) {
        throw std::runtime_error("pipe failed");
    }
    std::vector<std::string> args = argv;
    Started started;
    started.pid = ::fork();
    if (started.pid < 0) {
        ::close(out[0]);
        ::close(out[1]);
        throw std::runtime_error("fork failed");
    }
    if (started.pid == 0) {
        ::dup2(out[1], 1);
        ::close(out[0]);
        ::close(out[1]);
        std::vector<char*> c_args;
        for (auto& a : args) {
            c_args.push_back(a.data());
        }
        c_args.push_back(nullptr);
        ::execv(c_args[0], c_args.data());
        ::_exit(127);
    }
    ::close(out[1]);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (started.output.find(marker) == std::string::npos) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd p{out[0], POLLIN, 0};
        char buffer[256];
        if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
            break;
        }
        const ssize_t n = ::read(out[0], buffer, sizeof buffer);
        if (n <= 0) {
            break;
        }
        started.output.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(out[0]);
    if (started.output.find(marker) == std::string::npos) {
        ::kill(started.pid, SIGKILL);
        int status = 0;
        ::waitpid(started.pid, &status, 0);
        throw std::runtime_error(argv.front() + " did not start");
    }
    return started;
}

DockscanProcess::DockscanProcess(const std::vector<std::string>& args,
                                 const std::filesystem::path& log,
                                 const std::map<std::string, std::string>& env) {
    m_pid = ::fork();
    if (m_pid < 0) {
        throw std::runtime_error("cannot fork for dockscan");
    }
    if (m_pid == 0) {
        for (const auto& [name, value] : env) {
            ::setenv(name.c_str(), value.c_str(), 1);
        }
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        std::vector<std::string> argv = {dockscan_exe()};
        argv.insert(argv.end(), args.begin(), args.end());
        std::vector<char*> c_args;
        for (auto& a : argv) {
            c_args.push_back(a.data());
        }
        c_args.push_back(nullptr);
        ::execv(c_args[0], c_args.data());
        ::_exit(127);
    }
}

DockscanProcess::~DockscanProcess() {
    if (m_pid > 0) {
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
    }
}

int DockscanProcess::terminate() {
    ::kill(m_pid, SIGTERM);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
    m_pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace dockscan::testing
