// The per-device table of user-visible shm ids.
//
// Ids start at 1, are unique across the contexts of one device and are never
// reused while alive. A lookup succeeds only for the owning context; any
// other context's id fails exactly like an unknown id (EINVAL). The table's
// reference is dropped under the table lock (the id disappears at once) but
// the Shm itself is destroyed outside the lock, so its release hook (the
// driver's shm_unregister) never runs under the table lock.
#pragma once

#include <climits>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "common/id_table.h"
#include "common/result.h"
#include "common/thread_annotations.h"
#include "common/unique_fd.h"
#include "core/shm.h"
#include "core/uid_quotas.h"

namespace swtee::core {

class Context;
class TeeDriver;

class ShmRegistry {
 public:
  // `max_live` bounds the device's table (every context together).
  // `quotas` (may be null): the device's pools; every shm is charged one
  // object and its size to its owner's uid (ENOMEM over the share).
  explicit ShmRegistry(uint32_t max_per_context, size_t max_live = kMaxLive, UidQuotas* quotas = nullptr)
      : max_per_context_(max_per_context), quotas_(quotas), ids_(max_live, INT_MAX) {}
  static constexpr size_t kMaxLive = 1u << 20;
  ShmRegistry(const ShmRegistry&) = delete;
  ShmRegistry& operator=(const ShmRegistry&) = delete;

  // Creates a Shm with a fresh id owned by `owner` and enters it in the table.
  // `unregister_driver`, if set, hears of the Shm's end (shm_unregister).
  // ENOSPC when the context already holds max_per_context ids.
  Result<std::shared_ptr<Shm>> create(const Context* owner, Shm::Kind kind, UniqueFd memfd, uint64_t size,
                                      TeeDriver* unregister_driver) EXCLUDES(mu_);
  Result<std::shared_ptr<Shm>> get(const Context* owner, int id) EXCLUDES(mu_);
  // Drops the table's reference. EINVAL unless `owner` owns `id`.
  Status release(const Context* owner, int id) EXCLUDES(mu_);
  // Drops every id of `owner` (context teardown).
  void release_all(const Context* owner) EXCLUDES(mu_);

  uint32_t live() const EXCLUDES(mu_);
  uint32_t live_of(const Context* owner) const EXCLUDES(mu_);

 private:
  const uint32_t max_per_context_;
  UidQuotas* const quotas_;
  mutable Mutex mu_;
  IdTable<int, std::shared_ptr<Shm>> ids_ GUARDED_BY(mu_);
  std::unordered_map<const Context*, uint32_t> per_context_ GUARDED_BY(mu_);
};

}  // namespace swtee::core
