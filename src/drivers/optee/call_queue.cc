#include "drivers/optee/call_queue.h"

#include <algorithm>

namespace swtee::optee {

uint64_t CallQueue::generation() const {
  MutexLock l(mu_);
  return generation_;
}

void CallQueue::wait(uint64_t seen_generation) {
  MutexLock l(mu_);
  ++total_waits_;
  if (aborted_ || generation_ != seen_generation) return;
  Waiter w;
  waiters_.push_back(&w);
  auto deadline = std::chrono::steady_clock::now() + retry_slice_;
  while (!w.woken && !aborted_) {
    if (!w.cv.wait_until(mu_, deadline)) break;
  }
  if (!w.woken) {
    auto it = std::find(waiters_.begin(), waiters_.end(), &w);
    if (it != waiters_.end()) waiters_.erase(it);
  }
}

void CallQueue::complete() {
  MutexLock l(mu_);
  ++generation_;
  if (!waiters_.empty()) {
    Waiter* w = waiters_.front();
    waiters_.pop_front();
    w->woken = true;
    w->cv.notify_one();
  }
}

void CallQueue::abort() {
  MutexLock l(mu_);
  aborted_ = true;
  for (Waiter* w : waiters_) {
    w->woken = true;
    w->cv.notify_one();
  }
  waiters_.clear();
}

size_t CallQueue::waiting() const {
  MutexLock l(mu_);
  return waiters_.size();
}

uint64_t CallQueue::total_waits() const {
  MutexLock l(mu_);
  return total_waits_;
}

}  // namespace swtee::optee
