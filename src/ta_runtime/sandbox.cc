#include "ta_runtime/sandbox.h"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <memory>

#include "common/unique_fd.h"

namespace swtee::ta {
namespace {

struct FilterDeleter {
  void operator()(void* ctx) const { seccomp_release(ctx); }
};
using Filter = std::unique_ptr<void, FilterDeleter>;

// Syscalls no TA process may ever make: a TA that tries is hostile.
constexpr std::array kKillAlways = {
    SCMP_SYS(execve),
    SCMP_SYS(execveat),
    SCMP_SYS(fork),
    SCMP_SYS(vfork),
    SCMP_SYS(clone),
    SCMP_SYS(clone3),
    SCMP_SYS(socket),
    SCMP_SYS(socketpair),
    SCMP_SYS(connect),
    SCMP_SYS(bind),
    SCMP_SYS(listen),
    SCMP_SYS(accept),
    SCMP_SYS(accept4),
    SCMP_SYS(ptrace),
    SCMP_SYS(process_vm_readv),
    SCMP_SYS(process_vm_writev),
    SCMP_SYS(pidfd_open),
    SCMP_SYS(pidfd_getfd),
};

// Allowed without argument checks in both stages.
constexpr std::array kAllowPlain = {
    SCMP_SYS(fstat),        SCMP_SYS(munmap),          SCMP_SYS(mremap),        SCMP_SYS(brk),
    SCMP_SYS(madvise),      SCMP_SYS(futex),           SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres),
    SCMP_SYS(gettimeofday), SCMP_SYS(clock_nanosleep), SCMP_SYS(nanosleep),     SCMP_SYS(getrandom),
    SCMP_SYS(exit),         SCMP_SYS(exit_group),      SCMP_SYS(rt_sigreturn),  SCMP_SYS(rt_sigprocmask),
    SCMP_SYS(rt_sigaction), SCMP_SYS(sigaltstack),     SCMP_SYS(getpid),        SCMP_SYS(gettid),
    SCMP_SYS(sched_yield),  SCMP_SYS(restart_syscall), SCMP_SYS(poll),
};

// SCMP_Ax() leaves datum_b implicit; spell every field out.
constexpr scmp_arg_cmp arg(unsigned idx, scmp_compare op, scmp_datum_t a, scmp_datum_t b = 0) {
  return scmp_arg_cmp{idx, op, a, b};
}

Status add(void* ctx, uint32_t action, int sys, std::initializer_list<scmp_arg_cmp> args = {}) {
  int rc = seccomp_rule_add_array(ctx, action, sys, static_cast<unsigned>(args.size()),
                                  args.size() ? args.begin() : nullptr);
  if (rc != 0) return Error{-rc, "seccomp_rule_add"};
  return ok_status();
}

Status add_kill_list(void* ctx) {
  for (int sys : kKillAlways) TRY_STATUS(add(ctx, SCMP_ACT_KILL_PROCESS, sys));
  return ok_status();
}

// Compiles a filter to classic BPF (through a memfd: libseccomp 2.5 can
// only export to an fd).
Result<std::vector<sock_filter>> export_bpf(void* ctx) {
  UniqueFd fd(::memfd_create("swtee-seccomp", MFD_CLOEXEC));
  if (!fd) return Error::from_errno("memfd_create");
  int rc = seccomp_export_bpf(ctx, fd.get());
  if (rc != 0) return Error{-rc, "seccomp_export_bpf"};
  off_t len = ::lseek(fd.get(), 0, SEEK_END);
  if (len <= 0 || len % static_cast<off_t>(sizeof(sock_filter)) != 0 ||
      len / static_cast<off_t>(sizeof(sock_filter)) > BPF_MAXINSNS)
    return Error{EINVAL, "bad seccomp program"};
  std::vector<sock_filter> prog(static_cast<size_t>(len) / sizeof(sock_filter));
  if (::pread(fd.get(), prog.data(), static_cast<size_t>(len), 0) != len)
    return Error::from_errno("pread bpf");
  return prog;
}

// Both stages: default EPERM, the kill list, signals kill too (a TA could
// otherwise signal swtee-os, which runs as the same user), and what the
// runtime and libc need throughout. Each stage adds its own forms of
// read, mmap and mprotect.
Result<Filter> common_allowlist(int channel_fd) {
  Filter f(seccomp_init(SCMP_ACT_ERRNO(EPERM)));
  if (!f) return Error{ENOMEM, "seccomp_init"};
  void* c = f.get();
  TRY_STATUS(add_kill_list(c));
  TRY_STATUS(add(c, SCMP_ACT_KILL_PROCESS, SCMP_SYS(kill)));
  TRY_STATUS(add(c, SCMP_ACT_KILL_PROCESS, SCMP_SYS(tkill)));
  TRY_STATUS(add(c, SCMP_ACT_KILL_PROCESS, SCMP_SYS(tgkill)));
  for (int sys : kAllowPlain) TRY_STATUS(add(c, SCMP_ACT_ALLOW, sys));

  const auto chan = static_cast<scmp_datum_t>(channel_fd);
  TRY_STATUS(add(c, SCMP_ACT_ALLOW, SCMP_SYS(recvmsg), {arg(0, SCMP_CMP_EQ, chan)}));
  TRY_STATUS(add(c, SCMP_ACT_ALLOW, SCMP_SYS(sendmsg), {arg(0, SCMP_CMP_EQ, chan)}));
  // stdout and stderr are the zygote's log pipe (ta_stdio.h); they stay
  // open and unchanged (no close, no ftruncate, no dup onto them).
  for (int fd : {STDOUT_FILENO, STDERR_FILENO}) {
    TRY_STATUS(add(c, SCMP_ACT_ALLOW, SCMP_SYS(write), {arg(0, SCMP_CMP_EQ, static_cast<scmp_datum_t>(fd))}));
    TRY_STATUS(
        add(c, SCMP_ACT_ALLOW, SCMP_SYS(writev), {arg(0, SCMP_CMP_EQ, static_cast<scmp_datum_t>(fd))}));
  }
  TRY_STATUS(add(c, SCMP_ACT_ALLOW, SCMP_SYS(close), {arg(0, SCMP_CMP_GT, STDERR_FILENO)}));
  // No path-based call in the TA stage: newfstatat (glibc's fstat) would
  // resolve an absolute path whatever its flags, so it is refused there and
  // the runtime uses the fd-only fstat (fd_util.h). statx, access, open*
  // and the rest fall to the default EPERM.
  // Bulk buffers for syscalls (bulk_buffer.h): sealable memfds only, sized
  // and sealed by the TA. RLIMIT_FSIZE (ta_process.cc) bounds each one.
  TRY_STATUS(
      add(c, SCMP_ACT_ALLOW, SCMP_SYS(memfd_create), {arg(1, SCMP_CMP_EQ, MFD_CLOEXEC | MFD_ALLOW_SEALING)}));
  TRY_STATUS(add(c, SCMP_ACT_ALLOW, SCMP_SYS(ftruncate), {arg(0, SCMP_CMP_GT, STDERR_FILENO)}));
  TRY_STATUS(add(c, SCMP_ACT_ALLOW, SCMP_SYS(fcntl), {arg(1, SCMP_CMP_EQ, F_ADD_SEALS)}));
  TRY_STATUS(add(c, SCMP_ACT_ALLOW, SCMP_SYS(fcntl), {arg(1, SCMP_CMP_EQ, F_GET_SEALS)}));
  // Its own CPU affinity only (pid 0), as the OS hints it with each
  // request (cpu_affinity.h); the kernel keeps it within the process's cpuset.
  TRY_STATUS(add(c, SCMP_ACT_ALLOW, SCMP_SYS(sched_setaffinity), {arg(0, SCMP_CMP_EQ, 0)}));
  return f;
}

// Stage 1, for the dynamic loader and the runtime's set-up around it. The
// TA's ELF constructors run under it. What it adds to the common list:
Result<std::vector<sock_filter>> build_loader(int channel_fd) {
  ASSIGN_OR_RETURN(Filter f, common_allowlist(channel_fd));
  void* c = f.get();
  // The loader opens the payload through /proc/self/fd/N, read-only; which
  // files such an open can reach is Landlock's to say (landlock.h), since
  // seccomp cannot see a path.
  TRY_STATUS(add(c, SCMP_ACT_ALLOW, SCMP_SYS(openat), {arg(2, SCMP_CMP_EQ, O_RDONLY | O_CLOEXEC)}));
  // It reads the ELF header from the fd it opened and fstats it
  // (newfstatat with an empty path).
  TRY_STATUS(add(c, SCMP_ACT_ALLOW, SCMP_SYS(read)));
  TRY_STATUS(add(c, SCMP_ACT_ALLOW, SCMP_SYS(pread64)));
  TRY_STATUS(add(c, SCMP_ACT_ALLOW, SCMP_SYS(newfstatat), {arg(3, SCMP_CMP_EQ, AT_EMPTY_PATH)}));
  // It maps the payload's code executable.
  TRY_STATUS(add(c, SCMP_ACT_ALLOW, SCMP_SYS(mmap)));
  TRY_STATUS(add(c, SCMP_ACT_ALLOW, SCMP_SYS(mprotect)));
  // The runtime: the life word (robust futex list), its name, the CPUs it
  // starts on, its own resource limits, then the TA stage.
  TRY_STATUS(add(c, SCMP_ACT_ALLOW, SCMP_SYS(set_robust_list)));
  TRY_STATUS(add(c, SCMP_ACT_ALLOW, SCMP_SYS(prctl), {arg(0, SCMP_CMP_EQ, PR_SET_NAME)}));
  TRY_STATUS(add(c, SCMP_ACT_ALLOW, SCMP_SYS(prctl), {arg(0, SCMP_CMP_EQ, PR_SET_NO_NEW_PRIVS)}));
  TRY_STATUS(add(c, SCMP_ACT_ALLOW, SCMP_SYS(sched_getaffinity), {arg(0, SCMP_CMP_EQ, 0)}));
  TRY_STATUS(add(c, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), {arg(0, SCMP_CMP_EQ, 0)}));
  // Without flags: no listener fd, no thread sync, no logging changes.
  TRY_STATUS(add(c, SCMP_ACT_ALLOW, SCMP_SYS(seccomp),
                 {arg(0, SCMP_CMP_EQ, SECCOMP_SET_MODE_FILTER), arg(1, SCMP_CMP_EQ, 0)}));
  return export_bpf(c);
}

