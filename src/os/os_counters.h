// Counters of the whole swtee-os process for `swtee status` (the stats
// PTA's STATUS report): RPCs to the normal world and the bytes trusted
// storage moved through them. Telemetry only: relaxed atomics that no
// decision reads, bumped where the work happens (thread_rpc.cc, fs_rpc.cc).
#pragma once

#include <atomic>
#include <cstdint>

namespace swtee::os {

struct OsCounters {
  std::atomic<uint64_t> rpcs{0};
  std::atomic<uint64_t> storage_read_bytes{0};     // REE FS reads and RPMB responses
  std::atomic<uint64_t> storage_written_bytes{0};  // REE FS writes and RPMB requests

  static void add(std::atomic<uint64_t>& c, uint64_t n) { c.fetch_add(n, std::memory_order_relaxed); }
};

// The process's counters.
inline OsCounters& os_counters() {
  static OsCounters counters;
  return counters;
}

}  // namespace swtee::os
