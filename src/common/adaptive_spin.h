// Adaptive spin-then-block policy for one waiter on the call path.
//
// Why: every hop of a call waits for its answer with a bounded yield-spin
// before it blocks, because on a 2-vCPU VM a blocking cross-vCPU wake-up
// costs ~55 µs and a yield-spin hand-off a few µs. That only pays when the
// answer comes within the budget. When the peer computes for longer (a TA
// doing crypto on 1 MiB), every waiter of the chain spins its whole budget
// for nothing, and those spinners compete for the two vCPUs with the one
// process doing the work. So each waiter remembers how its own recent waits
// went and stops spinning while they are long.
//
// Policy (per waiter, O(1), no clock of its own: the caller measures):
// - A wait is a hit if it ended within the full budget (whether it spun or
//   blocked), else a miss.
// - Spin mode (the start): every wait spins the full budget. kMissesToBlock
//   misses in a row switch to block mode; a single long wait among short
//   ones does not.
// - Block mode: waits block at once, except every kProbeInterval-th one,
//   which spins the full budget (a probe). A blocked wait's duration
//   includes the wake-up latency, so it cannot show that the peer became
//   fast again; a probe can. Any hit returns to spin mode.
// The cost is bounded both ways: in block mode a waiter spends at most
// budget / kProbeInterval per wait spinning, and after waits turn short it
// pays the wake-up latency for at most kProbeInterval waits.
//
// One waiter: next_budget_us() and record() are called by the thread that
// currently waits, one wait at a time. The state is relaxed atomics, so a
// waiter role that moves between threads (under the caller's own
// hand-off) needs no lock, and misuse is a wrong guess, never a data race.
#pragma once

#include <atomic>
#include <cstdint>

namespace swtee {

class AdaptiveSpin {
 public:
  static constexpr uint32_t kMissesToBlock = 2;
  static constexpr uint32_t kProbeInterval = 16;

  // max_spin_us == 0: never spin.
  explicit AdaptiveSpin(unsigned max_spin_us) noexcept : max_us_(max_spin_us) {}
  AdaptiveSpin(const AdaptiveSpin&) = delete;
  AdaptiveSpin& operator=(const AdaptiveSpin&) = delete;

  unsigned max_spin_us() const noexcept { return max_us_; }

  // Spin budget (µs) for the wait about to start: the full budget, or 0 to
  // block at once. Advances the probe count in block mode.
  unsigned next_budget_us() noexcept {
    if (max_us_ == 0) return 0;
    if (!blocking()) return max_us_;
    const uint32_t n = since_probe_.load(std::memory_order_relaxed) + 1;
    if (n >= kProbeInterval) {
      since_probe_.store(0, std::memory_order_relaxed);
      return max_us_;
    }
    since_probe_.store(n, std::memory_order_relaxed);
    return 0;
  }

  // Outcome of the wait: nanoseconds from its start until it ended.
  void record(uint64_t waited_ns) noexcept {
    if (waited_ns <= uint64_t{max_us_} * 1000) {
      misses_.store(0, std::memory_order_relaxed);
      since_probe_.store(0, std::memory_order_relaxed);
      return;
    }
    const uint32_t m = misses_.load(std::memory_order_relaxed);
    if (m < kMissesToBlock) misses_.store(m + 1, std::memory_order_relaxed);
  }

  bool blocking() const noexcept { return misses_.load(std::memory_order_relaxed) >= kMissesToBlock; }

 private:
  const unsigned max_us_;
  std::atomic<uint32_t> misses_{0};       // misses in a row, saturating at kMissesToBlock
  std::atomic<uint32_t> since_probe_{0};  // blocked waits since the last probe
};

}  // namespace swtee
