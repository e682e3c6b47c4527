// The OS side of TA system calls (ta_channel_wire.h, "System calls"): one
// handler per SysFamily, registered in a SyscallTable that the TA host
// gives every instance. TaInstance::exchange() runs the handler when a
// Syscall message arrives in the middle of a call, on the secure thread
// serving that call, with the instance's mu() held.
//
// Trust: everything in SyscallArgs comes from TA code and is hostile until
// checked. A handler answers a bad request with a GP error (the TA runtime
// panics where GP says so, before it ever sends the syscall); `kill` is for
// requests no correct runtime sends, and ends the instance (TARGET_DEAD to
// its client).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"
#include "os/os_types.h"
#include "os/ta_host.h"
#include "protocol/ta_channel_wire.h"

namespace swtee::os {

class TaInstance;

// State a family keeps per instance (TA sessions the instance opened, its
// open persistent objects). Destroyed when the instance's process goes
// (death, destroy, host shutdown), with the instance's mu() held: a
// destructor may call into the host (closing sessions the instance opened)
// but gets no CallContext (no RPC, no cancellation).
class SyscallState {
 public:
  virtual ~SyscallState() = default;
};

struct SyscallContext {
  TaInstance& instance;  // the calling instance; its mu() is held
  const Uuid& ta_uuid;   // the calling TA (storage owner, TA-to-TA client identity)
  // The call being served: RPC path and cancellation. Null when the call
  // has none (an entry point run at shutdown or for a client that is gone);
  // services that need RPC then answer STORAGE_NOT_AVAILABLE/COMMUNICATION.
  CallContext* call;
  // This family's per-instance state slot (null until the family sets it).
  std::unique_ptr<SyscallState>& state;
  // Depth of TA-to-TA nesting of this call: 0 when a client called this
  // instance, n when a TA n levels up did.
  unsigned depth;
};

struct SyscallArgs {
  uint32_t fn = 0;  // the family's function (unchecked)
  std::array<uint64_t, tachan::kNumSyscallArgs> args{};
  std::span<const uint8_t> in;  // inline input; valid during handle() only
  std::vector<UniqueFd> fds;    // memfds from the TA; see adopt_ta_memfd
};

struct SyscallOut {
  uint32_t ret = kTeeSuccess;
  uint32_t origin = kTeeOriginTee;
  std::array<uint64_t, tachan::kNumSyscallArgs> vals{};
  std::vector<uint8_t> out;  // inline output; more than kMaxSyscallInline kills the instance
  bool kill = false;         // malformed beyond a GP error: the instance dies
};

class SyscallFamily {
 public:
  virtual ~SyscallFamily() = default;
  virtual void handle(SyscallContext& ctx, SyscallArgs& args, SyscallOut& out) = 0;
};

// Handlers by family. Built once at start-up, then read-only (shared by
// every instance and secure thread). A family without a handler answers
// TEE_ERROR_NOT_SUPPORTED.
class SyscallTable {
 public:
  void set(tachan::SysFamily f, std::shared_ptr<SyscallFamily> h) {
    families_[static_cast<size_t>(f)] = std::move(h);
  }
  SyscallFamily* get(tachan::SysFamily f) const { return families_[static_cast<size_t>(f)].get(); }

 private:
  std::array<std::shared_ptr<SyscallFamily>, tachan::kNumSysFamilies> families_;
};

// A memfd a TA passed: its size is fixed with seals (a TA that sealed it
// against that, or passed anything but a memfd, gets EINVAL), it must not
// exceed `max_size`, and it is mapped read-write. The contents stay shared
// with the TA: read each byte once (snapshot) before trusting it.
// The PhysShm's cookie is 0; a user that forwards it to another TA gives it one.
Result<std::shared_ptr<PhysShm>> adopt_ta_memfd(UniqueFd fd, uint64_t max_size);

}  // namespace swtee::os
