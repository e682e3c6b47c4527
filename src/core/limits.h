// Resource limits of the generic core. Every limit fails cleanly: the
// request gets -errno and nothing is lost.
#pragma once

#include <cstdint>

namespace swtee::core {

struct CoreLimits {
  // Open contexts per device; the next connection is refused (EMFILE).
  uint32_t max_contexts_per_device = 1024;
  // Live shm ids per context (ENOSPC).
  uint32_t max_shms_per_context = 4096;
  // Open sessions per context (ENOSPC).
  uint32_t max_sessions_per_context = 1024;
  // Calls that may block (open/invoke/close/supplicant) running at once per
  // context (EBUSY). A context serves with at most this many + 1 threads.
  uint32_t max_inflight_per_context = 32;
  // Threads a context keeps parked for the next blocking call.
  uint32_t max_idle_threads_per_context = 2;
  // Request slots per context (uapi/slot_wire.h; EBUSY, the client then
  // uses the socket). Each slot is one serving thread in swteed.
  uint32_t max_slots_per_context = 32;
  // Largest shm object (ENOMEM).
  uint64_t max_shm_size = 256ull << 20;

  // Pools shared by all contexts of a device (uid_quotas.h), and the share
  // of each one uid may hold. Refusals: EMFILE (connection), ENOMEM (shm,
  // session). max_contexts_per_device is the connection pool.
  uint64_t max_shms = 8192;  // swteed lowers it to fit its fd limit
  uint64_t max_shm_bytes = 4ull << 30;
  uint64_t max_sessions = 1024;  // swtee-os's session table holds 1024
  // Sessions of one TA. (swtee-os splits its own pools, the TA instances
  // and the test PTA's waits, by the same share: os/shared_pool.h.)
  uint64_t max_sessions_per_ta = 512;
  // Request slots over all contexts (each a thread and a page; ENOSPC).
  uint64_t max_slots = 1024;
  unsigned uid_share_percent = 25;
};

}  // namespace swtee::core
