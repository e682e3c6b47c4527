// Per-user shares of a pool: the one accounting table behind swteed's pools
// (core/uid_quotas.h) and swtee-os's (os/shared_pool.h). A pool has a
// global limit and a share one uid may hold, well under it, so a user that
// fills its share leaves the rest to others. A take that would pass either
// limit takes nothing and fails; the caller answers with an error, never a
// hang. What is taken is held by a move-only ShareCharge and given back
// when the charge goes.
//
// A pool may be split by a key (sessions per TA: `sub` is the TA's UUID):
// each key then has its own global limit and each (uid, key) its own
// share. A taker whose uid is unknown (std::nullopt) is held to the global
// limit only.
#pragma once

#include <sys/types.h>

#include <cerrno>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <utility>

#include "common/result.h"
#include "common/thread_annotations.h"
#include "common/uuid.h"

namespace swtee {

struct ShareLimit {
  uint64_t global = 0;   // over all uids (per key, for a split pool)
  uint64_t per_uid = 0;  // one uid's share
};

// `percent` (clamped to 1..100) of `global`, rounded down, at least 1.
uint64_t uid_share(uint64_t global, unsigned percent);
inline ShareLimit share_limit(uint64_t global, unsigned percent) {
  return {global, uid_share(global, percent)};
}

// The error codes of a refused take.
inline constexpr int kShareUsedUp = EDQUOT;  // the uid's share is used up
inline constexpr int kPoolFull = ENOSPC;     // the pool (or the key's) is full

class UidShares;

// What one object holds of a pool; given back when destroyed. Move-only.
class ShareCharge {
 public:
  ShareCharge() = default;
  ~ShareCharge() { reset(); }
  ShareCharge(ShareCharge&& o) noexcept { *this = std::move(o); }
  ShareCharge& operator=(ShareCharge&& o) noexcept;
  ShareCharge(const ShareCharge&) = delete;
  ShareCharge& operator=(const ShareCharge&) = delete;
  void reset();
  uint64_t units() const { return n_; }

 private:
  friend class UidShares;
  // Shared: a charge may outlive the owner of the pool (a shm the driver
  // still holds while swteed shuts down).
  std::shared_ptr<UidShares> q_;
  std::optional<uid_t> uid_;
  Uuid sub_;
  uint64_t n_ = 0;
};

// Always owned by a shared_ptr (take() hands out charges that share it).
class UidShares : public std::enable_shared_from_this<UidShares> {
 public:
  explicit UidShares(ShareLimit limit) : limit_(limit) {}
  static std::shared_ptr<UidShares> create(ShareLimit limit) { return std::make_shared<UidShares>(limit); }
  UidShares(const UidShares&) = delete;
  UidShares& operator=(const UidShares&) = delete;

  // `n` units for `uid` (of key `sub`). kShareUsedUp when over the uid's
  // share, kPoolFull when over the global limit.
  Result<ShareCharge> take(std::optional<uid_t> uid, uint64_t n, const Uuid& sub = {}) EXCLUDES(mu_);
  uint64_t used(uid_t uid, const Uuid& sub = {}) const EXCLUDES(mu_);
  uint64_t total(const Uuid& sub = {}) const EXCLUDES(mu_);
  const ShareLimit& limit() const { return limit_; }

 private:
  friend class ShareCharge;
  void give(const std::optional<uid_t>& uid, const Uuid& sub, uint64_t n) EXCLUDES(mu_);

  const ShareLimit limit_;
  mutable Mutex mu_;
  // (uid, key) -> units; key -> units over all takers.
  std::map<std::pair<uid_t, Uuid>, uint64_t> by_uid_ GUARDED_BY(mu_);
  std::map<Uuid, uint64_t> total_ GUARDED_BY(mu_);
};

inline ShareCharge& ShareCharge::operator=(ShareCharge&& o) noexcept {
  if (this != &o) {
    reset();
    q_ = std::move(o.q_);
    o.q_.reset();
    uid_ = o.uid_;
    sub_ = o.sub_;
    n_ = std::exchange(o.n_, 0);
  }
  return *this;
}

inline void ShareCharge::reset() {
  if (q_ != nullptr && n_ != 0) q_->give(uid_, sub_, n_);
  q_.reset();
  n_ = 0;
}

}  // namespace swtee
