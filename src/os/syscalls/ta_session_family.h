// The TaSession syscall family (ta_session_abi.h): decodes and validates a
// TA's TEE_OpenTASession / InvokeTACommand / CloseTASession request, turns
// its memref memfds into PhysShm the callee can map, and runs the call
// through TaSessionCore (ta_session_core.h).
#pragma once

#include <memory>

#include "os/syscalls/ta_session_core.h"
#include "os/ta_manager/syscalls.h"
#include "protocol/syscalls/ta_session_abi.h"

namespace swtee::os {

class TaSessionFamily final : public SyscallFamily {
 public:
  explicit TaSessionFamily(std::shared_ptr<CalleeRouter> router, TaSessionLimits limits = {})
      : core_(std::move(router), limits) {}
  void handle(SyscallContext& ctx, SyscallArgs& args, SyscallOut& out) override;

  TaSessionCore& core() { return core_; }

 private:
  void open_or_invoke(bool open, SyscallContext& ctx, SyscallArgs& args, SyscallOut& out);
  TaSessionCore core_;
};

// Decodes the parameters of a TaSession call: types must match
// param_types, values fit 32 bits, each memref names its own fd (or kNoFd
// for NULL) whose memfd is at least as large as the memref, and every fd
// is named. Memfds become PhysShm with fresh cookies. False for anything a
// correct runtime never sends.
bool decode_ta_call_params(const ta_session_abi::TsCallIn& in, std::vector<UniqueFd>& fds, OsParams& params);

// A cookie for a PhysShm that swtee-os made (TA-to-TA memrefs): nonzero,
// unique in this process, and in a range the normal world's registry never
// hands out (bit 63 set), so the two can never be confused.
uint64_t next_internal_shm_cookie();

}  // namespace swtee::os
