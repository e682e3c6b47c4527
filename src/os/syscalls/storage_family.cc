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
  std::shared_ptr<storage::KeptHandles> kept_handles() const override { return opts_.kept_handles; }

  Status open_with(const storage::Huk& huk) EXCLUDES(mu_) {
    ASSIGN_OR_RETURN(auto store, storage::ObjectStore::create(huk, opts_));
    MutexLock l(mu_);
    huk_ = huk;
    store_ = std::move(store);
    return {};
  }

  Result<std::shared_ptr<storage::ObjectStore>> store(storage::FsBackend& fs) override EXCLUDES(mu_) {
    MutexLock l(mu_);
    TRY_STATUS(open_locked(fs));
    return store_;
  }

  Result<storage::Huk> guest_huk(storage::FsBackend& ree, uint32_t guest) override EXCLUDES(mu_) {
    MutexLock l(mu_);
    TRY_STATUS(open_locked(ree));
    return storage::KeyChain::guest_huk(*huk_, guest);
  }

 private:
  Status open_locked(storage::FsBackend& fs) REQUIRES(mu_) {
    if (store_) return {};
    log::warn(
        "storage: no HUK file was given; keeping the key in the REE FS ({}), readable by the "
        "supplicant's user — development only",
        kDevHukName);
    ASSIGN_OR_RETURN(storage::Huk huk, storage::Huk::through_fs(fs, kDevHukName));
    ASSIGN_OR_RETURN(auto store, storage::ObjectStore::create(huk, opts_));
    huk_ = huk;
    store_ = std::move(store);
    return {};
  }

  const storage::StoreOptions opts_;
  const bool verify_;
  Mutex mu_;
  std::optional<storage::Huk> huk_ GUARDED_BY(mu_);
  std::shared_ptr<storage::ObjectStore> store_ GUARDED_BY(mu_);
};

// A guest's storage: the host's options, a key chain from the guest's own
// root key, and every name under the guest's tree (the family hands it
// CallFs paths, whose ree() is the REE FS root).
class GuestStorageService final : public StorageService {
 public:
  GuestStorageService(std::shared_ptr<StorageService> host, uint32_t guest, storage::StoreOptions opts)
      : host_(std::move(host)), guest_(guest), opts_(std::move(opts)) {}
  bool verify_every_access() const override { return host_->verify_every_access(); }
  std::shared_ptr<storage::KeptHandles> kept_handles() const override { return opts_.kept_handles; }
  uint32_t guest() const override { return guest_; }

  Result<std::shared_ptr<storage::ObjectStore>> store(storage::FsBackend& fs) override EXCLUDES(mu_) {
    MutexLock l(mu_);
    if (store_) return store_;
    ASSIGN_OR_RETURN(storage::Huk huk, host_->guest_huk(fs.ree(), guest_));
    ASSIGN_OR_RETURN(store_, storage::ObjectStore::create(huk, opts_));
    return store_;
  }

 private:
  const std::shared_ptr<StorageService> host_;
  const uint32_t guest_;
  const storage::StoreOptions opts_;
  Mutex mu_;
  std::shared_ptr<storage::ObjectStore> store_ GUARDED_BY(mu_);
};

class StorageFamily final : public SyscallFamily {
 public:
  StorageFamily(std::shared_ptr<StorageService> service, bool verify)
      : service_(service), core_(std::move(service), std::make_shared<StorageOpenTable>(), verify) {}

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
    CallFs fs(*tr, *service_);
    core_.handle(ctx.ta_uuid, handles, &fs.fs(), req, out);
  }

 private:
  const std::shared_ptr<StorageService> service_;
  StorageCore core_;
};

}  // namespace

Result<std::shared_ptr<StorageService>> open_storage_service(const StorageServiceConfig& cfg) {
  storage::StoreOptions opts;
  opts.kept_handles = std::make_shared<storage::KeptHandles>();
  auto svc = std::make_shared<StorageServiceImpl>(opts, cfg.verify_every_access);
  if (cfg.huk_fd >= 0) {
    ASSIGN_OR_RETURN(storage::Huk huk, storage::Huk::from_fd(cfg.huk_fd));
    TRY_STATUS(svc->open_with(huk));
  }
  return std::shared_ptr<StorageService>(std::move(svc));
}

Result<std::shared_ptr<StorageService>> open_guest_storage_service(std::shared_ptr<StorageService> host,
                                                                   uint32_t guest) {
  if (!host || guest == 0 || guest > UINT16_MAX) return Error{EINVAL, "guest storage: bad guest"};
  storage::StoreOptions opts;
  opts.kept_handles = host->kept_handles();  // the same supplicant
  return std::shared_ptr<StorageService>(
      std::make_shared<GuestStorageService>(std::move(host), guest, std::move(opts)));
}

std::shared_ptr<SyscallFamily> make_storage_family(std::shared_ptr<StorageService> service) {
  const bool verify = service->verify_every_access();
  return std::make_shared<StorageFamily>(std::move(service), verify);
}

}  // namespace swtee::os
