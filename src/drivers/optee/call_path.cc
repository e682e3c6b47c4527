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

// The secure world is gone (swtee-os died): every session with it is dead,
// and the call says so (swteed then exits; docs/architecture.md,
// "Supervision").
void fail_dead(MsgCall& call) {
  call.hdr.ret = kTeeErrorTargetDead;
  call.hdr.ret_origin = kTeeOriginTee;
}

// Releases the call queue's next waiter however the call ends, and the
// secure thread the call was admitted with, if any.
class CompletionGuard {
 public:
  explicit CompletionGuard(CallQueue& q) : q_(q) {}
  ~CompletionGuard() {
    if (admitted_) q_.release();
    q_.complete();
  }
  CompletionGuard(const CompletionGuard&) = delete;
  CompletionGuard& operator=(const CompletionGuard&) = delete;
  void admitted() { admitted_ = true; }
  // Gives the call's thread back early (it was turned away and waits).
  void release_thread() {
    if (admitted_) q_.release();
    admitted_ = false;
  }

 private:
  CallQueue& q_;
  bool admitted_ = false;
};

bool is_cancelled(const MsgCall& call) {
  return call.cancelled != nullptr && call.cancelled->load(std::memory_order_acquire);
}

// Takes a secure thread by the driver's count (call_queue.h, "Admission").
// False: the call has ended (cancelled or the secure world gone; `call`
// says which). A CANCEL needs no thread (swtee-os serves it on the
// channel), so it is never held back behind the calls it may be cancelling.
bool admit(CallQueue& q, MsgCall& call, CompletionGuard& done) {
  if (call.hdr.cmd == static_cast<uint32_t>(MsgCmd::Cancel)) return true;
  switch (q.admit(call.cancelled)) {
    case CallQueue::Admit::Taken:
      done.admitted();
      break;
    case CallQueue::Admit::Unlimited:
      break;
    case CallQueue::Admit::Aborted:
      fail_dead(call);
      return false;
    case CallQueue::Admit::Cancelled:
      break;
  }
  if (is_cancelled(call)) {  // cancelled while it waited: never started
    call.hdr.ret = kTeeErrorCancel;
    call.hdr.ret_origin = kTeeOriginComms;
    return false;
  }
  return true;
}

}  // namespace

Status CallPath::call(MsgCall& call, int attach_fd) {
  const auto n = static_cast<uint32_t>(call.params.size());
  if (n > conduit::kMaxArgParams) return Error{EINVAL, "too many params for a slot"};
  call.hdr.num_params = n;
  call.hdr.ret = 0;
  call.hdr.ret_origin = 0;

  CompletionGuard done(queue_);
  if (!admit(queue_, call, done)) return ok_status();
  const size_t arg_size = msg_arg_size(n);
  const size_t rpc_room = kCarveoutSlotSize - arg_size;
  // One attempt per leased channel. A call the secure world turns away
  // for lack of threads (ETHREAD_LIMIT) gives its channel back while it
  // waits, so queued calls can never take every channel and a CANCEL
  // (which swtee-os serves without a thread) always gets through.
  for (;;) {
    auto lease = conduit_.acquire();
    if (!lease.ok()) {
      fail_dead(call);
      return ok_status();
    }
    uint8_t* slot = lease->slot();
    std::memcpy(slot, &call.hdr, sizeof(MsgArg));
    if (n > 0) std::memcpy(slot + sizeof(MsgArg), call.params.data(), n * sizeof(MsgParam));
    uint8_t* rpc_area = slot + arg_size;
    const uint64_t phys = lease->slot_phys();
    const SmcRegs call_regs{{kSmcCallWithRpcArg, phys >> 32, phys & 0xFFFFFFFFu, 0, 0, 0, 0, call.guest}};
    SmcRegs regs = call_regs;
    int fd = attach_fd;
    const uint64_t gen = queue_.generation();
    bool thread_limit = false;
    for (;;) {
      auto r = conduit_.exchange(*lease, regs, fd);
      if (!r.ok()) {
        queue_.abort();
        fail_dead(call);
        return ok_status();
      }
      const uint64_t a0 = r->regs.a[0];
      if (a0 == kSmcReturnEThreadLimit) {
        thread_limit = true;
        break;
      }
      if (smc_return_is_rpc(a0)) {
        fd = -1;
        const uint32_t func = smc_return_rpc_func(a0);
        if (func == kSmcRpcFuncCmd) fd = rpc_.handle_rpc(rpc_area, rpc_room);
        if (func == kSmcRpcFuncAlloc) {
          // Register-based ALLOC is not used on this conduit (RPC_ARG cap):
          // answer "no memory" (phys a1/a2 = 0, cookie a4/a5 = 0).
          regs = SmcRegs{{kSmcReturnFromRpc, 0, 0, r->regs.a[3], 0, 0, 0, call.guest}};
        } else {
          // CMD, FREE, FOREIGN_INTR and unknown functions: resume, a1..a3 echoed.
          regs = SmcRegs{{kSmcReturnFromRpc, r->regs.a[1], r->regs.a[2], r->regs.a[3], 0, 0, 0, call.guest}};
        }
        continue;
      }
      if (a0 == kSmcReturnENotAvail) {
        // The secure world does not know (any more) the guest this call is for.
        call.hdr.ret = kTeeErrorTargetDead;
        call.hdr.ret_origin = kTeeOriginComms;
        return ok_status();
      }
      if (a0 != kSmcReturnOk) {
        log::warn("optee: yielding call answered {:#x}", a0);
        fail_comms(call);
        return ok_status();
      }
      break;
    }
    if (thread_limit) {
      // Turned away: it holds no secure thread while it waits, by the
      // driver's count either (another guest's call may use it).
      lease->reset();
      done.release_thread();
      queue_.wait(gen);
      // admit() also ends a call cancelled while it waited (CANCEL, COMMS).
      if (!admit(queue_, call, done)) return ok_status();
      continue;
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
}

Result<SmcRegs> CallPath::fast_call(const SmcRegs& regs) {
  ASSIGN_OR_RETURN(auto lease, conduit_.acquire());
  ASSIGN_OR_RETURN(SmcFrame f, conduit_.exchange(lease, regs));
  return f.regs;
}

}  // namespace swtee::optee
