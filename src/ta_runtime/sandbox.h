// The seccomp sandbox of a TA process, installed in two stages (filters
// stack; the strictest verdict wins). Both deny by default with EPERM and
// kill the process on exec, process creation, sockets, ptrace-like calls
// and signals (kill/tkill/tgkill: a TA could otherwise signal swtee-os,
// which runs as the same user). abort() in a TA therefore ends it with
// SIGSYS instead of SIGABRT: the same outcome.
//
//  1. The loader stage (apply_loader), right after fork, after Landlock
//     (landlock.h) and before dlopen: the TA's ELF constructors run under
//     it. Allows what the TA stage allows, plus what the dynamic loader and
//     the runtime's set-up need: openat read-only (Landlock decides which
//     files: only the payload's memfd), read/pread and fstat of any fd,
//     executable mappings, the robust futex list, its own name, CPUs and
//     resource limits, and installing stage 2.
//  2. The TA stage (apply_ta), after dlopen and before any GP entry
//     point. Allowed: I/O on the channel (recvmsg/sendmsg/read) and stderr
//     (write/writev), memory management without PROT_EXEC, futex, clocks
//     and sleeps, getrandom, fstat of an fd, close, exit. open/openat fail
//     with EPERM.
//
// docs/sandbox.md lists every allowed call and why. Building a filter with
// libseccomp costs milliseconds, so the zygote builds both once
// (SandboxPrograms) and a TA child applies each with one seccomp(2) call.
// The TA process keeps its channel on kTaChannelFd, which makes both
// programs the same for every TA.
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

}  // namespace swtee::ta
