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
  // Largest shm object (ENOMEM).
  uint64_t max_shm_size = 256ull << 20;
};

}  // namespace swtee::core
