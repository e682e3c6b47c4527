#include "os/storage/object_store.h"

#include "os/storage/rpmb_anchor.h"

namespace swtee::os::storage {

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
