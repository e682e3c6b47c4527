#include "drivers/optee/call_path.h"

#include <cstring>

#include "common/log.h"
#include "protocol/gp_results.h"
#include "protocol/optee_smc.h"

namespace swtee::optee {

using conduit::kCarveoutSlotSize;
using conduit::SmcRegs;

namespace {

void fail_comms(MsgCall& call) {
  call.hdr.ret = kTeeErrorCommunication;
  call.hdr.ret_origin = kTeeOriginComms;
}

// Releases the call queue's next waiter however the call ends.
class CompletionGuard {
 public:
  explicit CompletionGuard(CallQueue& q) : q_(q) {}
  ~CompletionGuard() { q_.complete(); }
  CompletionGuard(const CompletionGuard&) = delete;
  CompletionGuard& operator=(const CompletionGuard&) = delete;

 private:
  CallQueue& q_;
};

}  // namespace

Status CallPath::call(MsgCall& call, int attach_fd) {
  const auto n = static_cast<uint32_t>(call.params.size());
  if (n > conduit::kMaxArgParams) return Error{EINVAL, "too many params for a slot"};
  call.hdr.num_params = n;
  call.hdr.ret = 0;
  call.hdr.ret_origin = 0;

  auto lease = conduit_.acquire();
  if (!lease.ok()) {
    fail_comms(call);
    return ok_status();
  }
  CompletionGuard done(queue_);
  uint8_t* slot = lease->slot();
  const size_t arg_size = msg_arg_size(n);
  std::memcpy(slot, &call.hdr, sizeof(MsgArg));
  if (n > 0) std::memcpy(slot + sizeof(MsgArg), call.params.data(), n * sizeof(MsgParam));
  uint8_t* rpc_area = slot + arg_size;
  const size_t rpc_room = kCarveoutSlotSize - arg_size;

  const uint64_t phys = lease->slot_phys();
  const SmcRegs call_regs{{kSmcCallWithRpcArg, phys >> 32, phys & 0xFFFFFFFFu, 0, 0, 0, 0, 0}};
  SmcRegs regs = call_regs;
  int fd = attach_fd;
  for (;;) {
    uint64_t gen = queue_.generation();
    auto r = conduit_.exchange(*lease, regs, fd);
    if (!r.ok()) {
      queue_.abort();
      fail_comms(call);
      return ok_status();
    }
    const uint64_t a0 = r->regs.a[0];
    if (a0 == kSmcReturnEThreadLimit) {
      queue_.wait(gen);
      regs = call_regs;
      fd = attach_fd;
      continue;
    }
    if (smc_return_is_rpc(a0)) {
      fd = -1;
      const uint32_t func = smc_return_rpc_func(a0);
      if (func == kSmcRpcFuncCmd) fd = rpc_.handle_rpc(rpc_area, rpc_room);
      if (func == kSmcRpcFuncAlloc) {
        // Register-based ALLOC is not used on this conduit (RPC_ARG cap):
        // answer "no memory" (phys a1/a2 = 0, cookie a4/a5 = 0).
        regs = SmcRegs{{kSmcReturnFromRpc, 0, 0, r->regs.a[3], 0, 0, 0, 0}};
      } else {
        // CMD, FREE, FOREIGN_INTR and unknown functions: resume, a1..a3 echoed.
        regs = SmcRegs{{kSmcReturnFromRpc, r->regs.a[1], r->regs.a[2], r->regs.a[3], 0, 0, 0, 0}};
      }
      continue;
    }
    if (a0 != kSmcReturnOk) {
      log::warn("optee: yielding call answered {:#x}", a0);
      fail_comms(call);
      return ok_status();
    }
    break;
  }
  // Snapshot the answer once; only what we sent is read back.
  MsgArgHeader hdr;
  std::memcpy(&hdr, slot, sizeof(hdr));
  call.hdr.ret = hdr.ret;
  call.hdr.ret_origin = hdr.ret_origin;
  call.hdr.session = hdr.session;
  if (n > 0) std::memcpy(call.params.data(), slot + sizeof(MsgArg), n * sizeof(MsgParam));
  return ok_status();
}

Result<SmcRegs> CallPath::fast_call(const SmcRegs& regs) {
  ASSIGN_OR_RETURN(auto lease, conduit_.acquire());
  ASSIGN_OR_RETURN(SmcFrame f, conduit_.exchange(lease, regs));
  return f.regs;
}

}  // namespace swtee::optee
