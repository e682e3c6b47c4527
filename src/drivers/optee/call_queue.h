// The call queue: callers whose yielding call got OPTEE_SMC_RETURN_ETHREAD_LIMIT
// sleep here, first in first out, until another yielding call completes,
// then retry. A caller is never failed for lack of secure threads.
//
// No lost wake-up: a caller reads generation() before its SMC and passes it
// to wait(); if a call completed in between, wait() returns at once. As a
// guard against a secure world that frees its thread only after answering,
// a waiter also retries after the retry slice even without a completion.
//
// Admission. The secure world said how many threads it has
// (OPTEE_SMC_GET_THREAD_COUNT). With set_thread_count(), a yielding call
// first takes one of them here (admit()), waiting in arrival order while
// none is free, and gives it back when it ends (release()). So a call does
// not make a round trip to the secure world only to hear ETHREAD_LIMIT
// (measured: with 16 clients on 4 threads, more such rebounds than calls).
// The secure world stays the authority: a call admitted here that still
// gets ETHREAD_LIMIT (a guest's share of the threads) waits as above.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>

#include "common/thread_annotations.h"

namespace swtee::optee {

class CallQueue {
 public:
  static constexpr std::chrono::milliseconds kRetrySlice{20};

  explicit CallQueue(std::chrono::milliseconds retry_slice = kRetrySlice) : retry_slice_(retry_slice) {}

  uint64_t generation() const EXCLUDES(mu_);
  // Sleeps until a call completes after `seen_generation` (or the retry
  // slice passes, or abort()). Waiters are woken in arrival order.
  void wait(uint64_t seen_generation) EXCLUDES(mu_);
  // A yielding call finished: wake the longest waiter.
  void complete() EXCLUDES(mu_);
  // Wakes everyone (secure world gone / shutdown); later waits return at once.
  void abort() EXCLUDES(mu_);

  // For tests and status: how many callers are waiting now / have waited.
  size_t waiting() const EXCLUDES(mu_);
  uint64_t total_waits() const EXCLUDES(mu_);

  // Admission (above). 0, the default: every call is admitted at once.
  void set_thread_count(uint32_t n) EXCLUDES(mu_);
  enum class Admit {
    Taken,      // a thread was taken: release() it when the call ends
    Unlimited,  // no count set: nothing to release
    Cancelled,  // *cancelled was set while waiting: nothing taken
    Aborted,    // abort(): nothing taken
  };
  // `cancelled` (may be null) is looked at every retry slice.
  Admit admit(const std::atomic<bool>* cancelled) EXCLUDES(mu_);
  void release() EXCLUDES(mu_);
  // For tests: callers waiting for admission now.
  size_t admission_waiting() const EXCLUDES(mu_);

 private:
  struct Waiter {
    CondVar cv;
    bool woken = false;
  };

  const std::chrono::milliseconds retry_slice_;
  mutable Mutex mu_;
  uint64_t generation_ GUARDED_BY(mu_) = 0;
  bool aborted_ GUARDED_BY(mu_) = false;
  std::deque<Waiter*> waiters_ GUARDED_BY(mu_);
  uint32_t threads_ GUARDED_BY(mu_) = 0;  // 0: no admission
  uint32_t free_ GUARDED_BY(mu_) = 0;
  std::deque<Waiter*> admit_waiters_ GUARDED_BY(mu_);  // woken = handed a thread
  uint64_t total_waits_ GUARDED_BY(mu_) = 0;
};

}  // namespace swtee::optee
