// Per-user shares of the core's pools. Every pool (connections, shm
// objects and bytes, sessions, sessions of one TA, request slots) has a
// global limit and a per-uid share well under it, so one user that fills
// its share leaves the rest to others. The uid is the peer's, from
// SO_PEERCRED. A take that would pass either limit takes nothing and fails;
// the caller answers the client with an error (EMFILE, ENOMEM, ENOSPC),
// never a hang. Each pool is one common/uid_shares.h table (the one swtee-os
// uses for its own pools too).
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <memory>

#include "common/result.h"
#include "common/uid_shares.h"
#include "common/uuid.h"

namespace swtee::core {

enum class Pool : uint8_t { Contexts, Shms, ShmBytes, Sessions, SessionsPerTa, Slots };
inline constexpr size_t kNumPools = 6;

// For SessionsPerTa, `global` is per TA.
using PoolLimit = ShareLimit;
// What one object holds of a pool; given back when destroyed.
using QuotaCharge = ShareCharge;

class UidQuotas {
 public:
  explicit UidQuotas(const std::array<PoolLimit, kNumPools>& limits);
  UidQuotas(const UidQuotas&) = delete;
  UidQuotas& operator=(const UidQuotas&) = delete;

  // `n` units of `pool` for `uid` (`ta` only for SessionsPerTa). An error
  // (kShareUsedUp or kPoolFull; its text says which limit) when over the
  // uid's share or the global limit.
  Result<QuotaCharge> take(uid_t uid, Pool pool, uint64_t n, const Uuid& ta = {});
  uint64_t used(uid_t uid, Pool pool, const Uuid& ta = {}) const;
  const PoolLimit& limit(Pool pool) const { return pools_[static_cast<size_t>(pool)]->limit(); }

 private:
  std::array<std::shared_ptr<UidShares>, kNumPools> pools_;
};

// The shares the core uses: `global` limits and each uid's `share_percent`
// of them (at least 1 unit; common/uid_shares.h, uid_share).
std::array<PoolLimit, kNumPools> pool_limits(uint64_t contexts, uint64_t shms, uint64_t shm_bytes,
                                             uint64_t sessions, uint64_t sessions_per_ta, uint64_t slots,
                                             unsigned share_percent);

}  // namespace swtee::core
