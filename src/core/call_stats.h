// Counters and calls in flight of one device, for `swtee status`: every
// open-session, invoke and close-session counts; a call is "in flight" from
// the moment the core hands it to the driver until the driver returns.
// Costs one uncontended mutex lock at the start and one at the end of a call.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <vector>

#include "common/thread_annotations.h"

namespace swtee::core {

class CallStats {
 public:
  struct Inflight {
    pid_t pid = 0;
    const char* op = "";
    uint32_t session = 0;
    uint32_t func = 0;
    std::chrono::steady_clock::time_point start;
  };
  struct Snapshot {
    uint64_t calls = 0;   // completed
    uint64_t errors = 0;  // completed with a transport error or a GP result other than success
    uint64_t panics = 0;  // completed with TEE_ERROR_TARGET_DEAD (the TA panicked or died)
    std::vector<Inflight> inflight;
  };

  // Registers a call for the life of the scope; done() records its outcome.
  class Scope {
   public:
    Scope(CallStats& s, const Inflight& c);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    void done(uint32_t ret, bool transport_error);

   private:
    CallStats& stats_;
    std::list<Inflight>::iterator it_;
    bool recorded_ = false;
  };

  Snapshot snapshot() const EXCLUDES(mu_);

 private:
  friend class Scope;
  std::atomic<uint64_t> calls_{0};
  std::atomic<uint64_t> errors_{0};
  std::atomic<uint64_t> panics_{0};
  mutable Mutex mu_;
  std::list<Inflight> inflight_ GUARDED_BY(mu_);
};

}  // namespace swtee::core
