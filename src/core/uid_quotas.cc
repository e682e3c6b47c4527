#include "core/uid_quotas.h"

namespace swtee::core {

UidQuotas::UidQuotas(const std::array<PoolLimit, kNumPools>& limits) {
  for (size_t i = 0; i < kNumPools; ++i) pools_[i] = UidShares::create(limits[i]);
}

Result<QuotaCharge> UidQuotas::take(uid_t uid, Pool pool, uint64_t n, const Uuid& ta) {
  return pools_[static_cast<size_t>(pool)]->take(uid, n, pool == Pool::SessionsPerTa ? ta : Uuid{});
}

uint64_t UidQuotas::used(uid_t uid, Pool pool, const Uuid& ta) const {
  return pools_[static_cast<size_t>(pool)]->used(uid, pool == Pool::SessionsPerTa ? ta : Uuid{});
}

std::array<PoolLimit, kNumPools> pool_limits(uint64_t contexts, uint64_t shms, uint64_t shm_bytes,
                                             uint64_t sessions, uint64_t sessions_per_ta, uint64_t slots,
                                             unsigned share_percent) {
  std::array<PoolLimit, kNumPools> l{};
  l[static_cast<size_t>(Pool::Contexts)] = share_limit(contexts, share_percent);
  l[static_cast<size_t>(Pool::Shms)] = share_limit(shms, share_percent);
  l[static_cast<size_t>(Pool::ShmBytes)] = share_limit(shm_bytes, share_percent);
  l[static_cast<size_t>(Pool::Sessions)] = share_limit(sessions, share_percent);
  l[static_cast<size_t>(Pool::SessionsPerTa)] = share_limit(sessions_per_ta, share_percent);
  l[static_cast<size_t>(Pool::Slots)] = share_limit(slots, share_percent);
  return l;
}

}  // namespace swtee::core
