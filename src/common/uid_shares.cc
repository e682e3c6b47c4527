#include "common/uid_shares.h"

#include <algorithm>

namespace swtee {

uint64_t uid_share(uint64_t global, unsigned percent) {
  const unsigned pct = std::clamp(percent, 1u, 100u);
  return std::max<uint64_t>(1, global / 100 * pct + global % 100 * pct / 100);
}

Result<ShareCharge> UidShares::take(std::optional<uid_t> uid, uint64_t n, const Uuid& sub) {
  MutexLock l(mu_);
  auto t = total_.find(sub);
  const uint64_t all = t == total_.end() ? 0 : t->second;
  if (uid) {
    auto m = by_uid_.find({*uid, sub});
    const uint64_t mine = m == by_uid_.end() ? 0 : m->second;
    if (n > limit_.per_uid || mine > limit_.per_uid - n)
      return Error{kShareUsedUp, "this user's share of the pool is used up"};
  }
  if (n > limit_.global || all > limit_.global - n) return Error{kPoolFull, "the pool is full"};
  if (uid) by_uid_[{*uid, sub}] += n;
  total_[sub] += n;
  ShareCharge c;
  c.q_ = shared_from_this();
  c.uid_ = uid;
  c.sub_ = sub;
  c.n_ = n;
  return c;
}

void UidShares::give(const std::optional<uid_t>& uid, const Uuid& sub, uint64_t n) {
  MutexLock l(mu_);
  if (uid) {
    auto it = by_uid_.find({*uid, sub});
    if (it != by_uid_.end()) {
      it->second -= std::min(it->second, n);
      if (it->second == 0) by_uid_.erase(it);
    }
  }
  auto t = total_.find(sub);
  if (t != total_.end()) {
    t->second -= std::min(t->second, n);
    if (t->second == 0) total_.erase(t);
  }
}

uint64_t UidShares::used(uid_t uid, const Uuid& sub) const {
  MutexLock l(mu_);
  auto it = by_uid_.find({uid, sub});
  return it == by_uid_.end() ? 0 : it->second;
}

uint64_t UidShares::total(const Uuid& sub) const {
  MutexLock l(mu_);
  auto it = total_.find(sub);
  return it == total_.end() ? 0 : it->second;
}

}  // namespace swtee
