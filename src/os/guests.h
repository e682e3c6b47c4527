// Guests (OP-TEE's virtualization; protocol/conduit.h, "Client ids"). Every
// normal-world frame names its client id in a7: 0 is the host's own
// clients, n a guest the host announced with OPTEE_SMC_VM_CREATED. Each
// client id has its own partition of swtee-os: the message entry and
// everything behind it (sessions, registered shm, TA instances, storage),
// so nothing of one guest can be named from another. VM_DESTROYED takes the
// guest's partition away: calls for that id are refused ENOTAVAIL from then
// on, its TA instances are killed at once (calls still running end
// TARGET_DEAD), and the rest is freed when the last such call returns.
//
// Without a partition factory swtee-os serves client id 0 only, as OP-TEE
// built without virtualization: VM_CREATED / VM_DESTROYED are unknown
// functions and OPTEE_SMC_SEC_CAP_VIRTUALIZATION is not advertised.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "common/result.h"
#include "common/thread_annotations.h"
#include "os/msg_entry.h"
#include "os/pta/stats_pta.h"
#include "os/thread_tokens.h"
#include "protocol/conduit.h"

namespace swtee::os {

// What one guest owns in swtee-os.
class Partition {
 public:
  virtual ~Partition() = default;
  virtual MsgEntry& entry() = 0;
  // The guest is gone (VM_DESTROYED): end everything it runs now, without
  // running its TAs' entry points. Calls still running return promptly;
  // the partition is destroyed when the last of them lets go of it.
  virtual void shut_down() = 0;
  // What the partition holds now (sessions, TA instances, shm, calls).
  virtual OsCounts counts() const { return {}; }
  // The guest's share of the secure threads: a yielding call holds one of
  // these besides a global one (null: no share of its own).
  virtual ThreadTokens* thread_share() { return nullptr; }
};

// Makes guest `id`'s partition (VM_CREATED). An error refuses the guest.
using PartitionFactory = std::function<Result<std::shared_ptr<Partition>>(uint32_t id)>;

inline constexpr unsigned kDefaultMaxGuests = 8;

class Guests {
 public:
  // `host`: client id 0's entry (lives as long as this). `factory` empty:
  // no virtualization.
  explicit Guests(MsgEntry& host, PartitionFactory factory = {}, unsigned max_guests = kDefaultMaxGuests)
      : host_(host), factory_(std::move(factory)), max_guests_(max_guests) {}
  Guests(const Guests&) = delete;
  Guests& operator=(const Guests&) = delete;

  bool virtualization() const { return static_cast<bool>(factory_) && max_guests_ > 0; }

  // The entry serving client id `id` for one call; the lease keeps a
  // guest's partition alive until the call returns. nullopt: unknown id.
  struct Lease {
    MsgEntry* entry = nullptr;
    std::shared_ptr<Partition> partition;  // null for client id 0
  };
  std::optional<Lease> find(uint64_t client_id) const EXCLUDES(mu_);

  // The answer to VM_CREATED / VM_DESTROYED, or nullopt when `call` is
  // neither (or virtualization is off). Only client id 0 may make them.
  std::optional<conduit::SmcRegs> answer_vm_call(const conduit::SmcRegs& call) EXCLUDES(mu_);

  size_t count() const EXCLUDES(mu_);
  // The live guests and what their partitions hold, summed.
  GuestCounts counts() const EXCLUDES(mu_);

 private:
  uint32_t created(uint64_t id) EXCLUDES(mu_);
  uint32_t destroyed(uint64_t id) EXCLUDES(mu_);

  MsgEntry& host_;
  const PartitionFactory factory_;
  const unsigned max_guests_;
  mutable Mutex mu_;
  std::map<uint32_t, std::shared_ptr<Partition>> guests_ GUARDED_BY(mu_);
};

}  // namespace swtee::os
