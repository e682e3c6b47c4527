#include "core/session_set.h"

namespace swtee::core {

Status SessionSet::check_room() const {
  MutexLock l(mu_);
  if (ids_.full()) return Error{ENOSPC, "too many sessions in context"};
  return ok_status();
}

Status SessionSet::add(uint32_t session, const Uuid& ta, std::vector<QuotaCharge> charges) {
  MutexLock l(mu_);
  if (Status st = ids_.insert(session, Entry{ta, std::move(charges)}); !st.ok())
    return st.error().in("session id from the driver");
  device_total_.fetch_add(1, std::memory_order_relaxed);
  return ok_status();
}

bool SessionSet::contains(uint32_t session) const {
  MutexLock l(mu_);
  return ids_.contains(session);
}

std::optional<Uuid> SessionSet::ta_of(uint32_t session) const {
  MutexLock l(mu_);
  const Entry* e = ids_.find(session);
  if (e == nullptr) return std::nullopt;
  return e->ta;
}

bool SessionSet::remove(uint32_t session) {
  MutexLock l(mu_);
  if (!ids_.remove(session)) return false;
  device_total_.fetch_sub(1, std::memory_order_relaxed);
  return true;
}

std::vector<uint32_t> SessionSet::take_all() {
  MutexLock l(mu_);
  std::vector<uint32_t> out = ids_.ids();
  device_total_.fetch_sub(static_cast<uint32_t>(out.size()), std::memory_order_relaxed);
  (void)ids_.take_all();
  return out;
}

uint32_t SessionSet::size() const {
  MutexLock l(mu_);
  return static_cast<uint32_t>(ids_.size());
}

}  // namespace swtee::core
