// TA-side client of the TA channel's system calls (ta_channel_wire.h,
// "System calls"). GP API code (TA-to-TA sessions, REE/persistent time,
// persistent objects) calls sys_call(); unit tests install a fake transport.
//
// Contract: only the dispatcher thread calls, and only while an entry point
// runs (the OS refuses syscalls at any other time). A broken channel or a
// malformed reply means the OS is gone or violated the protocol: the
// process exits (there is nobody to return an error to).
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "protocol/ta_channel_wire.h"
#include "tee_api_types.h"

namespace swtee::ta {

struct SysCall {
  tachan::SysFamily family = tachan::SysFamily::Time;
  uint32_t fn = 0;
  std::array<uint64_t, tachan::kNumSyscallArgs> args{};
  std::span<const uint8_t> in;  // inline input, <= kMaxSyscallInline
  std::span<const int> fds;     // memfds to pass (the TA keeps its own fds), <= kMaxSyscallFds
};

struct SysResult {
  TEE_Result ret = TEE_SUCCESS;
  uint32_t origin = 0;  // TEE_ORIGIN_*
  std::array<uint64_t, tachan::kNumSyscallArgs> vals{};
  size_t out_len = 0;  // inline output bytes written to `out`
};

class SyscallTransport {
 public:
  virtual ~SyscallTransport() = default;
  // Runs one syscall. The reply's inline output is copied to `out`; a reply
  // with more than out.size() bytes is a protocol violation. Returns res->ret.
  virtual TEE_Result call(const SysCall& c, std::span<uint8_t> out, SysResult* res) noexcept = 0;
};

// The transport of this process: the TA channel, unless a test installed
// another one with set_syscall_transport (nullptr restores the channel).
SyscallTransport& syscall_transport() noexcept;
void set_syscall_transport(SyscallTransport* t) noexcept;

inline TEE_Result sys_call(const SysCall& c, std::span<uint8_t> out, SysResult* res) noexcept {
  return syscall_transport().call(c, out, res);
}

}  // namespace swtee::ta
