#include "drivers/optee/call_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace swtee::optee {
namespace {

TEST(CallQueue, CompletionSinceSnapshotReturnsAtOnce) {
  CallQueue q;
  uint64_t gen = q.generation();
  q.complete();
  q.wait(gen);  // must not block: a call finished after our SMC
  EXPECT_EQ(q.waiting(), 0u);
  EXPECT_EQ(q.total_waits(), 1u);
}

TEST(CallQueue, CompleteWakesWaitersInArrivalOrder) {
  CallQueue q(std::chrono::hours(1));  // no retry slice: only completions wake
  std::vector<int> order;
  std::mutex order_mu;
  std::vector<std::thread> ts;
  for (int i = 0; i < 3; ++i) {
    // Enqueue one at a time so arrival order is known.
    uint64_t gen = q.generation();
    ts.emplace_back([&, i, gen] {
      q.wait(gen);
      std::lock_guard<std::mutex> l(order_mu);
      order.push_back(i);
    });
    while (q.waiting() != static_cast<size_t>(i + 1)) std::this_thread::yield();
  }
  for (int i = 0; i < 3; ++i) {
    q.complete();
    // One completion wakes exactly one waiter: the longest-waiting one.
    while (true) {
      std::lock_guard<std::mutex> l(order_mu);
      if (order.size() == static_cast<size_t>(i + 1)) break;
    }
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(q.waiting(), 0u);
}

TEST(CallQueue, AbortReleasesEveryone) {
  CallQueue q(std::chrono::hours(1));
  std::atomic<int> done{0};
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i) {
    ts.emplace_back([&] {
      q.wait(q.generation());
      done++;
    });
  }
  q.abort();
  for (auto& t : ts) t.join();
  EXPECT_EQ(done.load(), 4);
  q.wait(q.generation());  // after abort: returns at once
}

}  // namespace
}  // namespace swtee::optee
