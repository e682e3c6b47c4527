// Per-user shares of the core's pools. Every pool (connections, shm
// objects and bytes, sessions, sessions of one TA) has a global limit and a
// per-uid share well under it, so one user that fills its share leaves the
// rest to others. The uid is the peer's, from SO_PEERCRED. A take that
// would pass either limit takes nothing and fails; the caller answers the
// client with an error (EMFILE, ENOMEM, ENOSPC), never a hang.
#pragma once

#include <sys/types.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <utility>

#include "common/result.h"
#include "common/thread_annotations.h"
#include "common/uuid.h"

namespace swtee::core {

enum class Pool : uint8_t { Contexts, Shms, ShmBytes, Sessions, SessionsPerTa, Slots };
inline constexpr size_t kNumPools = 6;

struct PoolLimit {
  uint64_t global = 0;   // over all uids (for SessionsPerTa: per TA)
  uint64_t per_uid = 0;  // one uid's share
};

class UidQuotas;

// What one object holds of the pools; given back when destroyed. Move-only.
class QuotaCharge {
 public:
  QuotaCharge() = default;
  ~QuotaCharge() { reset(); }
  QuotaCharge(QuotaCharge&& o) noexcept { *this = std::move(o); }
  QuotaCharge& operator=(QuotaCharge&& o) noexcept;
  QuotaCharge(const QuotaCharge&) = delete;
  QuotaCharge& operator=(const QuotaCharge&) = delete;
  void reset();

 private:
  friend class UidQuotas;
  // Shared: a charge may outlive the device that made it (a shm the
  // driver still holds while swteed shuts down).
  std::shared_ptr<UidQuotas> q_;
  uid_t uid_ = 0;
  Pool pool_ = Pool::Contexts;
  Uuid ta_;
  uint64_t n_ = 0;
};

// Always owned by a shared_ptr (take() hands out charges that share it).
class UidQuotas : public std::enable_shared_from_this<UidQuotas> {
 public:
  explicit UidQuotas(const std::array<PoolLimit, kNumPools>& limits) : limits_(limits) {}
  UidQuotas(const UidQuotas&) = delete;
  UidQuotas& operator=(const UidQuotas&) = delete;

  // `n` units of `pool` for `uid` (`ta` only for SessionsPerTa). ENOSPC
  // (what says which limit) when over the uid's share or the global limit.
  Result<QuotaCharge> take(uid_t uid, Pool pool, uint64_t n, const Uuid& ta = {}) EXCLUDES(mu_);
  uint64_t used(uid_t uid, Pool pool, const Uuid& ta = {}) const EXCLUDES(mu_);
  const PoolLimit& limit(Pool pool) const { return limits_[static_cast<size_t>(pool)]; }

 private:
  friend class QuotaCharge;
  void give(uid_t uid, Pool pool, const Uuid& ta, uint64_t n) EXCLUDES(mu_);

  using Key = std::pair<uid_t, Uuid>;
  const std::array<PoolLimit, kNumPools> limits_;
  mutable Mutex mu_;
  // Per pool: uid (and TA) -> units; the global sum per pool (per TA).
  std::array<std::map<Key, uint64_t>, kNumPools> by_uid_ GUARDED_BY(mu_);
  std::array<std::map<Uuid, uint64_t>, kNumPools> total_ GUARDED_BY(mu_);
};

// Inline so that code which only destroys objects holding charges (the
// shm type in other libraries' tests) needs no link to the core.
inline QuotaCharge& QuotaCharge::operator=(QuotaCharge&& o) noexcept {
  if (this != &o) {
    reset();
    q_ = std::move(o.q_);
    o.q_.reset();
    uid_ = o.uid_;
    pool_ = o.pool_;
    ta_ = o.ta_;
    n_ = std::exchange(o.n_, 0);
  }
  return *this;
}

inline void QuotaCharge::reset() {
  if (q_ != nullptr && n_ != 0) q_->give(uid_, pool_, ta_, n_);
  q_.reset();
  n_ = 0;
}

inline void UidQuotas::give(uid_t uid, Pool pool, const Uuid& ta, uint64_t n) {
  const size_t p = static_cast<size_t>(pool);
  MutexLock l(mu_);
  auto it = by_uid_[p].find({uid, ta});
  if (it != by_uid_[p].end()) {
    it->second -= std::min(it->second, n);
    if (it->second == 0) by_uid_[p].erase(it);
  }
  auto t = total_[p].find(ta);
  if (t != total_[p].end()) {
    t->second -= std::min(t->second, n);
    if (t->second == 0) total_[p].erase(t);
  }
}

// The shares the core uses: `global` limits and each uid's `share_percent`
// of them (at least 1 unit).
std::array<PoolLimit, kNumPools> pool_limits(uint64_t contexts, uint64_t shms, uint64_t shm_bytes,
                                             uint64_t sessions, uint64_t sessions_per_ta, uint64_t slots,
                                             unsigned share_percent);

}  // namespace swtee::core
