#include "os/ta_manager/call_limits.h"

#include <utility>

namespace swtee::os {
namespace {
CallLimits g_limits;
}  // namespace

void set_call_limits(CallLimits limits) { g_limits = std::move(limits); }
const CallLimits& call_limits() { return g_limits; }

CancelTimer& call_limit_timer() {
  static CancelTimer timer;
  return timer;
}

}  // namespace swtee::os
