// mdwe-exec PROGRAM ARGS...: runs PROGRAM under the seccomp filter that systemd 252
// installs for MemoryDenyWriteExecute=yes (src/shared/seccomp-util.c): mmap with both
// PROT_WRITE and PROT_EXEC, mprotect/pkey_mprotect adding PROT_EXEC, and shmat with
// SHM_EXEC fail with EPERM. Applied before exec, as systemd does, so that the dynamic
// loader and every library the daemon loads run under it. `mdwe-exec --self-test`
// shows that the filter is in force.

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

namespace {

#if defined(__x86_64__)
constexpr std::uint32_t k_arch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr std::uint32_t k_arch = AUDIT_ARCH_AARCH64;
#else
#error "mdwe-exec knows x86-64 and AArch64 only"
#endif

constexpr std::uint32_t k_eperm = SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA);

sock_filter load(std::size_t offset) {
    return {BPF_LD | BPF_W | BPF_ABS, 0, 0, static_cast<std::uint32_t>(offset)};
}
sock_filter jump_eq(std::uint32_t value, std::uint8_t if_true, std::uint8_t if_false) {
    return {BPF_JMP | BPF_JEQ | BPF_K, if_true, if_false, value};
}
sock_filter jump_set(std::uint32_t bits, std::uint8_t if_true, std::uint8_t if_false) {
    return {BPF_JMP | BPF_JSET | BPF_K, if_true, if_false, bits};
}
sock_filter and_bits(std::uint32_t bits) {
    return {BPF_ALU | BPF_AND | BPF_K, 0, 0, bits};
}
sock_filter ret(std::uint32_t value) {
    return {BPF_RET | BPF_K, 0, 0, value};
}

// The low 32 bits of argument `n` (little-endian).
std::size_t arg(int n) {
    return offsetof(seccomp_data, args) + static_cast<std::size_t>(n) * sizeof(std::uint64_t);
}

std::vector<sock_filter> mdwe_filter() {
    const std::uint32_t wx = PROT_WRITE | PROT_EXEC;
    return {
        load(offsetof(seccomp_data, arch)), // 0
        jump_eq(k_arch, 1, 0),              // 1
        ret(SECCOMP_RET_KILL_PROCESS),      // 2: SystemCallArchitectures=native
        load(offsetof(seccomp_data, nr)),   // 3
        // mmap: refuse write and execute together.
        jump_eq(__NR_mmap, 0, 5), // 4 -> 5, else 10
        load(arg(2)),             // 5
        and_bits(wx),             // 6
        jump_eq(wx, 0, 1),        // 7 -> 8, else 9
        ret(k_eperm),             // 8
        ret(SECCOMP_RET_ALLOW),   // 9
        // mprotect, pkey_mprotect: refuse making anything executable.
        jump_eq(__NR_mprotect, 1, 0),      // 10 -> 12, else 11
        jump_eq(__NR_pkey_mprotect, 0, 4), // 11 -> 12, else 16
        load(arg(2)),                      // 12
        jump_set(PROT_EXEC, 0, 1),         // 13 -> 14, else 15
        ret(k_eperm),                      // 14
        ret(SECCOMP_RET_ALLOW),            // 15
        // shmat: refuse SHM_EXEC.
        jump_eq(__NR_shmat, 0, 4), // 16 -> 17, else 21
        load(arg(2)),              // 17
        jump_set(SHM_EXEC, 0, 1),  // 18 -> 19, else 20
        ret(k_eperm),              // 19
        ret(SECCOMP_RET_ALLOW),    // 20
        ret(SECCOMP_RET_ALLOW),    // 21
    };
}

// Whether the filter refuses what it must: exit 0 when both attempts fail with EPERM.
int self_test() {
    void* wx =
        mmap(nullptr, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    const bool wx_refused = wx == MAP_FAILED && errno == EPERM;
    void* page = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    const bool exec_refused =
        page != MAP_FAILED && mprotect(page, 4096, PROT_READ | PROT_EXEC) != 0 && errno == EPERM;
    std::printf("W+X mmap %s, mprotect(PROT_EXEC) %s\n", wx_refused ? "refused" : "allowed",
                exec_refused ? "refused" : "allowed");
    return wx_refused && exec_refused ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: mdwe-exec PROGRAM ARGS... | mdwe-exec --self-test\n");
        return 2;
    }
    std::vector<sock_filter> filter = mdwe_filter();
    sock_fprog program{static_cast<unsigned short>(filter.size()), filter.data()};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program, 0, 0) != 0) {
        std::fprintf(stderr, "mdwe-exec: cannot install the filter: %s\n", std::strerror(errno));
        return 2;
    }
    if (std::strcmp(argv[1], "--self-test") == 0) {
        return self_test();
    }
    execv(argv[1], argv + 1);
    std::fprintf(stderr, "mdwe-exec: cannot run %s: %s\n", argv[1], std::strerror(errno));
    return 127;
}
