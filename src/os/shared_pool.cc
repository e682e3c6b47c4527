#include "os/shared_pool.h"

#include <algorithm>

#include "common/log.h"

namespace swtee::os {
namespace {

uint32_t clamp32(uint64_t v) { return static_cast<uint32_t>(std::min<uint64_t>(v, UINT32_MAX)); }

}  // namespace

Result<ShareCharge> SharedPool::take(std::optional<uint32_t> uid) {
  auto c = shares_->take(uid, 1);
  if (!c.ok()) refused(uid, c.error().code);
  return c;
}

void SharedPool::refused(std::optional<uint32_t> uid, int code) {
  const bool share = code == kShareUsedUp;
  (share ? refused_share_ : refused_full_).fetch_add(1, std::memory_order_relaxed);
  const Clock::time_point now = now_();
  uint64_t before = 0;
  {
    MutexLock l(mu_);
    const bool new_burst = !last_refusal_ || now - *last_refusal_ >= kQuietGap;
    last_refusal_ = now;
    if (!new_burst) {
      ++in_burst_;
      return;
    }
    before = in_burst_;
    in_burst_ = 1;
  }
  lines_.fetch_add(1, std::memory_order_relaxed);
  const ShareLimit& l = shares_->limit();
  const std::string who = uid ? "uid " + std::to_string(*uid) : std::string("a client without a uid");
  const std::string prev = before > 0 ? " (the burst before refused " + std::to_string(before) + ")" : "";
  if (share)
    log::warn(
        "{}: refused for {}: its share ({} of {}) is in use; further refusals within {} s are counted only{}",
        name_, who, l.per_uid, l.global, std::chrono::duration_cast<std::chrono::seconds>(kQuietGap).count(),
        prev);
  else
    log::warn("{}: refused for {}: the pool ({}) is full; further refusals within {} s are counted only{}",
              name_, who, l.global, std::chrono::duration_cast<std::chrono::seconds>(kQuietGap).count(),
              prev);
}

osstat::PoolStatus SharedPool::status() const {
  const ShareLimit& l = shares_->limit();
  osstat::PoolStatus s{};
  s.global = clamp32(l.global);
  s.per_uid = clamp32(std::min(l.per_uid, l.global));
  s.used = clamp32(std::min(shares_->total(), l.global));
  s.refused_share = refused_share_.load(std::memory_order_relaxed);
  s.refused_full = refused_full_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace swtee::os
