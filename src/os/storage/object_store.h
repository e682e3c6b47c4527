// The secure world's trusted-storage backend: the key chain, one TaStore per
// TA (created on first use) and the rollback anchor they share. The
// TA-facing GP persistent-object layer sits on top; it owns handles, access
// and share flags, positions and the GP error rules (delete on
// CORRUPT_OBJECT, panics). Every call takes the calling secure thread's
// FsBackend (the REE FS RPC path of that call, os/fs_rpc.h).
#pragma once

#include <map>
#include <memory>

#include "common/thread_annotations.h"
#include "common/uuid.h"
#include "os/storage/huk.h"
#include "os/storage/key_chain.h"
#include "os/storage/rollback_anchor.h"
#include "os/storage/rpmb_fs.h"
#include "os/storage/ta_store.h"

namespace swtee::os::storage {

class ObjectStore {
 public:
  // `anchor` == nullptr: an RpmbAnchor on "rpmb.emu" keyed from the HUK.
  static Result<std::unique_ptr<ObjectStore>> create(const Huk& huk, StoreOptions opts,
                                                     std::unique_ptr<RollbackAnchor> anchor = nullptr);

  // The store of TA `uuid`; other TAs' objects are out of its reach
  // (different directory, keys and anchor slot).
  Result<std::shared_ptr<TaStore>> ta(const Uuid& uuid) EXCLUDES(mu_);

  // TEE_STORAGE_PRIVATE_RPMB: TA `uuid`'s store on the RPMB device's data
  // blocks (rpmb_fs.h). Its calls take rpmb_fs() of the call's REE path.
  Result<std::shared_ptr<TaStore>> rpmb_ta(const Uuid& uuid) EXCLUDES(mu_);
  std::unique_ptr<FsBackend> rpmb_fs(FsBackend& call) { return std::make_unique<RpmbFs>(*rpmb_dev_, call); }

  RollbackAnchor& anchor() { return *anchor_; }
  const KeyChain& keys() const { return keys_; }
  const StoreOptions& options() const { return opts_; }

 private:
  ObjectStore(KeyChain keys, StoreOptions opts, std::shared_ptr<RollbackAnchor> anchor);

  const KeyChain keys_;
  const StoreOptions opts_;
  const std::shared_ptr<RollbackAnchor> anchor_;
  const std::unique_ptr<RpmbFsDevice> rpmb_dev_;
  const std::shared_ptr<RollbackAnchor> no_anchor_;
  Mutex mu_;
  std::map<Uuid, std::shared_ptr<TaStore>> tas_ GUARDED_BY(mu_);
  std::map<Uuid, std::shared_ptr<TaStore>> rpmb_tas_ GUARDED_BY(mu_);
};

// The options of the RPMB store: small, as the partition is (rpmb_fs.h).
StoreOptions rpmb_store_options();

}  // namespace swtee::os::storage
