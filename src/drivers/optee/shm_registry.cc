#include "drivers/optee/shm_registry.h"

#include "common/log.h"

namespace swtee::optee {

uint64_t ShmRegistry::new_cookie(uint32_t guest) {
  constexpr uint64_t kCounterMask = (uint64_t{1} << kGuestShift) - 1;
  uint64_t c = next_cookie_.fetch_add(1, std::memory_order_relaxed) & kCounterMask;
  if (c == 0) c = next_cookie_.fetch_add(1, std::memory_order_relaxed) & kCounterMask;  // wrap: never 0
  return uint64_t{guest & 0xFFFF} << kGuestShift | c;
}

Result<uint64_t> ShmRegistry::add_rpc(RpcShm entry) {
  uint64_t cookie = new_cookie();
  std::shared_ptr<core::Shm> shm = entry.shm;
  {
    MutexLock l(mu_);
    if (Status st = rpc_.insert(cookie, std::move(entry)); !st.ok())
      return Error{st.error().code, "RPC shm"}.in(fmt::format("cookie {:#x}", cookie));
  }
  if (shm) shm->driver_cookie.store(cookie, std::memory_order_release);
  return cookie;
}

int ShmRegistry::rpc_fd(uint64_t cookie) const {
  MutexLock l(mu_);
  const RpcShm* e = rpc_.find(cookie);
  return e == nullptr ? -1 : e->fd();
}

std::shared_ptr<core::Shm> ShmRegistry::find_appl(uint64_t cookie) const {
  MutexLock l(mu_);
  const RpcShm* e = rpc_.find(cookie);
  return e == nullptr ? nullptr : e->shm;
}

std::optional<ShmRegistry::RpcShm> ShmRegistry::remove_rpc(uint64_t cookie) {
  MutexLock l(mu_);
  return rpc_.remove(cookie);
}

std::vector<ShmRegistry::RpcShm> ShmRegistry::take_all_rpc() {
  MutexLock l(mu_);
  return rpc_.take_all();
}

size_t ShmRegistry::rpc_count() const {
  MutexLock l(mu_);
  return rpc_.size();
}

void ShmRegistry::queue_unregister(uint64_t cookie) {
  {
    MutexLock l(pending_mu_);
    if (stopped_) return;
    if (pending_.size() >= kMaxPendingUnregister) {
      // The secure world keeps a stale registration; it is dropped when
      // swtee-os exits. Better than unbounded growth.
      log::warn("optee: unregister queue full; cookie {:#x} stays registered", cookie);
      return;
    }
    pending_.push_back(cookie);
  }
  pending_cv_.notify_one();
}

std::optional<uint64_t> ShmRegistry::next_unregister() {
  MutexLock l(pending_mu_);
  while (pending_.empty() && !stopped_) pending_cv_.wait(pending_mu_);
  if (pending_.empty()) return std::nullopt;
  uint64_t c = pending_.front();
  pending_.pop_front();
  return c;
}

void ShmRegistry::stop_worker() {
  {
    MutexLock l(pending_mu_);
    stopped_ = true;
    pending_.clear();
  }
  pending_cv_.notify_all();
}

size_t ShmRegistry::pending_unregister() const {
  MutexLock l(pending_mu_);
  return pending_.size();
}

}  // namespace swtee::optee
