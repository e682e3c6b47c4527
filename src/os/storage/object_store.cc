#include "os/storage/object_store.h"

#include "os/storage/rpmb_anchor.h"

namespace swtee::os::storage {
namespace {

// The RPMB store's "anchor": the device is fresh by itself.
class DeviceIsFresh final : public RollbackAnchor {
 public:
  Result<uint64_t> read(FsBackend&, const TaTag&) override { return uint64_t{0}; }
  Status advance(FsBackend&, const TaTag&, uint64_t) override { return ok_status(); }
  uint32_t protection_level() const override { return 100; }  // an emulated device
};

}  // namespace

StoreOptions rpmb_store_options() {
  StoreOptions o;
  o.root = "rpmb.v1";
  o.anchor_batch = 0;
  o.max_object_size = 3072;  // a version fits one file slot (3,328 B)
  o.max_meta_size = 1024;
  o.max_objects_per_ta = 6;  // a directory commit fits one file slot
  o.max_inline_object = 1024;
  o.max_inline_bytes = 1024;
  return o;
}

ObjectStore::ObjectStore(KeyChain keys, StoreOptions opts, std::shared_ptr<RollbackAnchor> anchor)
    : keys_(std::move(keys)),
      opts_(std::move(opts)),
      anchor_(std::move(anchor)),
      rpmb_dev_(std::make_unique<RpmbFsDevice>(keys_.rpmb_key(), RpmbFsLayout{})),
      no_anchor_(std::make_shared<DeviceIsFresh>()) {}

Result<std::shared_ptr<TaStore>> ObjectStore::rpmb_ta(const Uuid& uuid) {
  MutexLock l(mu_);
  auto it = rpmb_tas_.find(uuid);
  if (it != rpmb_tas_.end()) return it->second;
  ASSIGN_OR_RETURN(TaKeys keys, keys_.for_ta(uuid));
  auto store = std::make_shared<TaStore>(std::move(keys), rpmb_store_options(), no_anchor_);
  rpmb_tas_.emplace(uuid, store);
  return store;
}

Result<std::unique_ptr<ObjectStore>> ObjectStore::create(const Huk& huk, StoreOptions opts,
                                                         std::unique_ptr<RollbackAnchor> anchor) {
  ASSIGN_OR_RETURN(KeyChain keys, KeyChain::create(huk));
  if (!anchor) anchor = std::make_unique<RpmbAnchor>(keys.rpmb_key(), RpmbAnchorOptions{});
  return std::unique_ptr<ObjectStore>(new ObjectStore(std::move(keys), std::move(opts), std::move(anchor)));
}

Result<std::shared_ptr<TaStore>> ObjectStore::ta(const Uuid& uuid) {
  MutexLock l(mu_);
  auto it = tas_.find(uuid);
  if (it != tas_.end()) return it->second;
  ASSIGN_OR_RETURN(TaKeys keys, keys_.for_ta(uuid));
  auto store = std::make_shared<TaStore>(std::move(keys), opts_, anchor_);
  tas_.emplace(uuid, store);
  return store;
}

}  // namespace swtee::os::storage
