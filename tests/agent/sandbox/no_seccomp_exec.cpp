// dockscan-no-seccomp-exec PROGRAM ARGS...: runs PROGRAM where the seccomp() system call
// fails with EPERM, as under the station's systemd unit (SystemCallFilter=@system-service
// has no `seccomp`; SystemCallErrorNumber=EPERM). libseccomp must then load the
// worker's filter through prctl().

#include <cerrno>
#include <cstdio>
#include <seccomp.h>
#include <unistd.h>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fputs("usage: dockscan-no-seccomp-exec PROGRAM ARGS...\n", stderr);
        return 2;
    }
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (ctx == nullptr || seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(seccomp), 0) != 0 ||
        seccomp_load(ctx) != 0) {
        std::fputs("cannot apply the filter\n", stderr);
        return 1;
    }
    seccomp_release(ctx);
    ::execv(argv[1], argv + 1);
    std::perror("execv");
    return 127;
}
