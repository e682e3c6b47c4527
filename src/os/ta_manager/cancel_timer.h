// Deadlines for TA calls: TA-to-TA calls' cancellationRequestTimeout (the
// callee's call gets a cancellation request) and the OS's call limits
// (call_limits.h: the instance is killed). When one elapses, its callback
// runs on the timer's thread, started on first use; callbacks must be
// short and must not call back into the timer.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <thread>
#include <utility>

#include "common/thread_annotations.h"

namespace swtee::os {

class CancelTimer {
 public:
  using Clock = std::chrono::steady_clock;
  using Id = uint64_t;

  // Pending deadlines at most; schedule() beyond it returns 0 (the caller
  // then runs without a deadline's help and fails the call cleanly).
  static constexpr size_t kMaxPending = 4096;

  CancelTimer() = default;
  ~CancelTimer();
  CancelTimer(const CancelTimer&) = delete;
  CancelTimer& operator=(const CancelTimer&) = delete;

  // Runs `fn` once at `when` unless cancelled first. 0: refused (limit or
  // the thread cannot start).
  Id schedule(Clock::time_point when, std::function<void()> fn) EXCLUDES(mu_);
  // After cancel() returns, the callback of `id` is not running and never
  // will. True when it had not run. Unknown ids (and 0) are ignored.
  bool cancel(Id id) EXCLUDES(mu_);

  size_t pending() const EXCLUDES(mu_);
  uint64_t fired() const EXCLUDES(mu_);

 private:
  void run() EXCLUDES(mu_);

  mutable Mutex mu_;
  CondVar cv_;       // new earliest deadline, or stop
  CondVar done_cv_;  // a callback finished
  std::map<std::pair<Clock::time_point, Id>, std::function<void()>> queue_ GUARDED_BY(mu_);
  std::map<Id, Clock::time_point> by_id_ GUARDED_BY(mu_);
  Id next_id_ GUARDED_BY(mu_) = 1;
  Id running_ GUARDED_BY(mu_) = 0;
  uint64_t fired_ GUARDED_BY(mu_) = 0;
  bool stop_ GUARDED_BY(mu_) = false;
  bool started_ GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace swtee::os
