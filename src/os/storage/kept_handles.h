// REE FS handles that TA stores keep open between calls, so that a commit
// of a TA's directory file is one WRITE request instead of OPEN, WRITE and
// CLOSE (OP-TEE's REE FS keeps dirf.db open the same way while objects are
// open). Only handles the backend says may outlive their call are kept
// (FsBackend::can_keep: the supplicant's tagged handles, which a restarted
// supplicant refuses instead of taking for its own files).
//
// One instance serves every store behind one supplicant: the host's stores
// and the guests' alike (guest_fs.h), since their REE FS is the host's. It
// is bounded: the supplicant's handle table is shared by every call in
// flight (128 files), so at most `max` stay open here, the least recently
// used handed back to be closed when a new one comes. The handles of an
// owner that is gone are closed by whichever store comes next: any call's
// path reaches the same supplicant.
//
// Every handle is either kept here or out with exactly one owner, which
// gives it back (put) or closes it itself. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <vector>

#include "common/thread_annotations.h"
#include "os/storage/fs_backend.h"

namespace swtee::os::storage {

class KeptHandles {
 public:
  // 32: a directory file pair for each of 16 busy TAs, a quarter of the
  // supplicant's table.
  static constexpr size_t kDefaultMax = 32;

  explicit KeptHandles(size_t max = kDefaultMax) : max_(max) {}
  KeptHandles(const KeptHandles&) = delete;
  KeptHandles& operator=(const KeptHandles&) = delete;

  // A fresh owner id (one per store; ids are never reused).
  uint64_t new_owner() EXCLUDES(mu_);

  // The handle kept for (owner, slot), now out with the caller.
  std::optional<FsHandle> take(uint64_t owner, uint32_t slot) EXCLUDES(mu_);
  // Keeps `h` for (owner, slot), most recently used. Returns what the caller
  // must close now: handles pushed out by the bound, an older handle of the
  // same key, and handles of owners that are gone.
  [[nodiscard]] std::vector<FsHandle> put(uint64_t owner, uint32_t slot, FsHandle h) EXCLUDES(mu_);
  // Everything kept for `owner` is handed back to the caller to close (its
  // files are about to be removed).
  [[nodiscard]] std::vector<FsHandle> take_all(uint64_t owner) EXCLUDES(mu_);
  // The owner is gone without a call to close its handles on: the next
  // put() hands them out for closing.
  void orphan(uint64_t owner) EXCLUDES(mu_);

  size_t size() const EXCLUDES(mu_);  // kept, orphans included

 private:
  struct Entry {
    uint64_t owner;
    uint32_t slot;
    FsHandle handle;
  };

  // Takes every entry of `owner` out of the list.
  std::vector<FsHandle> remove_owner(uint64_t owner) REQUIRES(mu_);

  const size_t max_;
  mutable Mutex mu_;
  uint64_t next_owner_ GUARDED_BY(mu_) = 1;
  std::list<Entry> lru_ GUARDED_BY(mu_);  // front: most recently used
  std::vector<FsHandle> orphans_ GUARDED_BY(mu_);
};

}  // namespace swtee::os::storage
