// One TA's persistent objects: its directory file (dir_file.h), one or two
// object files per object (object_file.h) and its rollback-anchor slot.
//
// Update protocol (README.md, "Atomicity"): a small new version travels
// inline in the directory commit (one write of d(n&1), dir_file.h) and is
// carried by every later commit until it is written to its object file
// ("flushed", when the inline budget is full). A large version is written
// whole to the object's other file "<uid>.<1-slot>" first (the current file
// stays intact). The anchor advances in batches (StoreOptions). A crash
// before the directory write lands leaves the old version current; after
// it, the new one. Create, rename and delete are a single directory commit;
// files that no longer belong to any object are removed after the commit
// and swept when the TA is loaded.
//
// Thread-safe: one mutex per TA (different TAs never wait for each other).
// Directory state and small objects' plaintext are cached in secure memory
// after they were authenticated once.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/thread_annotations.h"
#include "os/storage/dir_file.h"
#include "os/storage/fs_backend.h"
#include "os/storage/kept_handles.h"
#include "os/storage/key_chain.h"
#include "os/storage/rollback_anchor.h"

namespace swtee::os::storage {

struct StoreOptions {
  std::string root = "sst.v2";             // object tree in the REE FS; format version in the name
  uint64_t max_object_size = 64ull << 20;  // data bytes per object (ENOSPC beyond)
  uint32_t max_meta_size = 64 * 1024;      // attribute blob per object
  uint32_t max_objects_per_ta = 4096;
  uint64_t cache_bytes_per_ta = 1ull << 20;  // plaintext cache
  uint64_t max_cached_object = 64 * 1024;    // larger objects are not cached
  // Object versions up to this size travel inline in the directory commit
  // (one synchronous write per update), up to max_inline_bytes per TA in
  // all; larger ones, or when that is full, go to their object file first.
  uint64_t max_inline_object = 16 * 1024;
  uint64_t max_inline_bytes = 64 * 1024;
  // The rollback anchor is advanced when a TA's directory is this many
  // commits ahead of it (1: on every commit), and on every load. Rollback
  // is detected to that resolution; a directory more than this far ahead
  // of its anchor means the anchor was lost or reset and is refused.
  // 0: no anchor (a store on a device that is fresh by itself: RPMB).
  // The default anchors every commit: with a batch, the newest commits of a
  // TA can be rolled back undetected until the anchor catches up (the
  // persistent-time rollback test, X1452, shows it), so batching is an
  // explicit trade of that window for one synchronous write per update.
  uint32_t anchor_batch = 1;
  // Where the directory files' handles stay open between commits (one per
  // supplicant, shared with every store behind it): a commit is then one
  // WRITE request. nullptr: each commit opens and closes its file.
  std::shared_ptr<KeptHandles> kept_handles;
};

struct ObjectStat {
  uint32_t meta_len = 0;
  uint64_t data_len = 0;
  uint64_t generation = 0;
};

class TaStore {
 public:
  TaStore(TaKeys keys, StoreOptions opts, std::shared_ptr<RollbackAnchor> anchor);
  // Kept directory handles go to whichever store closes them next.
  ~TaStore();
  TaStore(const TaStore&) = delete;
  TaStore& operator=(const TaStore&) = delete;

  // Atomically creates object `id` holding meta ‖ data. An existing object
  // is EEXIST unless `overwrite`, which replaces it in the same commit.
  Status create(FsBackend& fs, Bytes id, Bytes meta, Bytes data, bool overwrite) EXCLUDES(mu_);
  Result<ObjectStat> stat(FsBackend& fs, Bytes id) EXCLUDES(mu_);
  Result<std::vector<uint8_t>> read_meta(FsBackend& fs, Bytes id) EXCLUDES(mu_);
  // Data bytes [pos, pos+len) clipped to the object's size (empty at/after the end).
  Result<std::vector<uint8_t>> read(FsBackend& fs, Bytes id, uint64_t pos, uint64_t len) EXCLUDES(mu_);
  // Writes at `pos`, zero-filling any gap; ENOSPC past max_object_size.
  Status write(FsBackend& fs, Bytes id, uint64_t pos, Bytes data) EXCLUDES(mu_);
  // Shrinks or zero-extends the data.
  Status truncate(FsBackend& fs, Bytes id, uint64_t length) EXCLUDES(mu_);
  // Replaces the attribute blob.
  Status set_meta(FsBackend& fs, Bytes id, Bytes meta) EXCLUDES(mu_);
  // EEXIST when `to` exists (and differs from `from`), ENOENT when `from` does not.
  Status rename(FsBackend& fs, Bytes from, Bytes to) EXCLUDES(mu_);
  Status remove(FsBackend& fs, Bytes id) EXCLUDES(mu_);
  // Object ids in directory order.
  Result<std::vector<std::vector<uint8_t>>> list(FsBackend& fs) EXCLUDES(mu_);

