#include "agent/sandbox/seccomp_seam.hpp"

#include "base/owned.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <initializer_list>
#include <sched.h>
#include <seccomp.h>
#include <string>
#include <unistd.h>

namespace dockscan::agent::sandbox {
namespace {

using Filter = base::Owned<void, seccomp_release>;

// One switch for libseccomp's errors: they are negative errno values.
Error filter_error(const char* step, int rc) {
    return Error{ErrorCode::internal, std::string("seccomp: ") + step + ": " + std::strerror(-rc)};
}

// A deny list, not an allow list: the decoders, OpenCV, Tesseract and glibc call more
// than a hundred different system calls between them, and one missed in an allow list
// would turn a photo into a crash on one station's kernel and not another's. What a
// hostile file would need to do harm leaves the process is refused here: no socket
// (the worker's one socket was made by its parent), no program run, no child process,
// no file written, no other process touched.
constexpr int k_ends_worker[] = {
    SCMP_SYS(socket),
    SCMP_SYS(socketpair),
    SCMP_SYS(connect),
    SCMP_SYS(bind),
    SCMP_SYS(listen),
    SCMP_SYS(accept),
    SCMP_SYS(accept4),
    SCMP_SYS(execve),
    SCMP_SYS(execveat),
    SCMP_SYS(fork),
    SCMP_SYS(vfork),
    SCMP_SYS(ptrace),
    SCMP_SYS(process_vm_readv),
    SCMP_SYS(process_vm_writev),
    SCMP_SYS(pidfd_open),
    SCMP_SYS(pidfd_getfd),
    SCMP_SYS(pidfd_send_signal),
    SCMP_SYS(mount),
    SCMP_SYS(setns),
    SCMP_SYS(unshare),
};

constexpr int k_refused[] = {
    SCMP_SYS(creat),     SCMP_SYS(unlink),    SCMP_SYS(unlinkat), SCMP_SYS(rename),
    SCMP_SYS(renameat),  SCMP_SYS(renameat2), SCMP_SYS(mkdir),    SCMP_SYS(mkdirat),
    SCMP_SYS(rmdir),     SCMP_SYS(link),      SCMP_SYS(linkat),   SCMP_SYS(symlink),
    SCMP_SYS(symlinkat), SCMP_SYS(truncate),  SCMP_SYS(chmod),    SCMP_SYS(fchmodat),
    SCMP_SYS(chown),     SCMP_SYS(lchown),    SCMP_SYS(fchownat),
};

// Opening with any of these flags writes, or may create, a file.
constexpr unsigned k_write_flags = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND;

} // namespace

Expected<void> apply_worker_filter() {
    const Filter filter(seccomp_init(SCMP_ACT_ALLOW));
    if (!filter) {
        return fail(ErrorCode::internal, "seccomp: cannot make a filter");
    }
    scmp_filter_ctx ctx = filter.get();
    int rc = 0;
    // Stops at the first rule that cannot be added; every call returns 0 or -errno.
    auto add = [&](std::uint32_t action, int call, std::initializer_list<scmp_arg_cmp> args) {
        if (rc == 0) {
            rc = seccomp_rule_add_array(ctx, action, call, static_cast<unsigned>(args.size()),
                                        args.size() == 0 ? nullptr : args.begin());
        }
    };
    // Ending the whole process needs the seccomp() system call, which the station's
    // systemd unit refuses (@system-service has no `seccomp`); libseccomp then loads the
    // filter with prctl() and can only end the thread that made the call. The worker
    // applies its filter while it is its only thread (run_worker checks), so that is
    // the process too, until a library starts threads of its own.
    const std::uint32_t end = seccomp_api_get() >= 3 ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_KILL;
    for (const int call : k_ends_worker) {
        add(end, call, {});
    }
    for (const int call : k_refused) {
        add(SCMP_ACT_ERRNO(EACCES), call, {});
    }
    // A new process (clone without CLONE_THREAD) ends the worker; a thread is fine.
    // clone3 passes its flags in memory, where a filter cannot look: refused as
    // unknown, glibc then starts its threads with clone.
    add(end, SCMP_SYS(clone), {SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0)});
    add(SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), {});
    // open(path, flags) and openat(dir, path, flags): refused for writing, one rule per
    // flag (a rule compares a masked value for equality, not for "any bit set").
    // openat2 keeps its flags in memory too.
    for (const unsigned flag : {unsigned{O_WRONLY}, unsigned{O_RDWR}, unsigned{O_CREAT},
                                unsigned{O_TRUNC}, unsigned{O_APPEND}}) {
        add(SCMP_ACT_ERRNO(EACCES), SCMP_SYS(open), {SCMP_A1(SCMP_CMP_MASKED_EQ, flag, flag)});
        add(SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat), {SCMP_A2(SCMP_CMP_MASKED_EQ, flag, flag)});
    }
    add(SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(openat2), {});
    // Signals only to itself (abort() raises SIGABRT with tgkill on its own process).
    const auto self = static_cast<scmp_datum_t>(::getpid());
    add(SCMP_ACT_ERRNO(EPERM), SCMP_SYS(kill), {SCMP_A0(SCMP_CMP_NE, self)});
    add(SCMP_ACT_ERRNO(EPERM), SCMP_SYS(tgkill), {SCMP_A0(SCMP_CMP_NE, self)});
    if (rc < 0) {
        return tl::unexpected(filter_error("rule", rc));
    }
    // No new privileges is libseccomp's default: a set-uid program could not gain any.
    if (const int loaded = seccomp_load(ctx); loaded < 0) {
        return tl::unexpected(filter_error("load", loaded));
    }
    return {};
}

} // namespace dockscan::agent::sandbox
