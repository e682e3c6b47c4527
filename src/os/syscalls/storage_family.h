// Trusted storage for TAs: the Storage syscall family (GP persistent
// objects and enumerators over storage::ObjectStore) and how swtee-os
// opens its object store. Implemented by the storage work (round 3).
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "common/unique_fd.h"
#include "os/storage/object_store.h"
#include "os/ta_manager/syscalls.h"

namespace swtee::os {

struct StorageServiceConfig {
  // The HUK file, opened by the launcher (storage/README.md, "HUK"); -1:
  // none (development stacks keep the key through the REE FS and warn).
  int huk_fd = -1;
  // Re-authenticate every object and directory read from the REE FS (no
  // plaintext cache): for tamper tests, which change files under a running
  // swtee-os (--storage-verify-always). Costs every cached read a decrypt.
  bool verify_every_access = false;
};

// The object store of this swtee-os (HUK, key chain, rollback anchor),
// opened on first use: with a HUK fd the key is read (or created) at once;
// without one it lives in the REE FS and needs the first call's FS path.
// Thread-safe.
class StorageService {
 public:
  virtual ~StorageService() = default;
  // The store; `fs` is the calling secure thread's REE FS path (used only
  // while the store is still being opened). Errors map with gp_result_of().
  virtual Result<std::shared_ptr<storage::ObjectStore>> store(storage::FsBackend& fs) = 0;
  // StorageServiceConfig::verify_every_access.
  virtual bool verify_every_access() const { return false; }
  // The system PTA's TA-unique key (storage::KeyChain::ta_unique_key).
  Result<storage::SecretKey> ta_unique_key(storage::FsBackend& fs, const Uuid& ta, storage::Bytes extra,
                                           uint8_t len) {
    ASSIGN_OR_RETURN(std::shared_ptr<storage::ObjectStore> s, store(fs));
    return s->keys().ta_unique_key(ta, extra, len);
  }
};

Result<std::shared_ptr<StorageService>> open_storage_service(const StorageServiceConfig& cfg);

// The Storage family handler.
std::shared_ptr<SyscallFamily> make_storage_family(std::shared_ptr<StorageService> service);

}  // namespace swtee::os