// Stage 2, before any GP entry point: the common list, the channel's reads
// and W^X (no new executable memory after loading).
Result<std::vector<sock_filter>> build_ta(int channel_fd) {
  ASSIGN_OR_RETURN(Filter f, common_allowlist(channel_fd));
  void* c = f.get();
  TRY_STATUS(
      add(c, SCMP_ACT_ALLOW, SCMP_SYS(read), {arg(0, SCMP_CMP_EQ, static_cast<scmp_datum_t>(channel_fd))}));
  TRY_STATUS(add(c, SCMP_ACT_ALLOW, SCMP_SYS(mmap), {arg(2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)}));
  TRY_STATUS(add(c, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), {arg(2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)}));
  return export_bpf(c);
}

}  // namespace

Result<SandboxPrograms> SandboxPrograms::build(int channel_fd) {
  SandboxPrograms p;
  ASSIGN_OR_RETURN(p.loader_, build_loader(channel_fd));
  ASSIGN_OR_RETURN(p.ta_, build_ta(channel_fd));
  return p;
}

Status SandboxPrograms::apply(const std::vector<sock_filter>& prog) {
  if (prog.empty()) return Error{EINVAL, "empty seccomp program"};
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return Error::from_errno("PR_SET_NO_NEW_PRIVS");
  sock_fprog fp{static_cast<unsigned short>(prog.size()), const_cast<sock_filter*>(prog.data())};
  if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) != 0) return Error::from_errno("seccomp");
  return ok_status();
}

}  // namespace swtee::ta
