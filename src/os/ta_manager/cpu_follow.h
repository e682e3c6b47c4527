// Where a TA process runs: beside the swtee-os thread that calls it, on a
// machine with too few CPUs for every process of a call to keep its own.
//
// A call passes four processes: the client, swteed, swtee-os and the TA.
// With fewer CPUs than that, some must share one, and where the scheduler
// puts them sets the cost of a call. On the 2-vCPU development VM, with the
// processes pinned, a null invoke took 26-58 µs p50 in every placement that
// keeps swtee-os and the TA on one CPU, and 41-88 µs in every placement that
// does not (docs/performance.md, "Where the TA runs"). The two hand the call
// to each other, and on one CPU the one that waits yields to the other. So,
// when following is on, each instance asks its TA process (TaRequest.cpu,
// ta_runtime/cpu_affinity.h) to allow only the CPU its caller runs on:
// - after two calls in a row from one CPU: that CPU;
// - after two calls in a row that each came from another CPU than the one
//   before (callers on two CPUs taking turns): any CPU again;
// - at most one change per kMinChangeInterval, so a caller that moves often
//   costs the TA one sched_setaffinity per interval, not one per call.
// A TA that ignores the hint only loses the speed-up: it is a hint about the
// TA's own placement, never a limit the OS relies on.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "common/result.h"
#include "protocol/ta_channel_wire.h"

namespace swtee::os {

class CpuFollow {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kMinChangeInterval{20};

  // The hint for a call made now from a thread on `cpu` (negative: not
  // known): tachan::kCpuKeep, kCpuAny or cpu_hint(cpu).
  uint32_t next(int cpu, Clock::time_point now);
  // What the TA was last asked for (kCpuAny at first).
  uint32_t current() const { return current_; }

 private:
  int last_cpu_ = -1;
  unsigned same_ = 0;   // calls in a row from last_cpu_
  unsigned moves_ = 0;  // calls in a row each from another CPU than the one before
  uint32_t current_ = tachan::kCpuAny;
  bool changed_once_ = false;
  Clock::time_point changed_at_{};
};

enum class CpuFollowMode { Off, On, Auto };
// Auto follows when swtee-os may run on fewer CPUs than this: with four, each
// process of a call can spin on a CPU of its own, which hands off fastest.
inline constexpr unsigned kFollowBelowCpus = 4;

Result<CpuFollowMode> parse_cpu_follow_mode(std::string_view text);  // "auto", "on", "off"
// Set once at start-up (swtee-os --ta-follow-cpu), before the first call.
// `cpus`: the CPUs this process may run on (Auto's input).
void set_cpu_follow(CpuFollowMode mode, unsigned cpus);
bool cpu_follow_enabled();
// The CPUs this process may run on (its affinity mask); 0 if unknown.
unsigned allowed_cpu_count();

}  // namespace swtee::os
