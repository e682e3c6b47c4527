// The call path: runs one OPTEE_MSG yielding call to its final result, as
// the kernel's optee_smc_do_call_with_arg does. The caller leases a channel
// (kept for the whole call), writes the arg into the channel's carve-out slot
// and issues OPTEE_SMC_CALL_WITH_RPC_ARG; ETHREAD_LIMIT sleeps on the call
// queue and retries; RPC returns are served (RPC_CMD by the RpcServer,
// FOREIGN_INTR by just resuming) and resumed with RETURN_FROM_RPC; the final
// arg is copied out of the slot into the caller's private MsgCall once.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "common/result.h"
#include "drivers/optee/call_queue.h"
#include "drivers/optee/conduit.h"
#include "drivers/optee/msg_arg_header.h"
#include "protocol/optee_msg.h"

namespace swtee::optee {

// A call's arg in private memory: built by the caller, overwritten with the
// secure world's answer (header ret/ret_origin/session and the params, for
// exactly the number of params sent).
struct MsgCall {
  MsgArgHeader hdr{};
  std::vector<MsgParam> params;
  // Optional: set when the call was cancelled (its client cancelled it or
  // died). A call waiting for a secure thread then ends TEEC_ERROR_CANCEL
  // without being started, since a cancel for a call the secure world has
  // not seen yet is lost there (as on OP-TEE).
  const std::atomic<bool>* cancelled = nullptr;
  // The client id (guest) the call is made for: a7 of its CALL and of
  // every RETURN_FROM_RPC (protocol/conduit.h, "Client ids").
  uint32_t guest = 0;
};

// Serves OPTEE_SMC_RETURN_RPC_CMD for the call path.
class RpcServer {
 public:
  virtual ~RpcServer() = default;
  // `rpc` points at the RPC arg in the caller's slot (shared with the secure
  // world), with `room` bytes. Reads it once, serves it, writes the results
  // back. Returns an fd to attach to the RETURN_FROM_RPC frame (borrowed; it
  // stays valid until the secure world frees it), or -1.
  virtual int handle_rpc(uint8_t* rpc, size_t room) = 0;
};

class CallPath {
 public:
  CallPath(Conduit& conduit, CallQueue& queue, RpcServer& rpc)
      : conduit_(conduit), queue_(queue), rpc_(rpc) {}

  // Runs the call to its final result. GP outcome in call.hdr.ret/ret_origin:
  // if the secure world is gone or answers nonsense, ret is
  // TEEC_ERROR_COMMUNICATION with origin COMMS; if the secure world no
  // longer knows the call's guest (ENOTAVAIL: it was destroyed), ret is
  // TEEC_ERROR_TARGET_DEAD with origin COMMS. `attach_fd` travels with the
  // CALL frame (REGISTER_SHM). Errors only for a malformed call (EINVAL).
  Status call(MsgCall& call, int attach_fd = -1);

  // A fast call: answered at once by the secure world, on any channel.
  Result<conduit::SmcRegs> fast_call(const conduit::SmcRegs& regs);

 private:
  Conduit& conduit_;
  CallQueue& queue_;
  RpcServer& rpc_;
};

}  // namespace swtee::optee
