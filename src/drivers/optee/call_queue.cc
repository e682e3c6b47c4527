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
  for (Waiter* w : admit_waiters_) w->cv.notify_one();  // not woken: they see aborted_
  admit_waiters_.clear();
}

void CallQueue::set_thread_count(uint32_t n) {
  MutexLock l(mu_);
  threads_ = n;
  free_ = n;
}

CallQueue::Admit CallQueue::admit(const std::atomic<bool>* cancelled) {
  MutexLock l(mu_);
  if (aborted_) return Admit::Aborted;
  if (threads_ == 0) return Admit::Unlimited;
  if (free_ > 0 && admit_waiters_.empty()) {
    --free_;
    return Admit::Taken;
  }
  if (cancelled != nullptr && cancelled->load(std::memory_order_acquire)) return Admit::Cancelled;
  Waiter w;
  admit_waiters_.push_back(&w);
  for (;;) {
    (void)w.cv.wait_until(mu_, std::chrono::steady_clock::now() + retry_slice_);
    if (w.woken) return Admit::Taken;  // release() handed its thread over
    const bool gave_up = aborted_ || (cancelled != nullptr && cancelled->load(std::memory_order_acquire));
    if (!gave_up) continue;
    auto it = std::find(admit_waiters_.begin(), admit_waiters_.end(), &w);
    if (it != admit_waiters_.end()) admit_waiters_.erase(it);
    return aborted_ ? Admit::Aborted : Admit::Cancelled;
  }
}

void CallQueue::release() {
  MutexLock l(mu_);
  if (!admit_waiters_.empty()) {
    Waiter* w = admit_waiters_.front();
    admit_waiters_.pop_front();
    w->woken = true;
    w->cv.notify_one();
    return;
  }
  if (free_ < threads_) ++free_;
}

size_t CallQueue::admission_waiting() const {
  MutexLock l(mu_);
  return admit_waiters_.size();
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
