#include "os/shared_pool.h"

#include <gtest/gtest.h>

#include <vector>

namespace swtee::os {
namespace {

using namespace std::chrono_literals;

struct FakeClock {
  SharedPool::Clock::time_point t{};
  std::function<SharedPool::Clock::time_point()> fn() {
    return [this] { return t; };
  }
};

TEST(SharedPool, EachUidGetsItsShareAndRefusalsAreCounted) {
  FakeClock clock;
  SharedPool pool("TA instances", share_limit(64, 25), clock.fn());
  EXPECT_EQ(pool.limit().per_uid, 16u);
  std::vector<ShareCharge> a;
  for (int i = 0; i < 16; ++i) a.push_back(std::move(*pool.take(1000u)));
  auto over = pool.take(1000u);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, kShareUsedUp);
  ASSERT_TRUE(pool.take(1001u).ok()) << "a client of another uid still gets an instance";
  EXPECT_EQ(pool.used_by(1000), 16u);
  const osstat::PoolStatus s = pool.status();
  EXPECT_EQ(s.global, 64u);
  EXPECT_EQ(s.per_uid, 16u);
  EXPECT_EQ(s.used, 16u);
  EXPECT_EQ(s.refused_share, 1u);
  EXPECT_EQ(s.refused_full, 0u);
  EXPECT_EQ(s.reserved, 0u);
}

TEST(SharedPool, NoUidIsHeldToTheGlobalLimitOnly) {
  FakeClock clock;
  SharedPool pool("pending PTA waits", share_limit(3, 25), clock.fn());
  EXPECT_EQ(pool.limit().per_uid, 1u) << "25 % of 3, at least 1";
  std::vector<ShareCharge> held;
  for (int i = 0; i < 3; ++i) held.push_back(std::move(*pool.take(std::nullopt)));
  auto full = pool.take(std::nullopt);
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, kPoolFull);
  EXPECT_FALSE(pool.take(7u).ok()) << "the global limit holds for every uid";
  EXPECT_EQ(pool.status().refused_full, 2u);
  held.clear();
  EXPECT_EQ(pool.used(), 0u);
  EXPECT_TRUE(pool.take(7u).ok());
}

TEST(SharedPool, OneLogLinePerBurstOfRefusals) {
  FakeClock clock;
  SharedPool pool("pending PTA waits", share_limit(3, 25), clock.fn());
  auto held = pool.take(5u);
  ASSERT_TRUE(held.ok());
  // A client hammering its used-up share: one line, every refusal counted.
  for (int i = 0; i < 1000; ++i) {
    EXPECT_FALSE(pool.take(5u).ok());
    clock.t += 5ms;
  }
  EXPECT_EQ(pool.lines_logged(), 1u);
  EXPECT_EQ(pool.status().refused_share, 1000u);
  // Refusals closer than the quiet gap keep the burst going...
  clock.t += SharedPool::kQuietGap - 10ms;  // 5 ms passed since the last refusal
  EXPECT_FALSE(pool.take(5u).ok());
  EXPECT_EQ(pool.lines_logged(), 1u);
  // ...a quiet gap ends it: the next refusal starts a burst and logs.
  clock.t += SharedPool::kQuietGap;
  EXPECT_FALSE(pool.take(5u).ok());
  EXPECT_EQ(pool.lines_logged(), 2u);
  // Grants in between do not end a burst (a victim's success must not
  // re-arm the log for the attacker).
  EXPECT_TRUE(pool.take(6u).ok());
  clock.t += 1s;
  EXPECT_FALSE(pool.take(5u).ok());
  EXPECT_EQ(pool.lines_logged(), 2u);
  EXPECT_EQ(pool.status().refused_share, 1003u);
}

}  // namespace
}  // namespace swtee::os
