// Trusted storage for TAs: the Storage syscall family (GP persistent
// objects and enumerators over storage::ObjectStore) and how swtee-os
// opens its object store. Implemented by the storage work (round 3).
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "common/unique_fd.h"
#include "os/fs_rpc.h"
#include "os/storage/guest_fs.h"
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
  // The store; `fs` is the calling secure thread's REE FS path as this
  // service's storage sees it (CallFs below; used only while the store is
  // still being opened). Errors map with gp_result_of().
  virtual Result<std::shared_ptr<storage::ObjectStore>> store(storage::FsBackend& fs) = 0;
  // The guest whose storage this is (os/guests.h); 0: the host's clients,
  // whose tree is the REE FS root.
  virtual uint32_t guest() const { return 0; }
  // The root key of guest `guest`'s storage (storage::KeyChain::guest_huk);
  // `ree` is the REE FS root (to open the host's key where it lives there).
  virtual Result<storage::Huk> guest_huk(storage::FsBackend& ree, uint32_t guest) {
    (void)ree, (void)guest;
    return Error{ENOTSUP, "no per-guest storage keys"};
  }
  // StorageServiceConfig::verify_every_access.
  virtual bool verify_every_access() const { return false; }
  // The directory handles kept open behind this service's supplicant
  // (storage::KeptHandles); guests share the host's. nullptr: none kept.
  virtual std::shared_ptr<storage::KeptHandles> kept_handles() const { return nullptr; }
  // The system PTA's TA-unique key (storage::KeyChain::ta_unique_key).
  Result<storage::SecretKey> ta_unique_key(storage::FsBackend& fs, const Uuid& ta, storage::Bytes extra,
                                           uint8_t len) {
    ASSIGN_OR_RETURN(std::shared_ptr<storage::ObjectStore> s, store(fs));
    return s->keys().ta_unique_key(ta, extra, len);
  }
};

Result<std::shared_ptr<StorageService>> open_storage_service(const StorageServiceConfig& cfg);

// Guest `guest`'s storage (guest >= 1): its own key chain from
// host->guest_huk(), its own tree (storage/guest_fs.h), its own RPMB device
// (rollback anchor); opened on first use. The host's storage is unchanged.
Result<std::shared_ptr<StorageService>> open_guest_storage_service(std::shared_ptr<StorageService> host,
                                                                   uint32_t guest);

// One call's REE FS path as `service`'s storage sees it: the secure
// thread's OPTEE_RPC_CMD_FS path, under the service's guest tree.
class CallFs {
 public:
  CallFs(ThreadRpc& thread, const StorageService& service)
      : transport_(thread), rpc_(transport_), view_(rpc_, service.guest()) {}
  CallFs(const CallFs&) = delete;
  CallFs& operator=(const CallFs&) = delete;
  storage::FsBackend& fs() { return view_; }

 private:
  ThreadRpcTransport transport_;
  RpcFsBackend rpc_;
  storage::GuestFs view_;
};

// The Storage family handler.
std::shared_ptr<SyscallFamily> make_storage_family(std::shared_ptr<StorageService> service);

}  // namespace swtee::os
