// Fast calls (protocol/conduit.h): answered at once by whichever thread
// reads the channel, with no secure thread and no shared memory involved.
#pragma once

#include <cstdint>
#include <optional>

#include "protocol/conduit.h"

namespace swtee::os {

struct FastCallConfig {
  uint32_t thread_count = 1;  // GET_THREAD_COUNT
  uint64_t shm_size = 0;      // GET_SHM_CONFIG: the carve-out size
  // EXCHANGE_CAPABILITIES advertises VIRTUALIZATION (os/guests.h).
  bool virtualization = false;
};

// OS revision reported by GET_OS_REVISION (swtee-os's own version).
inline constexpr uint32_t kOsRevisionMajor = 0;
inline constexpr uint32_t kOsRevisionMinor = 1;

// The answer to `call` when a0 names a fast call, nullopt otherwise.
std::optional<conduit::SmcRegs> answer_fast_call(const conduit::SmcRegs& call, const FastCallConfig& cfg);

// Answer registers carrying only a0 = code.
conduit::SmcRegs smc_result(uint32_t code);

}  // namespace swtee::os
