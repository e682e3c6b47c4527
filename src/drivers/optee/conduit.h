// The normal-world end of the conduit (protocol/conduit.h): the carve-out
// mapping, the doorbell block and a pool of channels. A caller leases one
// channel for a whole yielding call, including every RPC round trip of that
// call, and uses the carve-out slot with the channel's index for its
// optee_msg_arg. Frames go through the channel's doorbell (client end); the
// channel socket carries frame fds and tells when swtee-os is gone.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "common/doorbell.h"
#include "common/result.h"
#include "common/shm_file.h"
#include "common/thread_annotations.h"
#include "common/unique_fd.h"
#include "protocol/conduit.h"

namespace swtee::optee {

// One frame of the conduit: registers plus at most one fd.
struct SmcFrame {
  conduit::SmcRegs regs{};
  UniqueFd fd;
};

class Conduit {
 public:
  class Lease;

  // Takes the carve-out memfd (channels * kCarveoutSlotSize bytes), the
  // normal-world ends of the channel sockets and the doorbell block memfd
  // (channels * kDoorbellChannelSize bytes, zero). `spin_us` bounds the
  // yield-spin of a wait for a result before it sleeps on the futex.
  static Result<std::unique_ptr<Conduit>> create(UniqueFd carveout, std::vector<UniqueFd> channels,
                                                 UniqueFd doorbell, unsigned spin_us = doorbell_spin_us());
  ~Conduit();
  Conduit(const Conduit&) = delete;
  Conduit& operator=(const Conduit&) = delete;

  unsigned channel_count() const { return static_cast<unsigned>(channels_.size()); }

  // Blocks until a channel is free. ECONNRESET once the secure world is gone.
  Result<Lease> acquire() EXCLUDES(mu_);

  // One request and its reply on a leased channel. Any transport failure
  // (peer gone, malformed frame, mark_dead/shutdown meanwhile) marks the
  // secure world dead.
  Result<SmcFrame> exchange(Lease& lease, const conduit::SmcRegs& regs, int fd = -1);

  bool alive() const { return alive_.load(std::memory_order_acquire); }
  // Marks the secure world dead and wakes every waiter for a channel or a
  // result (an exchange in its futex wait returns within kDoorbellCheckMs).
  void mark_dead() EXCLUDES(mu_);
  // Hangs every doorbell up and shuts the sockets down so that swtee-os's
  // channel threads and blocked exchanges return; used on driver teardown.
  void shutdown() EXCLUDES(mu_);

  class Lease {
   public:
    Lease() = default;
    ~Lease() { reset(); }
    Lease(Lease&& o) noexcept;
    Lease& operator=(Lease&& o) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    unsigned index() const { return index_; }
    // The channel's carve-out slot, kCarveoutSlotSize bytes.
    uint8_t* slot() const;
    // The slot's "physical address" as the secure world knows it.
    uint64_t slot_phys() const;
    void reset();

   private:
    friend class Conduit;
    Lease(Conduit* c, unsigned index) : conduit_(c), index_(index) {}
    Conduit* conduit_ = nullptr;
    unsigned index_ = 0;
  };

 private:
  Conduit(Mapping carveout, std::vector<UniqueFd> channels, Mapping doorbell, unsigned spin_us);
  void release(unsigned index) EXCLUDES(mu_);
  void wake_all() EXCLUDES(mu_);

  Mapping carveout_;
  std::vector<UniqueFd> channels_;
  Mapping doorbell_;
  // One client end per channel, used only by the channel's lease holder
  // (post/wait) and by mark_dead/shutdown (interrupt/hang_up).
  std::vector<std::unique_ptr<DoorbellEnd>> bells_;
  std::atomic<bool> alive_{true};

  Mutex mu_;
  CondVar free_cv_;
  std::vector<unsigned> free_ GUARDED_BY(mu_);
};

}  // namespace swtee::optee