  // Recovery for a store whose directory was rolled back or corrupted
  // (kErrRollback/kErrCorrupt on load): removes every file of the TA
  // directory and commits an empty directory one past the anchor, so the
  // store is usable again and anything older stays detectably stale.
  // A no-op when the store loads fine. Its objects are lost: only for
  // stores whose content the caller re-establishes (persistent time).
  Status reset_after_rollback(FsBackend& fs) EXCLUDES(mu_);

  // Forget all cached state; the next call reloads and re-verifies.
  void drop_cache() EXCLUDES(mu_);
  const std::string& dir() const { return dir_name_; }
  const TaTag& tag() const { return keys_.tag; }

 private:
  struct Cached {
    uint64_t generation = 0;
    uint64_t last_use = 0;
    std::vector<uint8_t> stream;  // meta ‖ data
  };

  Status ensure_loaded(FsBackend& fs) REQUIRES(mu_);
  // Drops the directory state (and its inline versions): the next call reloads.
  void forget() REQUIRES(mu_);
  Status sweep(FsBackend& fs, const DirState& d) REQUIRES(mu_);
  // Removes every file of the TA directory not named in `keep`.
  Status remove_all_but(FsBackend& fs, const std::set<std::string>& keep) REQUIRES(mu_);
  Status commit(FsBackend& fs, DirState next) REQUIRES(mu_);
  // Writes a directory commit to d(slot) through the handle kept from the
  // last commit there, or one opened now; keeps the handle when it may be.
  Status write_dir_file(FsBackend& fs, int slot, Bytes bytes) REQUIRES(mu_);
  // Done with directory handle `h` after a write: kept for the next commit
  // when the write worked and the backend allows it, else closed. Returns `wrote`.
  Status keep_or_close(FsBackend& fs, int slot, FsHandle h, Status wrote) REQUIRES(mu_);
  // Closes the directory handles this store keeps (before its files go).
  void close_kept(FsBackend& fs) REQUIRES(mu_);
  Result<std::vector<uint8_t>> read_stream(FsBackend& fs, const DirEntry& e, uint64_t pos, uint64_t len)
      REQUIRES(mu_);
  Result<std::vector<uint8_t>> whole_stream(FsBackend& fs, const DirEntry& e) REQUIRES(mu_);
  // Seals meta ‖ data as the next version of `e` into its other file and
  // returns the entry that points at it (not yet committed).
  // Inline (in the next commit's payload) when it fits the budget.
  Result<DirEntry> write_version(FsBackend& fs, const DirEntry& e, Bytes meta, Bytes data) REQUIRES(mu_);
  // Writes every inline version but `keep`'s to its object file.
  Status flush_inline(FsBackend& fs, const ObjectUid* keep) REQUIRES(mu_);
  uint64_t inline_bytes() const REQUIRES(mu_);
  Status replace_stream(FsBackend& fs, size_t index, Bytes meta, Bytes data) REQUIRES(mu_);
  void remove_files(FsBackend& fs, const ObjectUid& uid);
  std::optional<size_t> find(Bytes id) const REQUIRES(mu_);
  std::string object_name(const ObjectUid& uid, int slot) const;
  std::string dir_file_name(int slot) const;
  void cache_put(const DirEntry& e, std::vector<uint8_t> stream) REQUIRES(mu_);
  void cache_drop(const ObjectUid& uid) REQUIRES(mu_);

  const TaKeys keys_;
  const StoreOptions opts_;
  const std::shared_ptr<RollbackAnchor> anchor_holder_;
  RollbackAnchor& anchor_;
  const std::string dir_name_;
  const uint64_t owner_;  // in opts_.kept_handles; 0 without one

  Mutex mu_;
  std::optional<DirState> state_ GUARDED_BY(mu_);
  // The sealed bytes of every version that is inline in the committed
  // directory (or about to be, during an update).
  std::map<ObjectUid, std::vector<uint8_t>> inline_ GUARDED_BY(mu_);
  uint64_t anchored_ GUARDED_BY(mu_) = 0;  // the anchor's value as last read or written
  std::map<ObjectUid, Cached> cache_ GUARDED_BY(mu_);
  uint64_t cache_bytes_ GUARDED_BY(mu_) = 0;
  uint64_t use_clock_ GUARDED_BY(mu_) = 0;
};

Status validate_id(Bytes id);

}  // namespace swtee::os::storage
