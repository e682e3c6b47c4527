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
#include "os/call_rpc.h"
#include "os/fast_calls.h"
#include "os/msg_decode.h"
#include "protocol/optee_rpc_cmd.h"

namespace swtee::os {

// Largest TA image load_ta accepts.
inline constexpr uint64_t kMaxTaImageSize = 64ull << 20;
// Largest RPC shm allocation.
inline constexpr uint64_t kMaxRpcShmSize = kMaxTaImageSize;

struct ChannelIo {
  DoorbellEnd* bell = nullptr;  // the channel's server end, used by this thread only
  FastCallConfig fast;
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

  void place_rpc_arg(std::span<uint8_t> area) override { area_ = area; }
  GpResult load_ta(const Uuid& uuid, std::vector<uint8_t>& image) override;
  // With a plausible hint: SHM_ALLOC, LOAD_TA, SHM_FREE (no size query).
  // When the image has grown (SHORT_BUFFER), falls back to load_ta.
  GpResult load_ta_expecting(const Uuid& uuid, uint64_t size_hint, std::vector<uint8_t>& image) override;
  GpResult get_ree_time(uint32_t* seconds, uint32_t* nanos) override;
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

 private:
  ChannelIo io_;
  uint32_t thread_id_;
  // LOAD_TA into an RPC shm of `size` bytes; *short_buffer when the image
  // is larger than that.
  GpResult load_ta_into(const Uuid& uuid, uint64_t size, std::vector<uint8_t>& image, bool* short_buffer);

  std::span<uint8_t> area_;
  bool gone_ = false;
};

}  // namespace swtee::os
