// The rollback anchor: a monotonic counter per TA that lives outside the REE
// FS files it protects. TaStore advances it in batches (StoreOptions::
// anchor_batch) and on every load; on load a directory older than the
// anchor is a rollback, and one further ahead than a batch is a lost or
// reset anchor (both kErrRollback). Pluggable: RpmbAnchor (emulated RPMB,
// rpmb_anchor.h) today; a TPM NV counter can implement the same interface.
#pragma once

#include <cstdint>

#include "common/result.h"
#include "os/storage/fs_backend.h"
#include "os/storage/key_chain.h"

namespace swtee::os::storage {

class RollbackAnchor {
 public:
  virtual ~RollbackAnchor() = default;
  // The anchored value of `slot`; 0 when it was never advanced. `fs` is the
  // calling thread's REE FS path (anchors that need none ignore it).
  virtual Result<uint64_t> read(FsBackend& fs, const TaTag& slot) = 0;
  // Raises `slot` to `value`; a no-op when it already holds >= value.
  // Durable when it returns. ENOSPC when no slot is left.
  virtual Status advance(FsBackend& fs, const TaTag& slot, uint64_t value) = 0;
  // gpd.tee.trustedStorage.antiRollback.protectionLevel this anchor earns.
  virtual uint32_t protection_level() const = 0;
};

}  // namespace swtee::os::storage
