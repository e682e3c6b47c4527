#include "drivers/optee/wait_queue.h"

#include <chrono>

namespace swtee::optee {

WaitQueue::Entry* WaitQueue::get_locked(uint64_t key) {
  auto it = keys_.find(key);
  if (it != keys_.end()) return it->second.get();
  if (keys_.size() >= kMaxKeys) return nullptr;
  auto [ins, ok] = keys_.emplace(key, std::make_unique<Entry>());
  return ins->second.get();
}

void WaitQueue::drop_if_idle_locked(uint64_t key) {
  auto it = keys_.find(key);
  if (it != keys_.end() && it->second->pending == 0 && it->second->waiters == 0) keys_.erase(it);
}

WaitQueue::WaitResult WaitQueue::wait(uint64_t key, uint32_t timeout_ms) {
  MutexLock l(mu_);
  if (aborted_) return WaitResult::Aborted;
  Entry* e = get_locked(key);
  if (e == nullptr) return WaitResult::Full;
  ++e->waiters;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  WaitResult res = WaitResult::Woken;
  while (e->pending == 0) {
    if (aborted_) {
      res = WaitResult::Aborted;
      break;
    }
    if (timeout_ms == 0) {
      e->cv.wait(mu_);
    } else if (!e->cv.wait_until(mu_, deadline) && e->pending == 0) {
      res = WaitResult::TimedOut;
      break;
    }
  }
  if (res == WaitResult::Woken) --e->pending;
  --e->waiters;
  drop_if_idle_locked(key);
  return res;
}

bool WaitQueue::send(uint64_t key) {
  MutexLock l(mu_);
  Entry* e = get_locked(key);
  if (e == nullptr) return false;
  if (e->pending < kMaxPendingSends) ++e->pending;
  e->cv.notify_one();
  return true;
}

void WaitQueue::abort() {
  MutexLock l(mu_);
  aborted_ = true;
  for (auto& [k, e] : keys_) e->cv.notify_all();
}

size_t WaitQueue::live_keys() const {
  MutexLock l(mu_);
  return keys_.size();
}

}  // namespace swtee::optee
