#include "core/shm_registry.h"

#include <climits>

#include "core/tee_driver.h"

namespace swtee::core {
namespace {

void unregister_hook(void* drv, Shm& shm) { static_cast<TeeDriver*>(drv)->shm_unregister(shm); }

}  // namespace

int ShmRegistry::allocate_id() {
  // ids_ is bounded far below INT_MAX, so a free id exists.
  for (;;) {
    int id = next_id_;
    next_id_ = next_id_ == INT_MAX ? 1 : next_id_ + 1;
    if (!ids_.contains(id)) return id;
  }
}

Result<std::shared_ptr<Shm>> ShmRegistry::create(const Context* owner, Shm::Kind kind, UniqueFd memfd, uint64_t size,
                                                 TeeDriver* unregister_driver) {
  MutexLock l(mu_);
  uint32_t& count = per_context_[owner];
  if (count >= max_per_context_) {
    if (count == 0) per_context_.erase(owner);
    return Error{ENOSPC, "too many shm objects in context"};
  }
  int id = allocate_id();
  auto shm = std::make_shared<Shm>(id, kind, std::move(memfd), size, owner);
  if (unregister_driver != nullptr) shm->set_release_hook(&unregister_hook, unregister_driver);
  ids_.emplace(id, shm);
  ++count;
  return shm;
}

Result<std::shared_ptr<Shm>> ShmRegistry::get(const Context* owner, int id) {
  MutexLock l(mu_);
  auto it = ids_.find(id);
  if (it == ids_.end() || it->second->owner() != owner) return Error{EINVAL, "bad shm id"};
  return it->second;
}

Status ShmRegistry::release(const Context* owner, int id) {
  std::shared_ptr<Shm> dying;
  {
    MutexLock l(mu_);
    auto it = ids_.find(id);
    if (it == ids_.end() || it->second->owner() != owner) return Error{EINVAL, "bad shm id"};
    dying = std::move(it->second);
    ids_.erase(it);
    auto c = per_context_.find(owner);
    if (c != per_context_.end() && --c->second == 0) per_context_.erase(c);
  }
  return ok_status();  // `dying` goes here, outside the lock
}

void ShmRegistry::release_all(const Context* owner) {
  std::vector<std::shared_ptr<Shm>> dying;
  {
    MutexLock l(mu_);
    for (auto it = ids_.begin(); it != ids_.end();) {
      if (it->second->owner() == owner) {
        dying.push_back(std::move(it->second));
        it = ids_.erase(it);
      } else {
        ++it;
      }
    }
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
