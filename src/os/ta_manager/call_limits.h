// How long a TA call may run. A call whose cancel went unanswered past the
// grace period, or that ran past its TA's call time limit, has its TA
// instance killed: the process goes, the secure thread serving the call
// sees the channel close and returns TARGET_DEAD, so no secure thread is
// ever lost to a TA that does not return (TaInstance::call).
#pragma once

#include <chrono>
#include <map>

#include "common/uuid.h"
#include "os/ta_manager/cancel_timer.h"

namespace swtee::os {

struct CallLimits {
  // A cancelled call (TEEC_RequestCancellation, or its client died) whose
  // TA has not returned after this long is ended by killing the instance.
  // 0: never.
  std::chrono::milliseconds cancel_grace{2000};
  // Per-TA limit on any one call (entry point); absent: none.
  std::map<Uuid, std::chrono::milliseconds> per_ta;

  std::chrono::milliseconds limit_for(const Uuid& uuid) const {
    auto it = per_ta.find(uuid);
    return it == per_ta.end() ? std::chrono::milliseconds(0) : it->second;
  }
};

// Set once at start-up (swtee-os flags), before the first call.
void set_call_limits(CallLimits limits);
const CallLimits& call_limits();
// The timer the limits run on (one thread for the OS, started on first use).
CancelTimer& call_limit_timer();

}  // namespace swtee::os
