#include "os/ta_manager/cpu_follow.h"

#include <sched.h>

#include <atomic>

namespace swtee::os {
namespace {
std::atomic<bool> g_follow{false};
}  // namespace

uint32_t CpuFollow::next(int cpu, Clock::time_point now) {
  if (cpu < 0 || static_cast<unsigned>(cpu) >= tachan::kMaxCpuHint) return tachan::kCpuKeep;
  if (cpu == last_cpu_) {
    ++same_;
    moves_ = 0;
  } else {
    moves_ = last_cpu_ >= 0 ? moves_ + 1 : 0;
    same_ = 1;
    last_cpu_ = cpu;
  }
  uint32_t want = current_;
  if (same_ >= 2) {
    want = tachan::cpu_hint(static_cast<unsigned>(cpu));
  } else if (moves_ >= 2) {
    want = tachan::kCpuAny;
  }
  if (want == current_ || (changed_once_ && now - changed_at_ < kMinChangeInterval)) return tachan::kCpuKeep;
  current_ = want;
  changed_once_ = true;
  changed_at_ = now;
  return want;
}

Result<CpuFollowMode> parse_cpu_follow_mode(std::string_view text) {
  if (text == "auto") return CpuFollowMode::Auto;
  if (text == "on") return CpuFollowMode::On;
  if (text == "off") return CpuFollowMode::Off;
  return Error{EINVAL, "TA CPU follow mode: expected auto, on or off"};
}

void set_cpu_follow(CpuFollowMode mode, unsigned cpus) {
  const bool on =
      mode == CpuFollowMode::On || (mode == CpuFollowMode::Auto && cpus > 0 && cpus < kFollowBelowCpus);
  g_follow.store(on, std::memory_order_relaxed);
}

bool cpu_follow_enabled() { return g_follow.load(std::memory_order_relaxed); }

unsigned allowed_cpu_count() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof(set), &set) != 0) return 0;
  return static_cast<unsigned>(CPU_COUNT(&set));
}

}  // namespace swtee::os
