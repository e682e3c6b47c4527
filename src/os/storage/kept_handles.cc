#include "os/storage/kept_handles.h"

#include <algorithm>

namespace swtee::os::storage {

uint64_t KeptHandles::new_owner() {
  MutexLock l(mu_);
  return next_owner_++;
}

std::optional<FsHandle> KeptHandles::take(uint64_t owner, uint32_t slot) {
  MutexLock l(mu_);
  auto it = std::find_if(lru_.begin(), lru_.end(),
                         [&](const Entry& e) { return e.owner == owner && e.slot == slot; });
  if (it == lru_.end()) return std::nullopt;
  const FsHandle h = it->handle;
  lru_.erase(it);
  return h;
}

std::vector<FsHandle> KeptHandles::put(uint64_t owner, uint32_t slot, FsHandle h) {
  MutexLock l(mu_);
  std::vector<FsHandle> out = std::move(orphans_);
  orphans_.clear();
  auto same = std::find_if(lru_.begin(), lru_.end(),
                           [&](const Entry& e) { return e.owner == owner && e.slot == slot; });
  if (same != lru_.end()) {
    out.push_back(same->handle);
    lru_.erase(same);
  }
  if (max_ == 0) {
    out.push_back(h);
    return out;
  }
  while (lru_.size() >= max_) {
    out.push_back(lru_.back().handle);
    lru_.pop_back();
  }
  lru_.push_front(Entry{owner, slot, h});
  return out;
}

std::vector<FsHandle> KeptHandles::remove_owner(uint64_t owner) {
  std::vector<FsHandle> out;
  for (auto it = lru_.begin(); it != lru_.end();) {
    if (it->owner == owner) {
      out.push_back(it->handle);
      it = lru_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

std::vector<FsHandle> KeptHandles::take_all(uint64_t owner) {
  MutexLock l(mu_);
  return remove_owner(owner);
}

void KeptHandles::orphan(uint64_t owner) {
  MutexLock l(mu_);
  for (FsHandle h : remove_owner(owner)) orphans_.push_back(h);
}

size_t KeptHandles::size() const {
  MutexLock l(mu_);
  return lru_.size() + orphans_.size();
}

}  // namespace swtee::os::storage
