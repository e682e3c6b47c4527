#include "core/uid_quotas.h"

#include <algorithm>

namespace swtee::core {

Result<QuotaCharge> UidQuotas::take(uid_t uid, Pool pool, uint64_t n, const Uuid& ta) {
  const size_t p = static_cast<size_t>(pool);
  const Uuid key_ta = pool == Pool::SessionsPerTa ? ta : Uuid{};
  MutexLock l(mu_);
  uint64_t& mine = by_uid_[p][{uid, key_ta}];
  uint64_t& all = total_[p][key_ta];
  if (n > limits_[p].per_uid || mine > limits_[p].per_uid - n) {
    if (mine == 0) by_uid_[p].erase({uid, key_ta});
    return Error{ENOSPC, "this user's share of the pool is used up"};
  }
  if (n > limits_[p].global || all > limits_[p].global - n) {
    if (mine == 0) by_uid_[p].erase({uid, key_ta});
    return Error{ENOSPC, "the pool is full"};
  }
  mine += n;
  all += n;
  QuotaCharge c;
  c.q_ = shared_from_this();
  c.uid_ = uid;
  c.pool_ = pool;
  c.ta_ = key_ta;
  c.n_ = n;
  return c;
}

uint64_t UidQuotas::used(uid_t uid, Pool pool, const Uuid& ta) const {
  const size_t p = static_cast<size_t>(pool);
  MutexLock l(mu_);
  auto it = by_uid_[p].find({uid, pool == Pool::SessionsPerTa ? ta : Uuid{}});
  return it == by_uid_[p].end() ? 0 : it->second;
}

std::array<PoolLimit, kNumPools> pool_limits(uint64_t contexts, uint64_t shms, uint64_t shm_bytes,
                                             uint64_t sessions, uint64_t sessions_per_ta, uint64_t slots,
                                             unsigned share_percent) {
  const unsigned pct = std::clamp(share_percent, 1u, 100u);
  auto share = [pct](uint64_t global) {
    return std::max<uint64_t>(1, global / 100 * pct + global % 100 * pct / 100);
  };
  std::array<PoolLimit, kNumPools> l{};
  l[static_cast<size_t>(Pool::Contexts)] = {contexts, share(contexts)};
  l[static_cast<size_t>(Pool::Shms)] = {shms, share(shms)};
  l[static_cast<size_t>(Pool::ShmBytes)] = {shm_bytes, share(shm_bytes)};
  l[static_cast<size_t>(Pool::Sessions)] = {sessions, share(sessions)};
  l[static_cast<size_t>(Pool::SessionsPerTa)] = {sessions_per_ta, share(sessions_per_ta)};
  l[static_cast<size_t>(Pool::Slots)] = {slots, share(slots)};
  return l;
}

}  // namespace swtee::core
