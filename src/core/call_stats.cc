#include "core/call_stats.h"

#include "protocol/gp_results.h"

namespace swtee::core {

CallStats::Scope::Scope(CallStats& s, const Inflight& c) : stats_(s) {
  MutexLock l(s.mu_);
  it_ = s.inflight_.insert(s.inflight_.end(), c);
}

CallStats::Scope::~Scope() {
  if (!recorded_) done(0, /*transport_error=*/true);  // left by an early return: an error
  MutexLock l(stats_.mu_);
  stats_.inflight_.erase(it_);
}

void CallStats::Scope::done(uint32_t ret, bool transport_error) {
  if (recorded_) return;
  recorded_ = true;
  stats_.calls_.fetch_add(1, std::memory_order_relaxed);
  if (transport_error || ret != 0) stats_.errors_.fetch_add(1, std::memory_order_relaxed);
  if (!transport_error && ret == kTeeErrorTargetDead) stats_.panics_.fetch_add(1, std::memory_order_relaxed);
}

CallStats::Snapshot CallStats::snapshot() const {
  Snapshot s;
  s.calls = calls_.load(std::memory_order_relaxed);
  s.errors = errors_.load(std::memory_order_relaxed);
  s.panics = panics_.load(std::memory_order_relaxed);
  MutexLock l(mu_);
  s.inflight.assign(inflight_.begin(), inflight_.end());
  return s;
}

}  // namespace swtee::core
