// The TA process's CPU affinity, as the OS asks for it with each request
// (TaRequest.cpu; the OS's policy is os/ta_manager/cpu_follow.h). The
// process changes only its own affinity and only within the CPUs it was
// started with; the sandbox allows sched_setaffinity on pid 0 alone.
#pragma once

#include <sched.h>

#include <cstdint>

#include "protocol/ta_channel_wire.h"

namespace swtee::ta {

class CpuAffinity {
 public:
  // Remembers the CPUs this process may run on now. Called once, before
  // the sandbox (which refuses sched_getaffinity).
  static CpuAffinity capture();

  // Applies a request's hint (tachan::kCpuKeep, kCpuAny or cpu_hint(n)).
  // Returns true when the process's affinity changed. A CPU outside the
  // started set, or a hint the kernel refuses, changes nothing.
  bool apply(uint32_t hint);

  // The hint in force (kCpuAny until a CPU was set).
  uint32_t current() const { return current_; }
  // Affinity changes made (for tests).
  uint64_t changes() const { return changes_; }

 private:
  cpu_set_t started_{};
  bool captured_ = false;
  uint32_t current_ = tachan::kCpuAny;
  uint64_t changes_ = 0;
};

}  // namespace swtee::ta
