// The one codec of the OS status report (os_status_wire.h). swtee-os
// encodes; swteed and `swtee status` decode what arrives as untrusted bytes.
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"
#include "common/uuid.h"
#include "protocol/os_status_wire.h"

namespace swtee::osstat {

struct InstanceStatus {
  pid_t pid = 0;
  uint32_t sessions = 0;
};

struct TaStatus {
  Uuid uuid;
  uint64_t panics = 0;
  std::vector<InstanceStatus> instances;
};

struct OsStatus {
  Counts counts{};
  std::array<PoolStatus, kNumPools> pools{};
  std::vector<TaStatus> tas;
  uint32_t omitted_tas = 0;  // decode only: what the sender left out
  uint32_t omitted_instances = 0;
};

// Bytes encode() will write for `s` (after the kMaxTas/kMaxInstances caps).
size_t encoded_size(const OsStatus& s);
// Writes the report into `out` and returns its length; TAs and instances
// beyond the bounds are left out and counted. ENOSPC (nothing written)
// when `out` is shorter than encoded_size(s).
Result<size_t> encode(const OsStatus& s, std::span<uint8_t> out);
// EPROTO on any malformation: bad magic or version, counts over the bounds,
// a pool whose numbers do not hold together (PoolStatus),
// a length other than exactly what the counts say, instance counts that do
// not add up, a pid <= 0, a reserved word set.
[[nodiscard]] Result<OsStatus> decode(std::span<const uint8_t> bytes);

}  // namespace swtee::osstat
