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
//   8 STATS_CMD_STATUS   types (MEMREF_OUTPUT, NONE, NONE, NONE)
//       the report of protocol/os_status_wire.h (TAs, instances and their
//       pids, counters); SHORT_BUFFER with the size needed when it does not
//       fit. Only for login REE_KERNEL (swteed itself: the core refuses that
//       login to every client), else TEE_ERROR_ACCESS_DENIED.
//  12 STATS_CMD_GUESTS   types (VALUE_OUTPUT, VALUE_OUTPUT, VALUE_OUTPUT, NONE)
//       what the guests' partitions hold (os/guests.h), summed:
//       [0].a live guests                       [0].b their open sessions
//       [1].a their live TA instances           [1].b their registered shm
//       [2].a their calls in flight
//       The host's stats PTA only (client id 0); a guest's answers
//       NOT_SUPPORTED. The COUNTS command always counts its own partition.
//
// Wrong param types: TEE_ERROR_BAD_PARAMETERS.
#pragma once

#include <cstdint>
#include <functional>

#include "os/pta/pseudo_ta.h"
#include "protocol/os_status_codec.h"

namespace swtee::os {

inline constexpr uint32_t kStatsCmdCounts = 0;
inline constexpr uint32_t kStatsCmdGetTime = 4;
inline constexpr uint32_t kStatsCmdStatus = osstat::kStatsCmdStatus;
inline constexpr uint32_t kStatsCmdGuests = 12;

struct OsCounts {
  uint64_t sessions = 0;
  uint64_t ta_instances = 0;
  uint64_t registered_shm = 0;
  uint64_t inflight_calls = 0;

  OsCounts& operator+=(const OsCounts& o) {
    sessions += o.sessions;
    ta_instances += o.ta_instances;
    registered_shm += o.registered_shm;
    inflight_calls += o.inflight_calls;
    return *this;
  }
};

// The guests' partitions, summed (STATS_CMD_GUESTS).
struct GuestCounts {
  uint64_t guests = 0;
  OsCounts held;
};

class StatsPta final : public PseudoTa {
 public:
  static const Uuid kUuid;
  // `counts` and `status` are called on the serving thread; they must be
  // thread-safe. Without `status`, STATUS answers NOT_SUPPORTED; without
  // `guests`, GUESTS does.
  explicit StatsPta(std::function<OsCounts()> counts, std::function<osstat::OsStatus()> status = nullptr,
                    std::function<GuestCounts()> guests = nullptr)
      : counts_(std::move(counts)), status_(std::move(status)), guests_(std::move(guests)) {}

  const Uuid& uuid() const override { return kUuid; }
  const char* name() const override { return "stats"; }
  GpResult invoke(const PtaSession& session, uint32_t cmd, OsParams& params, CallContext& call) override;

 private:
  std::function<OsCounts()> counts_;
  std::function<osstat::OsStatus()> status_;
  std::function<GuestCounts()> guests_;
};

}  // namespace swtee::os
