// The seccomp sandbox of a TA process, installed in two stages (filters
// stack; the strictest verdict wins):
//
//  1. install_loader_sandbox(), right after fork and before dlopen: the TA's
//     ELF constructors run under it. Kills the process on exec, process
//     creation, sockets and ptrace-like calls; everything else still works
//     so the dynamic loader can open /proc/self/fd/N.
//  2. install_ta_sandbox(channel), after dlopen and before any GP entry
//     point: default deny with EPERM. Allowed: I/O on the channel (recvmsg/
//     sendmsg/read) and stderr (write/writev), memory management without
//     PROT_EXEC, futex, clocks and sleeps, getrandom, fstat of an fd,
//     close, exit. open/openat fail with EPERM; exec, fork/clone, sockets,
//     ptrace and signals (kill/tkill/tgkill: a TA could otherwise signal
//     swtee-os, which runs as the same user) kill the process. abort() in a
//     TA therefore ends it with SIGSYS instead of SIGABRT: the same outcome.
//
// Building a filter with libseccomp costs milliseconds, so the zygote
// builds both once (SandboxPrograms) and a TA child applies each with one
// seccomp(2) call. The TA process keeps its channel on kTaChannelFd, which
// makes the stage-2 program the same for every TA.
#pragma once

#include <linux/filter.h>

#include <vector>

#include "common/result.h"

namespace swtee::ta {

inline constexpr int kTaChannelFd = 3;

class SandboxPrograms {
 public:
  // Compiles both stages for a TA whose channel is `channel_fd`.
  [[nodiscard]] static Result<SandboxPrograms> build(int channel_fd = kTaChannelFd);
  // Sets PR_SET_NO_NEW_PRIVS and loads the program. Irreversible.
  [[nodiscard]] Status apply_loader() const { return apply(loader_); }
  [[nodiscard]] Status apply_ta() const { return apply(ta_); }
  [[nodiscard]] static Status apply(const std::vector<sock_filter>& prog);

 private:
  std::vector<sock_filter> loader_;
  std::vector<sock_filter> ta_;
};

// One-shot forms (build + apply), for tests and tools.
[[nodiscard]] Status install_loader_sandbox();
[[nodiscard]] Status install_ta_sandbox(int channel_fd);

}  // namespace swtee::ta
