// "Physical memory": the memfds the normal world registered, by cookie.
// Entries are shared_ptr: unregistering drops the table's reference while
// in-flight calls that resolved the cookie keep theirs until they finish.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "common/id_table.h"
#include "common/result.h"
#include "common/thread_annotations.h"
#include "common/unique_fd.h"
#include "os/os_types.h"

namespace swtee::os {

inline constexpr size_t kDefaultMaxRegisteredShm = 4096;

// Adopts a memfd the normal world handed over as shared memory of
// `declared_size` bytes: seals it (shrink+grow) or checks it is sealed, checks
// its size is at least declared_size, maps [0, declared_size). EINVAL for a
// cookie of 0, an unsealable fd or a memfd smaller than declared.
Result<std::shared_ptr<PhysShm>> adopt_phys_shm(uint64_t cookie, UniqueFd memfd, uint64_t declared_size);

class ShmRegistry {
 public:
  explicit ShmRegistry(size_t max_entries = kDefaultMaxRegisteredShm) : table_(max_entries) {}

  // EEXIST when the cookie is registered, ENOSPC when the table is full.
  Status add(std::shared_ptr<PhysShm> shm) EXCLUDES(mu_);
  // ENOENT when the cookie is not registered.
  Status remove(uint64_t cookie) EXCLUDES(mu_);
  // nullptr when not registered.
  std::shared_ptr<PhysShm> find(uint64_t cookie) const EXCLUDES(mu_);
  size_t size() const EXCLUDES(mu_);

 private:
  mutable Mutex mu_;
  IdTable<uint64_t, std::shared_ptr<PhysShm>> table_ GUARDED_BY(mu_);
};

}  // namespace swtee::os
