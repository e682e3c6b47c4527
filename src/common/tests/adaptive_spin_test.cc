#include "common/adaptive_spin.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace swtee {
namespace {

constexpr unsigned kBudgetUs = 20;
constexpr uint64_t kShortNs = 3'000;     // a hand-off caught while spinning
constexpr uint64_t kLongNs = 1'000'000;  // a TA computing for 1 ms

// Drives `s` into block mode the way a waiter does: waits that spun their
// budget and still outlasted it.
void make_blocking(AdaptiveSpin& s) {
  for (uint32_t i = 0; i < AdaptiveSpin::kMissesToBlock; ++i) {
    ASSERT_EQ(s.next_budget_us(), kBudgetUs);
    s.record(kLongNs);
  }
  ASSERT_TRUE(s.blocking());
}

TEST(AdaptiveSpin, StartsBySpinningTheFullBudget) {
  AdaptiveSpin s(kBudgetUs);
  EXPECT_FALSE(s.blocking());
  EXPECT_EQ(s.max_spin_us(), kBudgetUs);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(s.next_budget_us(), kBudgetUs);
    s.record(kShortNs);
  }
  EXPECT_FALSE(s.blocking());
}

TEST(AdaptiveSpin, AnIsolatedLongWaitKeepsSpinning) {
  AdaptiveSpin s(kBudgetUs);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(s.next_budget_us(), kBudgetUs);
    s.record(i % 2 == 0 ? kLongNs : kShortNs);
  }
  EXPECT_FALSE(s.blocking());
}

TEST(AdaptiveSpin, LongWaitsInARowBlockAtOnce) {
  AdaptiveSpin s(kBudgetUs);
  make_blocking(s);
  EXPECT_EQ(s.next_budget_us(), 0u);
}

TEST(AdaptiveSpin, BlockModeProbesOnceEveryInterval) {
  AdaptiveSpin s(kBudgetUs);
  make_blocking(s);
  for (int round = 0; round < 3; ++round) {
    for (uint32_t i = 1; i < AdaptiveSpin::kProbeInterval; ++i) {
      EXPECT_EQ(s.next_budget_us(), 0u) << "round " << round << " wait " << i;
      s.record(kLongNs);
    }
    EXPECT_EQ(s.next_budget_us(), kBudgetUs) << "round " << round;
    s.record(kLongNs);  // the probe missed too: stay blocking
    EXPECT_TRUE(s.blocking());
  }
}

TEST(AdaptiveSpin, AProbeThatCatchesTheAnswerReturnsToSpinning) {
  AdaptiveSpin s(kBudgetUs);
  make_blocking(s);
  unsigned budget = 0;
  for (uint32_t i = 0; i < AdaptiveSpin::kProbeInterval && budget == 0; ++i) {
    budget = s.next_budget_us();
    if (budget == 0) s.record(kLongNs);  // a blocked wait pays the wake-up: no proof of a fast peer
  }
  ASSERT_EQ(budget, kBudgetUs);
  s.record(kShortNs);
  EXPECT_FALSE(s.blocking());
  EXPECT_EQ(s.next_budget_us(), kBudgetUs);
}

TEST(AdaptiveSpin, ABlockedWaitWithinTheBudgetIsAHit) {
  AdaptiveSpin s(kBudgetUs);
  make_blocking(s);
  EXPECT_EQ(s.next_budget_us(), 0u);
  s.record(kShortNs);  // e.g. a same-vCPU hand-off: short even though it blocked
  EXPECT_FALSE(s.blocking());
  EXPECT_EQ(s.next_budget_us(), kBudgetUs);
}

TEST(AdaptiveSpin, TheBudgetItselfIsTheBoundary) {
  AdaptiveSpin s(kBudgetUs);
  s.record(uint64_t{kBudgetUs} * 1000 + 1);
  s.record(uint64_t{kBudgetUs} * 1000);  // a hit: resets the run of misses
  s.record(uint64_t{kBudgetUs} * 1000 + 1);
  EXPECT_FALSE(s.blocking());
  s.record(uint64_t{kBudgetUs} * 1000 + 1);
  EXPECT_TRUE(s.blocking());
}

TEST(AdaptiveSpin, AReturnToBlockingRestartsTheProbeCount) {
  AdaptiveSpin s(kBudgetUs);
  make_blocking(s);
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(s.next_budget_us(), 0u);
    s.record(kLongNs);
  }
  s.record(kShortNs);  // back to spinning
  make_blocking(s);
  for (uint32_t i = 1; i < AdaptiveSpin::kProbeInterval; ++i) {
    EXPECT_EQ(s.next_budget_us(), 0u) << i;
    s.record(kLongNs);
  }
  EXPECT_EQ(s.next_budget_us(), kBudgetUs);
}

TEST(AdaptiveSpin, ZeroBudgetNeverSpins) {
  AdaptiveSpin s(0);
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(s.next_budget_us(), 0u);
    s.record(i % 3 == 0 ? kShortNs : kLongNs);
  }
}

TEST(AdaptiveSpin, SpinningOnLongWaitsIsBounded) {
  // 1,000 calls that each take 1 ms: the waiter spins its budget on the
  // misses that switch it to block mode and on one wait per probe interval.
  AdaptiveSpin s(kBudgetUs);
  uint64_t spun_us = 0;
  constexpr uint32_t kWaits = 1000;
  for (uint32_t i = 0; i < kWaits; ++i) {
    spun_us += s.next_budget_us();
    s.record(kLongNs);
  }
  const uint64_t bound =
      uint64_t{kBudgetUs} * (AdaptiveSpin::kMissesToBlock + kWaits / AdaptiveSpin::kProbeInterval);
  EXPECT_LE(spun_us, bound);
  EXPECT_GT(spun_us, 0u);
}

}  // namespace
}  // namespace swtee
