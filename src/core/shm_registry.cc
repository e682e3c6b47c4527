#include "core/shm_registry.h"

#include "core/context.h"
#include "core/tee_driver.h"

namespace swtee::core {
namespace {

void unregister_hook(void* drv, Shm& shm) { static_cast<TeeDriver*>(drv)->shm_unregister(shm); }

}  // namespace

Result<std::shared_ptr<Shm>> ShmRegistry::create(const Context* owner, Shm::Kind kind, UniqueFd memfd,
                                                 uint64_t size, TeeDriver* unregister_driver) {
  QuotaCharge object, bytes;
  if (quotas_ != nullptr && owner != nullptr) {
    auto o = quotas_->take(owner->peer().uid, Pool::Shms, 1);
    if (!o.ok()) return Error{ENOMEM, "shm objects: this user's share or the pool is used up"};
    auto b = quotas_->take(owner->peer().uid, Pool::ShmBytes, size);
    if (!b.ok()) return Error{ENOMEM, "shm bytes: this user's share or the pool is used up"};
    object = std::move(*o);
    bytes = std::move(*b);
  }
  MutexLock l(mu_);
  uint32_t& count = per_context_[owner];
  if (count >= max_per_context_) {
    if (count == 0) per_context_.erase(owner);
    return Error{ENOSPC, "too many shm objects in context"};
  }
  // The Shm needs its id before it exists: reserve one, then fill it in.
  auto id = ids_.insert_new(nullptr);
  if (!id.ok()) {
    if (count == 0) per_context_.erase(owner);
    return Error{ENOSPC, "too many shm objects on the device"};
  }
  auto shm = std::make_shared<Shm>(*id, kind, std::move(memfd), size, owner);
  if (unregister_driver != nullptr) shm->set_release_hook(&unregister_hook, unregister_driver);
  shm->hold(std::move(object), std::move(bytes));
  *ids_.find(*id) = shm;
  ++count;
  return shm;
}

Result<std::shared_ptr<Shm>> ShmRegistry::get(const Context* owner, int id) {
  MutexLock l(mu_);
  const std::shared_ptr<Shm>* shm = ids_.find(id);
  if (shm == nullptr || (*shm)->owner() != owner) return Error{EINVAL, "bad shm id"};
  return *shm;
}

Status ShmRegistry::release(const Context* owner, int id) {
  std::shared_ptr<Shm> dying;
  {
    MutexLock l(mu_);
    const std::shared_ptr<Shm>* shm = ids_.find(id);
    if (shm == nullptr || (*shm)->owner() != owner) return Error{EINVAL, "bad shm id"};
    dying = *ids_.remove(id);
    auto c = per_context_.find(owner);
    if (c != per_context_.end() && --c->second == 0) per_context_.erase(c);
  }
  return ok_status();  // `dying` goes here, outside the lock
}

void ShmRegistry::release_all(const Context* owner) {
  std::vector<std::shared_ptr<Shm>> dying;
  {
    MutexLock l(mu_);
    dying = ids_.take_if([owner](int, const std::shared_ptr<Shm>& s) { return s->owner() == owner; });
    per_context_.erase(owner);
  }
}

uint32_t ShmRegistry::live() const {
  MutexLock l(mu_);
  return static_cast<uint32_t>(ids_.size());
}

uint32_t ShmRegistry::live_of(const Context* owner) const {
  MutexLock l(mu_);
  auto it = per_context_.find(owner);
  return it == per_context_.end() ? 0 : it->second;
}

}  // namespace swtee::core
