// The supplicant's own shared memory: buffers it allocated in its context
// (TEE_IOC_SHM_ALLOC) on OPTEE_RPC_CMD_SHM_ALLOC, by shm id. Memref params in
// later requests name these ids; the table maps id → mapping. Entries are
// shared_ptr so a request using a buffer keeps it mapped even if SHM_FREE for
// the same id races with it. Bounded in count, per-buffer and total size.
#pragma once

#include <cstdint>
#include <memory>

#include "common/id_table.h"
#include "common/result.h"
#include "common/shm_file.h"
#include "common/thread_annotations.h"
#include "common/unique_fd.h"

namespace swtee::supp {

struct ShmLimits {
  uint32_t max_count = 256;
  uint64_t max_size = (64ull << 20) + (1ull << 20);  // a full TA image fits
  uint64_t max_total = 512ull << 20;
};

struct SuppShm {
  int32_t id = -1;
  UniqueFd memfd;
  Mapping map;
};

class ShmTable {
 public:
  explicit ShmTable(ShmLimits limits = {}) : limits_(limits), shms_(limits.max_count, INT32_MAX) {}

  // Checks a new allocation of `size` against the limits (ENOMEM / EINVAL).
  Status admit(uint64_t size) const EXCLUDES(mu_);
  // Maps the memfd (which must be at least `size` bytes) and records it.
  Status insert(int32_t id, UniqueFd memfd, uint64_t size) EXCLUDES(mu_);
  std::shared_ptr<SuppShm> get(int32_t id) const EXCLUDES(mu_);
  std::shared_ptr<SuppShm> remove(int32_t id) EXCLUDES(mu_);
  size_t count() const EXCLUDES(mu_);

 private:
  const ShmLimits limits_;
  mutable Mutex mu_;
  IdTable<int32_t, std::shared_ptr<SuppShm>> shms_ GUARDED_BY(mu_);
  uint64_t total_ GUARDED_BY(mu_) = 0;
};

}  // namespace swtee::supp
