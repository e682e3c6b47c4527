// The RPC services of the secure thread serving one yielding call, as the
// message entry sees them. The RPC arg's place in the slot is only known
// once the call's num_params was snapshotted, so the entry places it.
#pragma once

#include <cstdint>
#include <span>

#include "os/ta_host.h"

namespace swtee::os {

class CallRpc : public SecureRpc {
 public:
  // `area`: the slot bytes right after the call's arg (at least
  // kRpcArgRoom). Until placed, every RPC fails with COMMUNICATION.
  virtual void place_rpc_arg(std::span<uint8_t> area) = 0;
};

}  // namespace swtee::os
