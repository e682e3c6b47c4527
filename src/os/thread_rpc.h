// RPCs from the secure thread serving a call to the normal world, on that
// call's channel (protocol/conduit.h): the RPC arg is written right after the
// call's arg in the slot, the thread answers a0 = RETURN_RPC_CMD (a3 = its
// thread id) and waits on the channel's doorbell until RETURN_FROM_RPC
// comes back. Fast
// calls that arrive meanwhile are answered; anything else gets EBADCMD.
// Results are snapshotted and validated like any normal-world data. When the
// normal world goes away mid-RPC every later RPC of the call fails at once.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "common/doorbell.h"
#include "common/result.h"
#include "common/unique_fd.h"
#include "os/after_answer.h"
#include "os/call_rpc.h"
#include "os/fast_calls.h"
#include "os/msg_decode.h"
#include "protocol/optee_rpc_cmd.h"

namespace swtee::os {

// Largest TA image load_ta accepts.
inline constexpr uint64_t kMaxTaImageSize = 64ull << 20;
// Largest RPC shm allocation.
inline constexpr uint64_t kMaxRpcShmSize = kMaxTaImageSize;

// The RPC shm (OPTEE_RPC_SHM_TYPE_APPL, the supplicant's) that REE FS
// requests travel in, kept between uses like OP-TEE's per-thread RPC shm
// cache. One per channel, touched only by the thread serving that channel
// (one yielding call at a time), so it needs no lock. It is the
// supplicant's memory, never a client's: reusing it across calls of
// different clients exposes nothing the supplicant does not see anyway.
struct RpcShmCache {
  std::shared_ptr<PhysShm> shm;
};

// Largest RPC shm kept in a channel's cache after a call; a larger one
// (a big object I/O) is freed when the call ends.
inline constexpr uint64_t kRpcShmCacheCap = 256 * 1024;

struct ChannelIo {
  DoorbellEnd* bell = nullptr;  // the channel's server end, used by this thread only
  FastCallConfig fast;
  // Outlives the call when set; otherwise the cache lives for the call and
  // its shm is freed when the call ends (OP-TEE clears it per std call).
  RpcShmCache* shm_cache = nullptr;
  // The client id (a7) of the call served: a RETURN_FROM_RPC must carry it.
  uint32_t client_id = 0;
  // Run by the channel's thread once the call's answer is posted; none:
  // kill_after_answer takes nothing.
  AfterAnswer* after_answer = nullptr;
};

struct RpcReply {
  uint32_t ret = 0;
  uint32_t ret_origin = 0;
  uint32_t num_params = 0;
  std::array<RawParam, optee::kRpcMaxParams> params{};
  std::vector<UniqueFd> fds;  // from the RETURN_FROM_RPC frame
};

class ThreadRpc final : public CallRpc {
 public:
  ThreadRpc(const ChannelIo& io, uint32_t thread_id) : io_(io), thread_id_(thread_id) {}
  // Frees the call's cached RPC shm, or the channel's when it is above
  // kRpcShmCacheCap; forgets it without an RPC when the normal world is gone.
  ~ThreadRpc() override;
  ThreadRpc(const ThreadRpc&) = delete;
  ThreadRpc& operator=(const ThreadRpc&) = delete;

  void place_rpc_arg(std::span<uint8_t> area) override { area_ = area; }
  GpResult load_ta(const Uuid& uuid, std::vector<uint8_t>& image) override;
  // With a plausible hint: SHM_ALLOC, LOAD_TA, SHM_FREE (no size query).
  // When the image has grown (SHORT_BUFFER), falls back to load_ta.
  GpResult load_ta_expecting(const Uuid& uuid, uint64_t size_hint, std::vector<uint8_t>& image) override;
  GpResult get_ree_time(uint32_t* seconds, uint32_t* nanos) override;
  GpResult supp_plugin(const Uuid& plugin, uint32_t cmd, uint32_t sub_cmd, std::vector<uint8_t>& data,
                       uint64_t* out_len) override;
  bool kill_after_answer(UniqueFd& pidfd) override {
    return io_.after_answer != nullptr && io_.after_answer->kill_later(pidfd);
  }
  ThreadRpc* thread_rpc() override { return this; }

  // OPTEE_RPC_CMD_SHM_ALLOC of `type`: the memfd comes with the answer; it
  // must be sealed (or sealable) and hold `size` bytes. Mapped on return.
  Result<std::shared_ptr<PhysShm>> shm_alloc(uint32_t type, uint64_t size);
  // OPTEE_RPC_CMD_SHM_FREE.
  Status shm_free(uint32_t type, uint64_t cookie);

  // One RPC round trip. ECONNRESET when the normal world is gone, EPROTO
  // when the placed area is missing or the answer is malformed.
  Result<RpcReply> rpc(optee::RpcCmd cmd, std::span<const RawParam> params);

  bool normal_world_gone() const { return gone_; }

  // The shm cache of this thread (the channel's, or the call's own).
  RpcShmCache& shm_cache() { return io_.shm_cache != nullptr ? *io_.shm_cache : call_cache_; }
  // Frees the cached shm (RPC SHM_FREE unless the normal world is gone).
  void drop_cached_shm(RpcShmCache& cache);

 private:
  ChannelIo io_;
  uint32_t thread_id_;
  // LOAD_TA into an RPC shm of `size` bytes; *short_buffer when the image
  // is larger than that.
  GpResult load_ta_into(const Uuid& uuid, uint64_t size, std::vector<uint8_t>& image, bool* short_buffer);

  std::span<uint8_t> area_;
  bool gone_ = false;
  RpcShmCache call_cache_;
};

}  // namespace swtee::os
