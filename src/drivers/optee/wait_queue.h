// Keyed wait queue for RPC OPTEE_RPC_CMD_NOTIFICATION (WAIT_QUEUE in 2016):
// a secure thread WAITs on a key until another SENDs that key. A SEND that
// comes before its WAIT is remembered (per-key count, as the 2016 driver's
// completions did), so the secure world's ordering cannot lose a wake-up.
// Bounded: at most kMaxKeys live keys.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>

#include "common/thread_annotations.h"

namespace swtee::optee {

class WaitQueue {
 public:
  static constexpr size_t kMaxKeys = 1024;
  static constexpr uint32_t kMaxPendingSends = 1u << 16;

  enum class WaitResult : uint8_t { Woken, TimedOut, Aborted, Full };

  // timeout_ms 0 = no timeout.
  WaitResult wait(uint64_t key, uint32_t timeout_ms) EXCLUDES(mu_);
  // false when the key table is full.
  bool send(uint64_t key) EXCLUDES(mu_);
  // Wakes every waiter with Aborted; later waits return Aborted at once.
  void abort() EXCLUDES(mu_);
  size_t live_keys() const EXCLUDES(mu_);

 private:
  struct Entry {
    uint32_t pending = 0;
    uint32_t waiters = 0;
    CondVar cv;
  };
  Entry* get_locked(uint64_t key) REQUIRES(mu_);
  void drop_if_idle_locked(uint64_t key) REQUIRES(mu_);

  mutable Mutex mu_;
  std::unordered_map<uint64_t, std::unique_ptr<Entry>> keys_ GUARDED_BY(mu_);
  bool aborted_ GUARDED_BY(mu_) = false;
};

}  // namespace swtee::optee
