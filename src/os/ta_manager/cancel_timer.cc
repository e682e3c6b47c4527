#include "os/ta_manager/cancel_timer.h"

#include <system_error>

#include "common/log.h"

namespace swtee::os {

CancelTimer::~CancelTimer() {
  {
    MutexLock l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

CancelTimer::Id CancelTimer::schedule(Clock::time_point when, std::function<void()> fn) {
  bool wake = false;
  Id id = 0;
  {
    MutexLock l(mu_);
    if (stop_ || by_id_.size() >= kMaxPending) return 0;
    if (!started_) {
      // The thread is this object's; it stops in the destructor.
      std::thread t;
      try {
        t = std::thread([this] { run(); });
      } catch (const std::system_error& e) {
        log::error("cancel timer: cannot start its thread: {}", e.what());
        return 0;
      }
      thread_ = std::move(t);
      started_ = true;
    }
    id = next_id_++;
    wake = queue_.empty() || when < queue_.begin()->first.first;
    queue_.emplace(std::make_pair(when, id), std::move(fn));
    by_id_.emplace(id, when);
  }
  if (wake) cv_.notify_all();
  return id;
}

bool CancelTimer::cancel(Id id) {
  if (id == 0) return false;
  MutexLock l(mu_);
  auto it = by_id_.find(id);
  if (it != by_id_.end()) {
    queue_.erase(std::make_pair(it->second, id));
    by_id_.erase(it);
    return true;
  }
  while (running_ == id) done_cv_.wait(mu_);
  return false;
}

size_t CancelTimer::pending() const {
  MutexLock l(mu_);
  return by_id_.size();
}

uint64_t CancelTimer::fired() const {
  MutexLock l(mu_);
  return fired_;
}

void CancelTimer::run() {
  MutexLock l(mu_);
  while (!stop_) {
    if (queue_.empty()) {
      cv_.wait(mu_);
      continue;
    }
    auto first = queue_.begin();
    const auto when = first->first.first;
    if (Clock::now() < when) {
      (void)cv_.wait_until(mu_, when);
      continue;
    }
    const Id id = first->first.second;
    std::function<void()> fn = std::move(first->second);
    queue_.erase(first);
    by_id_.erase(id);
    running_ = id;
    ++fired_;
    mu_.unlock();
    fn();
    mu_.lock();
    running_ = 0;
    done_cv_.notify_all();
  }
}

}  // namespace swtee::os
