#include "core/guest_table.h"

namespace swtee::core {

GuestRef& GuestRef::operator=(GuestRef&& o) noexcept {
  if (this != &o) {
    reset();
    table_ = std::exchange(o.table_, nullptr);
    id_ = std::exchange(o.id_, kHostGuestId);
  }
  return *this;
}

void GuestRef::reset() {
  if (table_ != nullptr) std::exchange(table_, nullptr)->detach(id_);
  id_ = kHostGuestId;
}

Status GuestTable::create(uint32_t id) {
  if (id == kHostGuestId) return Error{EINVAL, "guest id 0 is the host's own clients"};
  MutexLock l(mu_);
  Entry& e = guests_[id];
  if (e.live) return Error{EEXIST, "guest is already live"};
  if (e.contexts != 0) return Error{EBUSY, "contexts of the guest's earlier connection are still closing"};
  e.live = true;
  return ok_status();
}

Status GuestTable::destroy(uint32_t id) {
  MutexLock l(mu_);
  auto it = guests_.find(id);
  if (it == guests_.end() || !it->second.live) return Error{ENOENT, "no such guest"};
  it->second.live = false;
  if (it->second.contexts == 0) guests_.erase(it);
  return ok_status();
}

bool GuestTable::live(uint32_t id) const {
  if (id == kHostGuestId) return true;
  MutexLock l(mu_);
  auto it = guests_.find(id);
  return it != guests_.end() && it->second.live;
}

Result<GuestRef> GuestTable::attach(uint32_t id) {
  if (id == kHostGuestId) return GuestRef();
  MutexLock l(mu_);
  auto it = guests_.find(id);
  if (it == guests_.end() || !it->second.live) return Error{ENOENT, "guest not announced or gone"};
  ++it->second.contexts;
  return GuestRef(this, id);
}

uint32_t GuestTable::contexts(uint32_t id) const {
  MutexLock l(mu_);
  auto it = guests_.find(id);
  return it == guests_.end() ? 0 : it->second.contexts;
}

bool GuestTable::wait_drained(uint32_t id, std::chrono::steady_clock::time_point deadline) {
  MutexLock l(mu_);
  for (;;) {
    auto it = guests_.find(id);
    if (it == guests_.end() || it->second.contexts == 0) return true;
    if (!drained_.wait_until(mu_, deadline) && std::chrono::steady_clock::now() >= deadline) {
      it = guests_.find(id);
      return it == guests_.end() || it->second.contexts == 0;
    }
  }
}

void GuestTable::detach(uint32_t id) {
  {
    MutexLock l(mu_);
    auto it = guests_.find(id);
    if (it == guests_.end() || it->second.contexts == 0) return;
    if (--it->second.contexts == 0 && !it->second.live) guests_.erase(it);
  }
  drained_.notify_all();
}

}  // namespace swtee::core
