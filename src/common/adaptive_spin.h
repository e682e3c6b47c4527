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
// Policy (per waiter, O(1); the caller measures each wait):
// - A wait is a hit if it ended within the full budget (whether it spun or
//   blocked), else a miss.
// - Spin mode (the start): every wait spins the full budget. kMissesToBlock
//   misses in a row switch to block mode; a single long wait among short
//   ones does not.
// - Block mode: waits block at once, except every kProbeInterval-th one,
//   which spins the full budget (a probe). A blocked wait's duration
//   includes the wake-up latency, so it cannot show that the peer became
//   fast again; a probe can. Any hit returns to spin mode.
// - Block mode also spins the full budget for every wait that starts in a
//   probe window: the first kProbeWindowNs of every kProbePeriodNs of
//   CLOCK_MONOTONIC, the same instants in every process. Why: in a chain of
//   waiters (client -> swteed -> swtee-os -> TA) one waiter's probe cannot
//   succeed while the others block, since its wait then includes their
//   wake-ups; each waiter alone stays in block mode forever, and the chain
//   is stuck at the blocking hand-off cost (measured: a 3-hop doorbell chain
//   latched at 50-130 us instead of a few us, docs/performance.md). In the
//   window every blocked waiter spins at once, so a chain whose peers are
//   fast again is seen to be fast and leaves block mode together.
// The cost is bounded both ways: in block mode a waiter spends at most
// budget / kProbeInterval per wait, plus (window + budget) per period,
// spinning; after waits turn short it pays the wake-up latency for at most
// kProbeInterval waits or one period.
//
// One waiter: next_budget_us() and record() are called by the thread that
// currently waits, one wait at a time. The state is relaxed atomics, so a
// waiter role that moves between threads (under the caller's own
// hand-off) needs no lock, and misuse is a wrong guess, never a data race.
#pragma once

#include <time.h>

#include <atomic>
#include <cstdint>

namespace swtee {

class AdaptiveSpin {
 public:
  static constexpr uint32_t kMissesToBlock = 2;
  static constexpr uint32_t kProbeInterval = 16;
  static constexpr uint64_t kProbePeriodNs = 32'000'000;
  static constexpr uint64_t kProbeWindowNs = 1'000'000;

  // max_spin_us == 0: never spin.
  explicit AdaptiveSpin(unsigned max_spin_us) noexcept : max_us_(max_spin_us) {}
  AdaptiveSpin(const AdaptiveSpin&) = delete;
  AdaptiveSpin& operator=(const AdaptiveSpin&) = delete;

  unsigned max_spin_us() const noexcept { return max_us_; }

  // Spin budget (µs) for the wait about to start at `now_ns` (monotonic):
  // the full budget, or 0 to block at once. Advances the probe count in
  // block mode.
  unsigned next_budget_us(uint64_t now_ns) noexcept {
    if (max_us_ == 0) return 0;
    if (!blocking()) return max_us_;
    if (now_ns % kProbePeriodNs < kProbeWindowNs) return max_us_;
    const uint32_t n = since_probe_.load(std::memory_order_relaxed) + 1;
    if (n >= kProbeInterval) {
      since_probe_.store(0, std::memory_order_relaxed);
      return max_us_;
    }
    since_probe_.store(n, std::memory_order_relaxed);
    return 0;
  }

  // The same, at the current CLOCK_MONOTONIC time (read only in block mode).
  unsigned next_budget_us() noexcept {
    if (max_us_ == 0 || !blocking()) return max_us_;
    timespec t{};
    ::clock_gettime(CLOCK_MONOTONIC, &t);
    return next_budget_us(static_cast<uint64_t>(t.tv_sec) * 1'000'000'000 + static_cast<uint64_t>(t.tv_nsec));
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
