// The Storage syscall family: SyscallContext → StorageCore, and the store
// service (HUK source, options) behind it.
#include "os/syscalls/storage_family.h"

#include "common/log.h"
#include "os/fs_rpc.h"
#include "os/storage/storage_errors.h"
#include "os/syscalls/storage_core.h"
#include "os/ta_manager/ta_instance.h"

namespace swtee::os {

namespace {

// The REE FS file of the development HUK (Huk::through_fs).
constexpr std::string_view kDevHukName = "huk.dev";

class StorageServiceImpl final : public StorageService {
 public:
  StorageServiceImpl(storage::StoreOptions opts, bool verify) : opts_(std::move(opts)), verify_(verify) {}
  bool verify_every_access() const override { return verify_; }

  Status open_with(const storage::Huk& huk) EXCLUDES(mu_) {
    ASSIGN_OR_RETURN(auto store, storage::ObjectStore::create(huk, opts_));
    MutexLock l(mu_);
    store_ = std::move(store);
    return {};
  }

  Result<std::shared_ptr<storage::ObjectStore>> store(storage::FsBackend& fs) override EXCLUDES(mu_) {
    MutexLock l(mu_);
    if (store_) return store_;
    log::warn(
        "storage: no HUK file was given; keeping the key in the REE FS ({}), readable by the "
        "supplicant's user — development only",
        kDevHukName);
    ASSIGN_OR_RETURN(storage::Huk huk, storage::Huk::through_fs(fs, kDevHukName));
    ASSIGN_OR_RETURN(auto store, storage::ObjectStore::create(huk, opts_));
    store_ = std::move(store);
    return store_;
  }

 private:
  const storage::StoreOptions opts_;
  const bool verify_;
  Mutex mu_;
  std::shared_ptr<storage::ObjectStore> store_ GUARDED_BY(mu_);
};

class StorageFamily final : public SyscallFamily {
 public:
  StorageFamily(std::shared_ptr<StorageService> service, bool verify)
      : core_(std::move(service), std::make_shared<StorageOpenTable>(), verify) {}

  void handle(SyscallContext& ctx, SyscallArgs& args, SyscallOut& out) override {
    StorageRequest req;
    req.fn = args.fn;
    req.args = args.args;
    req.in = args.in;
    std::shared_ptr<PhysShm> bulk;
    if (args.fds.size() > 1) {
      out.kill = true;
      return;
    }
    if (args.fds.size() == 1) {
      auto shm = adopt_ta_memfd(std::move(args.fds[0]), tachan::kMaxSyscallBulk);
      if (!shm.ok()) {
        if (shm.error().code == EINVAL) {
          out.kill = true;
        } else {
          out.ret = kTeeErrorOutOfMemory;
        }
        return;
      }
      bulk = std::move(*shm);
      req.has_bulk = true;
      req.bulk = std::span<uint8_t>(bulk->map.data(), static_cast<size_t>(bulk->size));
    }
    ThreadRpc* tr = ctx.call != nullptr ? ctx.call->rpc.thread_rpc() : nullptr;
    StorageHandles& handles = core_.handles(ctx.state);
    if (tr == nullptr) {
      core_.handle(ctx.ta_uuid, handles, nullptr, req, out);
      return;
    }
    ThreadRpcTransport transport(*tr);
    RpcFsBackend fs(transport);
    core_.handle(ctx.ta_uuid, handles, &fs, req, out);
  }

 private:
  StorageCore core_;
};

}  // namespace

Result<std::shared_ptr<StorageService>> open_storage_service(const StorageServiceConfig& cfg) {
  storage::StoreOptions opts;
  auto svc = std::make_shared<StorageServiceImpl>(opts, cfg.verify_every_access);
  if (cfg.huk_fd >= 0) {
    ASSIGN_OR_RETURN(storage::Huk huk, storage::Huk::from_fd(cfg.huk_fd));
    TRY_STATUS(svc->open_with(huk));
  }
  return std::shared_ptr<StorageService>(std::move(svc));
}

std::shared_ptr<SyscallFamily> make_storage_family(std::shared_ptr<StorageService> service) {
  const bool verify = service->verify_every_access();
  return std::make_shared<StorageFamily>(std::move(service), verify);
}

}  // namespace swtee::os
