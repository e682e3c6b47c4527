// The OS's placement policy for TA processes (cpu_follow.h): when it asks a
// TA to run on its caller's CPU, when it lets it go, and how often at most.
#include "os/ta_manager/cpu_follow.h"

#include <gtest/gtest.h>

namespace swtee::os {
namespace {

using std::chrono::milliseconds;
using tachan::cpu_hint;
using tachan::kCpuAny;
using tachan::kCpuKeep;

const CpuFollow::Clock::time_point t0{};

// A follower whose TA was just pinned to `cpu`, at t0.
CpuFollow pinned_at_t0(int cpu) {
  CpuFollow f;
  (void)f.next(cpu, t0);
  EXPECT_EQ(f.next(cpu, t0), cpu_hint(static_cast<unsigned>(cpu)));
  return f;
}

TEST(CpuFollow, TwoCallsFromOneCpuPinTheTaThere) {
  CpuFollow f;
  EXPECT_EQ(f.next(1, t0), kCpuKeep);  // one call proves nothing
  EXPECT_EQ(f.next(1, t0 + milliseconds(1)), cpu_hint(1));
  EXPECT_EQ(f.current(), cpu_hint(1));
  for (int i = 2; i < 10; ++i) EXPECT_EQ(f.next(1, t0 + milliseconds(i)), kCpuKeep);
  EXPECT_EQ(f.current(), cpu_hint(1));
}

TEST(CpuFollow, CallersTakingTurnsOnTwoCpusNeverPin) {
  CpuFollow f;
  for (int i = 0; i < 20; ++i) EXPECT_EQ(f.next(i % 2, t0 + milliseconds(100 * i)), kCpuKeep) << i;
  EXPECT_EQ(f.current(), kCpuAny);
}

TEST(CpuFollow, CallersStartingToTakeTurnsUnpinAfterTheInterval) {
  CpuFollow f = pinned_at_t0(0);
  // Two moves in a row, but within the interval of the last change.
  EXPECT_EQ(f.next(1, t0 + milliseconds(1)), kCpuKeep);
  EXPECT_EQ(f.next(0, t0 + milliseconds(2)), kCpuKeep);
  EXPECT_EQ(f.current(), cpu_hint(0));
  // Still taking turns once the interval has passed: any CPU again.
  EXPECT_EQ(f.next(1, t0 + CpuFollow::kMinChangeInterval), kCpuAny);
  EXPECT_EQ(f.current(), kCpuAny);
}

TEST(CpuFollow, ACallerThatMovedIsFollowedAtMostOncePerInterval) {
  CpuFollow f = pinned_at_t0(0);
  // The caller moves to CPU 1 and stays: the TA follows, but not sooner
  // than the interval after the last change.
  EXPECT_EQ(f.next(1, t0 + milliseconds(5)), kCpuKeep);
  EXPECT_EQ(f.next(1, t0 + milliseconds(6)), kCpuKeep);
  EXPECT_EQ(f.next(1, t0 + milliseconds(7)), kCpuKeep);
  EXPECT_EQ(f.next(1, t0 + CpuFollow::kMinChangeInterval), cpu_hint(1));
  // And back at once: again only after another interval.
  const auto t1 = t0 + CpuFollow::kMinChangeInterval;
  (void)f.next(0, t1 + milliseconds(1));
  EXPECT_EQ(f.next(0, t1 + milliseconds(2)), kCpuKeep);
  EXPECT_EQ(f.next(0, t1 + CpuFollow::kMinChangeInterval), cpu_hint(0));
}

TEST(CpuFollow, AnUnknownCpuChangesNothing) {
  CpuFollow f;
  (void)f.next(3, t0);
  EXPECT_EQ(f.next(-1, t0), kCpuKeep);
  EXPECT_EQ(f.next(static_cast<int>(tachan::kMaxCpuHint), t0), kCpuKeep);
  // The streak from CPU 3 still stands.
  EXPECT_EQ(f.next(3, t0), cpu_hint(3));
}

TEST(CpuFollowMode, AutoFollowsBelowFourCpus) {
  set_cpu_follow(CpuFollowMode::Auto, 2);
  EXPECT_TRUE(cpu_follow_enabled());
  set_cpu_follow(CpuFollowMode::Auto, 1);
  EXPECT_TRUE(cpu_follow_enabled());
  set_cpu_follow(CpuFollowMode::Auto, kFollowBelowCpus);
  EXPECT_FALSE(cpu_follow_enabled());
  set_cpu_follow(CpuFollowMode::Auto, 0);  // unknown: do not
  EXPECT_FALSE(cpu_follow_enabled());
  set_cpu_follow(CpuFollowMode::On, 64);
  EXPECT_TRUE(cpu_follow_enabled());
  set_cpu_follow(CpuFollowMode::Off, 2);
  EXPECT_FALSE(cpu_follow_enabled());
}

TEST(CpuFollowMode, Parses) {
  EXPECT_EQ(*parse_cpu_follow_mode("auto"), CpuFollowMode::Auto);
  EXPECT_EQ(*parse_cpu_follow_mode("on"), CpuFollowMode::On);
  EXPECT_EQ(*parse_cpu_follow_mode("off"), CpuFollowMode::Off);
  EXPECT_FALSE(parse_cpu_follow_mode("yes").ok());
  EXPECT_FALSE(parse_cpu_follow_mode("").ok());
}

}  // namespace
}  // namespace swtee::os
