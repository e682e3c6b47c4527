// The library side of one TEEC_Context: its connection to a swteed device
// socket (one connection = one kernel-style context), the capabilities it
// reported, and the temporary-memref shm cache.
//
// Shared by every thread using the context: UapiClient is thread-safe and
// the cache has its own lock. Held by shared_ptr from the registry, from
// every live shared-memory block and from every call in flight, so it (and
// the connection) lives until the last of them is gone.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "common/result.h"
#include "common/shm_file.h"
#include "common/thread_annotations.h"
#include "common/unique_fd.h"
#include "libteec/temp_shm_cache.h"
#include "uapi/uapi_client.h"

namespace swtee::teec {

class ContextState;

// A temporary-memref buffer borrowed for one call. Goes back to the cache
// (or is released) when destroyed. Move-only.
class TempShmLease {
 public:
  TempShmLease() = default;
  TempShmLease(ContextState* owner, std::optional<uint32_t> session, TempShm shm)
      : owner_(owner), session_(session), shm_(std::move(shm)) {}
  TempShmLease(TempShmLease&& o) noexcept;
  TempShmLease& operator=(TempShmLease&& o) noexcept;
  TempShmLease(const TempShmLease&) = delete;
  TempShmLease& operator=(const TempShmLease&) = delete;
  ~TempShmLease() { reset(); }

  bool valid() const { return owner_ != nullptr; }
  int id() const { return shm_.id; }
  uint8_t* data() const { return shm_.map.data(); }
  void reset() noexcept;

 private:
  ContextState* owner_ = nullptr;
  std::optional<uint32_t> session_;  // nullopt: never cached
  TempShm shm_;
};

// A new shm object: its id and its sealed memfd.
struct AllocatedShm {
  int id = -1;
  UniqueFd fd;
};

class ContextState {
 public:
  // Connects <runtime>/<device> ("tee0"...), asks VERSION and accepts the
  // device when it is a GP TEE matching `name` (nullptr: any; "optee-tz":
  // OP-TEE with the TZ capability; anything else: no device). ENOENT when
  // the device does not exist or does not match.
  static Result<std::shared_ptr<ContextState>> open(const char* device, const char* name,
                                                    TempShmCache::Limits limits = {});
  ~ContextState();
  ContextState(const ContextState&) = delete;
  ContextState& operator=(const ContextState&) = delete;

  // The connection's socket fd: unique in this process while the context
  // lives, so it doubles as TEEC_Context.imp.fd.
  int fd() const { return client_.socket_fd(); }
  uint32_t gen_caps() const { return gen_caps_; }
  bool memref_null() const;

  // One UAPI request. Error = transport failure; Reply::rc < 0 = ioctl error.
  Result<uapi::Reply> call(uint32_t cmd, std::span<const uint8_t> arg, std::span<const int> fds = {});

  // SHM_ALLOC of `size` bytes; checks that the returned memfd is sealed and
  // at least `size` long. Errors are errnos (transport failures included).
  Result<AllocatedShm> shm_alloc(uint64_t size);
  // SWTEE_IOC_SHM_RELEASE; best effort (a dead connection drops ids anyway).
  void shm_release(int id) noexcept;

  // Borrows a mapped buffer of >= size bytes for one call. With a session,
  // the buffer comes from and returns to that session's cache entries.
  Result<TempShmLease> lease_temp(std::optional<uint32_t> session, uint64_t size);
  // Releases every cached buffer of `session` (called at CloseSession).
  void drop_session_cache(uint32_t session) noexcept;

 private:
  friend class TempShmLease;
  ContextState(uapi::UapiClient client, uint32_t gen_caps, TempShmCache::Limits limits);
  void return_temp(std::optional<uint32_t> session, TempShm shm) noexcept;

  uapi::UapiClient client_;
  const uint32_t gen_caps_;
  Mutex cache_mu_;
  TempShmCache cache_ GUARDED_BY(cache_mu_);
};

}  // namespace swtee::teec
