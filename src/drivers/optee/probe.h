// Bringing the driver up: the fast-call handshake with the secure world and
// a factory over an already-made conduit (used by probe() after spawning
// swtee-os, and by tests with a fake secure world on the other ends).
#pragma once

#include <memory>
#include <vector>

#include "common/child_process.h"
#include "common/result.h"
#include "common/unique_fd.h"
#include "drivers/optee/call_path.h"
#include "drivers/optee/driver_core.h"
#include "drivers/optee/optee_driver.h"

namespace swtee::optee {

// CALLS_UID (must be the OP-TEE API UID), CALLS_REVISION (major 2),
// GET_OS_UUID / GET_OS_REVISION (logged), EXCHANGE_CAPABILITIES (requires
// DYNAMIC_SHM and RPC_ARG), GET_SHM_CONFIG (must match the carve-out),
// GET_THREAD_COUNT. Any mismatch is ENODEV (EPROTO for malformed answers).
Result<SecureWorldInfo> handshake(CallPath& path, uint64_t carveout_size);

// A driver over a pre-made conduit: `carveout`, the normal-world channel
// ends and the doorbell block (protocol/conduit.h); `child` (may be empty) is
// the secure world's process, killed if the handshake fails and when the
// driver goes.
Result<std::unique_ptr<OpteeDriver>> probe_with_conduit(UniqueFd carveout, std::vector<UniqueFd> channels,
                                                        UniqueFd doorbell, ChildProcess child = {});

}  // namespace swtee::optee
