// The REE FS client of swtee-os: storage::FsBackend over OPTEE_RPC_CMD_FS,
// answered by the supplicant (src/supplicant/ree_fs.h). Parameters follow
// tee-supplicant's layout: [0] value in {a = sub-command, b = handle or
// flag, c = offset/length}, names and data as memrefs into one RPC shm
// (OPTEE_RPC_SHM_TYPE_APPL) allocated on first use and grown when needed.
// The shm sits in the transport's cache when it has one (the secure
// thread's RpcShmCache: reused by later backends and calls, trimmed and
// freed by ThreadRpc), else the backend frees it on destruction. Data
// coming back is copied out of the shm once and its reported size
// validated before use.
//
// A backend lives for one syscall of a yielding call: it uses that call's
// RPC channel.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "common/result.h"
#include "os/shm_registry.h"
#include "os/storage/fs_backend.h"
#include "os/thread_rpc.h"
#include "protocol/optee_rpc_cmd.h"

namespace swtee::os {

// What RpcFsBackend needs from a secure thread (ThreadRpc has all of it).
class RpcTransport {
 public:
  virtual ~RpcTransport() = default;
  virtual Result<RpcReply> rpc(optee::RpcCmd cmd, std::span<const RawParam> params) = 0;
  virtual Result<std::shared_ptr<PhysShm>> shm_alloc(uint32_t type, uint64_t size) = 0;
  virtual Status shm_free(uint32_t type, uint64_t cookie) = 0;
  // Where an RPC shm may be kept beyond one backend; nullptr: nowhere.
  virtual RpcShmCache* shm_cache() { return nullptr; }
};

class ThreadRpcTransport final : public RpcTransport {
 public:
  explicit ThreadRpcTransport(ThreadRpc& t) : t_(t) {}
  Result<RpcReply> rpc(optee::RpcCmd cmd, std::span<const RawParam> params) override {
    return t_.rpc(cmd, params);
  }
  Result<std::shared_ptr<PhysShm>> shm_alloc(uint32_t type, uint64_t size) override {
    return t_.shm_alloc(type, size);
  }
  Status shm_free(uint32_t type, uint64_t cookie) override { return t_.shm_free(type, cookie); }
  RpcShmCache* shm_cache() override { return &t_.shm_cache(); }

 private:
  ThreadRpc& t_;
};

// Largest data transfer per READ/WRITE RPC; larger I/O is split.
inline constexpr uint64_t kFsRpcMaxIo = 1ull << 20;

class RpcFsBackend final : public storage::FsBackend {
 public:
  explicit RpcFsBackend(RpcTransport& t) : t_(t), cache_(t.shm_cache() != nullptr ? *t.shm_cache() : own_) {}
  ~RpcFsBackend() override;
  RpcFsBackend(const RpcFsBackend&) = delete;
  RpcFsBackend& operator=(const RpcFsBackend&) = delete;

  Result<storage::FsHandle> open(std::string_view name) override;
  Result<storage::FsHandle> create(std::string_view name) override;
  Status close(storage::FsHandle h) override;
  Result<size_t> read(storage::FsHandle h, uint64_t offset, std::span<uint8_t> out) override;
  Status write(storage::FsHandle h, uint64_t offset, std::span<const uint8_t> in) override;
  Status truncate(storage::FsHandle h, uint64_t length) override;
  Status remove(std::string_view name) override;
  Status rename(std::string_view from, std::string_view to, bool overwrite) override;
  Result<storage::FsHandle> opendir(std::string_view name) override;
  Status closedir(storage::FsHandle h) override;
  Result<std::optional<std::string>> readdir(storage::FsHandle h) override;
  bool can_keep(storage::FsHandle h) const override { return optee::fs_handle_is_tagged(h); }
  // OPTEE_RPC_CMD_RPMB: request and response in the same RPC shm.
  Result<std::vector<uint8_t>> rpmb(std::span<const uint8_t> req, size_t resp_size) override;

  // RPC round trips made (benchmarks, tests).
  uint64_t rpc_count() const { return rpcs_; }

 private:
  // Makes the shm at least `size` bytes.
  Status ensure_shm(uint64_t size);
  // Frees the shm (a later use allocates a fresh one).
  void release_shm();
  std::shared_ptr<PhysShm>& shm() { return cache_.shm; }
  // Copies NUL-terminated `name` into the shm at `offset`; the memref param.
  Result<RawParam> put_name(std::string_view name, uint64_t offset);
  Result<RpcReply> fs_call(std::span<const RawParam> params, optee::RpcCmd cmd = optee::RpcCmd::Fs);
  Result<storage::FsHandle> open_like(optee::FsCmd cmd, std::string_view name);
  Status simple(optee::FsCmd cmd, uint64_t b, uint64_t c);

  RpcTransport& t_;
  RpcShmCache own_;     // used when the transport keeps no cache
  RpcShmCache& cache_;  // own_ or the transport's
  uint64_t rpcs_ = 0;
};

// TEEC result of an FS RPC → the errno class FsBackend speaks.
int fs_errno_of(uint32_t teec_result);

}  // namespace swtee::os
