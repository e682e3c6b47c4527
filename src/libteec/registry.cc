#include "libteec/registry.h"

#include <climits>

namespace swtee::teec {

Registry& Registry::instance() {
  static Registry* const r = new Registry();  // never destroyed, see header
  return *r;
}

Status Registry::add_context(std::shared_ptr<ContextState> ctx) {
  MutexLock l(mu_);
  int fd = ctx->fd();
  if (!contexts_.emplace(fd, std::move(ctx)).second) return Error{EEXIST, "context fd in use"};
  return ok_status();
}

std::shared_ptr<ContextState> Registry::context(int fd) {
  MutexLock l(mu_);
  auto it = contexts_.find(fd);
  return it == contexts_.end() ? nullptr : it->second;
}

std::shared_ptr<ContextState> Registry::take_context(int fd) {
  MutexLock l(mu_);
  auto it = contexts_.find(fd);
  if (it == contexts_.end()) return nullptr;
  auto out = std::move(it->second);
  contexts_.erase(it);
  return out;
}

Result<int> Registry::add_shm(std::shared_ptr<ShmState> shm) {
  MutexLock l(mu_);
  if (shms_.size() >= kMaxShm) return Error{ENOMEM, "too many shared memory blocks"};
  // Handles count up and wrap, skipping live ones, so a stale handle of a
  // released block does not soon name a new one.
  for (;;) {
    int h = next_handle_;
    next_handle_ = next_handle_ == INT_MAX ? 1 : next_handle_ + 1;
    if (shms_.find(h) == shms_.end()) {
      shms_.emplace(h, std::move(shm));
      return h;
    }
  }
}

std::shared_ptr<ShmState> Registry::shm(int handle) {
  MutexLock l(mu_);
  auto it = shms_.find(handle);
  return it == shms_.end() ? nullptr : it->second;
}

std::shared_ptr<ShmState> Registry::take_shm(int handle) {
  MutexLock l(mu_);
  auto it = shms_.find(handle);
  if (it == shms_.end()) return nullptr;
  auto out = std::move(it->second);
  shms_.erase(it);
  return out;
}

}  // namespace swtee::teec
