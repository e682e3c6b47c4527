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

// ---- Admission: the driver's own count of secure threads.

TEST(CallQueueAdmission, WithoutACountEveryCallIsAdmitted) {
  CallQueue q;
  for (int i = 0; i < 100; ++i) EXPECT_EQ(q.admit(nullptr), CallQueue::Admit::Unlimited);
}

TEST(CallQueueAdmission, BeyondTheCountCallsWaitAndAreHandedThreadsInArrivalOrder) {
  CallQueue q(std::chrono::hours(1));
  q.set_thread_count(2);
  ASSERT_EQ(q.admit(nullptr), CallQueue::Admit::Taken);
  ASSERT_EQ(q.admit(nullptr), CallQueue::Admit::Taken);
  std::vector<int> order;
  std::mutex order_mu;
  std::vector<std::thread> ts;
  for (int i = 0; i < 3; ++i) {
    ts.emplace_back([&, i] {
      EXPECT_EQ(q.admit(nullptr), CallQueue::Admit::Taken);
      std::lock_guard<std::mutex> l(order_mu);
      order.push_back(i);
    });
    while (q.admission_waiting() != static_cast<size_t>(i + 1)) std::this_thread::yield();
  }
  {
    std::lock_guard<std::mutex> l(order_mu);
    EXPECT_TRUE(order.empty()) << "no thread free: nobody admitted";
  }
  for (int i = 0; i < 3; ++i) {
    q.release();  // one release hands one thread to the longest waiter
    while (true) {
      std::lock_guard<std::mutex> l(order_mu);
      if (order.size() == static_cast<size_t>(i + 1)) break;
    }
    EXPECT_EQ(q.admission_waiting(), static_cast<size_t>(2 - i));
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
  // 5 admitted, 3 released: 2 are held. Releasing them frees exactly 2;
  // a release too many frees nothing.
  q.release();
  q.release();
  q.release();  // one too many: ignored
  EXPECT_EQ(q.admit(nullptr), CallQueue::Admit::Taken);
  EXPECT_EQ(q.admit(nullptr), CallQueue::Admit::Taken);
  std::atomic<bool> cancelled{true};
  EXPECT_EQ(q.admit(&cancelled), CallQueue::Admit::Cancelled) << "a third would wait; it is cancelled";
}

TEST(CallQueueAdmission, ACancelledWaiterLeavesWithoutAThread) {
  CallQueue q(std::chrono::milliseconds(1));
  q.set_thread_count(1);
  ASSERT_EQ(q.admit(nullptr), CallQueue::Admit::Taken);
  std::atomic<bool> cancelled{false};
  CallQueue::Admit got = CallQueue::Admit::Taken;
  std::thread t([&] { got = q.admit(&cancelled); });
  while (q.admission_waiting() != 1) std::this_thread::yield();
  cancelled = true;
  t.join();
  EXPECT_EQ(got, CallQueue::Admit::Cancelled);
  EXPECT_EQ(q.admission_waiting(), 0u);
  q.release();
  EXPECT_EQ(q.admit(nullptr), CallQueue::Admit::Taken) << "the cancelled waiter took nothing";
}

TEST(CallQueueAdmission, AbortReleasesWaitersAndRefusesNewCalls) {
  CallQueue q(std::chrono::hours(1));
  q.set_thread_count(1);
  ASSERT_EQ(q.admit(nullptr), CallQueue::Admit::Taken);
  std::vector<std::thread> ts;
  std::atomic<int> aborted{0};
  for (int i = 0; i < 3; ++i)
    ts.emplace_back([&] {
      if (q.admit(nullptr) == CallQueue::Admit::Aborted) aborted++;
    });
  while (q.admission_waiting() != 3) std::this_thread::yield();
  q.abort();
  for (auto& t : ts) t.join();
  EXPECT_EQ(aborted.load(), 3);
  EXPECT_EQ(q.admit(nullptr), CallQueue::Admit::Aborted);
}

}  // namespace
}  // namespace swtee::optee
