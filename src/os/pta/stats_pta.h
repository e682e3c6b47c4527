// swtee's stats PTA, 6e2b4a10-7c39-4d58-b1a2-3f4e5d6c7b82. Its own UUID:
// its command set is not OP-TEE's stats PTA's, and a PTA never claims an
// OP-TEE UUID without OP-TEE's exact command set (callers probe by UUID).
// Command set (any other command: TEE_ERROR_NOT_SUPPORTED):
//
//   0 STATS_CMD_COUNTS   types (VALUE_OUTPUT, VALUE_OUTPUT, NONE, NONE)
//       [0].a open sessions (PTA and user TA)   [0].b live TA instances
//       [1].a registered shm objects            [1].b calls in flight
//   4 STATS_CMD_GET_TIME types (VALUE_OUTPUT, VALUE_OUTPUT, NONE, NONE)
//       [0].a/.b REE time seconds/nanoseconds (RPC GET_TIME to the normal world)
//       [1].a/.b TEE time (CLOCK_MONOTONIC of swtee-os) seconds/nanoseconds
//
// Wrong param types: TEE_ERROR_BAD_PARAMETERS.
#pragma once

#include <cstdint>
#include <functional>

#include "os/pta/pseudo_ta.h"

namespace swtee::os {

inline constexpr uint32_t kStatsCmdCounts = 0;
inline constexpr uint32_t kStatsCmdGetTime = 4;

struct OsCounts {
  uint64_t sessions = 0;
  uint64_t ta_instances = 0;
  uint64_t registered_shm = 0;
  uint64_t inflight_calls = 0;
};

class StatsPta final : public PseudoTa {
 public:
  static const Uuid kUuid;
  // `counts` is called on the serving thread; it must be thread-safe.
  explicit StatsPta(std::function<OsCounts()> counts) : counts_(std::move(counts)) {}

  const Uuid& uuid() const override { return kUuid; }
  const char* name() const override { return "stats"; }
  GpResult invoke(const PtaSession& session, uint32_t cmd, OsParams& params, CallContext& call) override;

 private:
  std::function<OsCounts()> counts_;
};

}  // namespace swtee::os
