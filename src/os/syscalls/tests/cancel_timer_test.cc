#include "os/ta_manager/cancel_timer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "os/os_types.h"

namespace swtee::os {
namespace {

using namespace std::chrono_literals;

TEST(CancelTimer, FiresOnceAtItsDeadline) {
  CancelTimer t;
  std::promise<void> fired;
  auto f = fired.get_future();
  auto id = t.schedule(CancelTimer::Clock::now(), [&] { fired.set_value(); });
  ASSERT_NE(id, 0u);
  f.wait();
  EXPECT_FALSE(t.cancel(id));  // already ran
  EXPECT_EQ(t.fired(), 1u);
  EXPECT_EQ(t.pending(), 0u);
}

TEST(CancelTimer, CancelledDeadlineNeverFires) {
  CancelTimer t;
  std::atomic<int> runs{0};
  auto id = t.schedule(CancelTimer::Clock::now() + 1h, [&] { ++runs; });
  ASSERT_NE(id, 0u);
  EXPECT_EQ(t.pending(), 1u);
  EXPECT_TRUE(t.cancel(id));
  EXPECT_EQ(t.pending(), 0u);
  EXPECT_EQ(runs.load(), 0);
  EXPECT_FALSE(t.cancel(id));
  EXPECT_FALSE(t.cancel(0));
}

TEST(CancelTimer, EarlierDeadlineOvertakesALaterOne) {
  CancelTimer t;
  std::atomic<int> late{0};
  std::promise<void> early;
  auto f = early.get_future();
  auto a = t.schedule(CancelTimer::Clock::now() + 1h, [&] { ++late; });
  auto b = t.schedule(CancelTimer::Clock::now(), [&] { early.set_value(); });
  ASSERT_NE(a, 0u);
  ASSERT_NE(b, 0u);
  f.wait();
  EXPECT_TRUE(t.cancel(a));
  EXPECT_EQ(late.load(), 0);
}

TEST(CancelTimer, CancelWaitsForARunningCallback) {
  CancelTimer t;
  std::promise<void> started;
  std::promise<void> release;
  auto release_f = release.get_future().share();
  std::atomic<bool> finished{false};
  auto id = t.schedule(CancelTimer::Clock::now(), [&] {
    started.set_value();
    release_f.wait();
    finished = true;
  });
  started.get_future().wait();
  auto canceller = std::async(std::launch::async, [&] { return t.cancel(id); });
  release.set_value();
  EXPECT_FALSE(canceller.get());
  EXPECT_TRUE(finished.load());  // cancel returned only after the callback ended
}

TEST(CancelTimer, BoundedPendingDeadlines) {
  CancelTimer t;
  std::vector<CancelTimer::Id> ids;
  for (size_t i = 0; i < CancelTimer::kMaxPending; ++i) {
    auto id = t.schedule(CancelTimer::Clock::now() + 1h, [] {});
    ASSERT_NE(id, 0u);
    ids.push_back(id);
  }
  EXPECT_EQ(t.schedule(CancelTimer::Clock::now() + 1h, [] {}), 0u);
  EXPECT_TRUE(t.cancel(ids.front()));
  EXPECT_NE(t.schedule(CancelTimer::Clock::now() + 1h, [] {}), 0u);
}

TEST(CancelStateChain, RequestReachesTheLinkedChildOnly) {
  CancelState parent, child;
  int parent_hook = 0, child_hook = 0;
  parent.set_hook([&] { ++parent_hook; });
  child.set_hook([&] { ++child_hook; });
  parent.set_child(&child);
  parent.request();
  EXPECT_TRUE(child.requested());
  EXPECT_EQ(parent_hook, 1);
  EXPECT_EQ(child_hook, 1);
  parent.set_child(nullptr);
}

TEST(CancelStateChain, UnlinkedChildIsNotReached) {
  CancelState parent, child;
  parent.set_child(&child);
  parent.set_child(nullptr);
  parent.request();
  EXPECT_FALSE(child.requested());
}

TEST(CancelStateChain, LinkingToACancelledParentCancelsAtOnce) {
  CancelState parent, child;
  parent.request();
  parent.set_child(&child);
  EXPECT_TRUE(child.requested());
  parent.set_child(nullptr);
}

TEST(CancelStateChain, ChainsThreeDeep) {
  CancelState a, b, c;
  a.set_child(&b);
  b.set_child(&c);
  a.request();
  EXPECT_TRUE(c.requested());
  b.set_child(nullptr);
  a.set_child(nullptr);
}

}  // namespace
}  // namespace swtee::os
