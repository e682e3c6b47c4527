// OPTEE_MSG entry: runs one yielding call's message. Snapshots and validates
// the arg (msg_decode.h), dispatches it (sessions to the SessionRouter, shm
// registration to the ShmRegistry) and writes the results back. A bad
// message is answered TEE_ERROR_BAD_PARAMETERS, origin TEE; nothing in the
// arg is trusted, nothing crashes.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/unique_fd.h"
#include "os/call_rpc.h"
#include "os/msg_decode.h"
#include "os/session_router.h"
#include "os/shm_registry.h"

namespace swtee::os {

class MsgEntry {
 public:
  MsgEntry(SessionRouter& router, ShmRegistry& registry) : router_(router), registry_(registry) {}

  // `arg_area`: the slot bytes from the arg to the end of the slot (shared
  // with the normal world). `fds`: the fds that came with the call frame;
  // only REGISTER_SHM takes one (exactly one); any other fd is closed and the
  // message refused.
  void handle(std::span<uint8_t> arg_area, std::vector<UniqueFd> fds, CallRpc& rpc);
  // For a call that found no free secure thread: serves it at once if it
  // is an OPTEE_MSG_CMD_CANCEL (quick, never blocks) and returns true;
  // false leaves the arg untouched for an ETHREAD_LIMIT answer. Without
  // this, calls that hold every thread could never be cancelled.
  bool handle_cancel_without_thread(std::span<uint8_t> arg_area, bool has_fds);

 private:
  struct Outcome {
    GpResult result;
    uint32_t session = 0;
  };
  Outcome open_session(DecodedMsg& m, CallRpc& rpc);
  Outcome invoke(DecodedMsg& m, CallRpc& rpc);
  Outcome close_session(const DecodedMsg& m, CallRpc& rpc);
  Outcome cancel(const DecodedMsg& m);
  Outcome register_shm(const DecodedMsg& m, std::vector<UniqueFd>& fds);
  Outcome unregister_shm(const DecodedMsg& m);

  SessionRouter& router_;
  ShmRegistry& registry_;
};

}  // namespace swtee::os
