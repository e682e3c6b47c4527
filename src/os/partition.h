// One client id's share of swtee-os (os/guests.h): its trusted storage (own
// key and tree), TA system calls, TA host (instances keyed by TA UUID
// within the partition), registered shm, sessions and PTAs, and the message
// entry in front of them. The host's clients (client id 0) get one at
// start; every guest gets its own at VM_CREATED. Nothing in one partition
// holds a reference into another: a handle (session id, shm cookie, TA
// instance, storage object) of one is simply not found from another, and
// TA-to-TA sessions are opened through the partition's own router. All
// partitions share the secure threads (with a share per guest), the zygote
// and the call limits.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "common/result.h"
#include "os/guests.h"
#include "os/msg_entry.h"
#include "os/pta/stats_pta.h"
#include "os/session_router.h"
#include "os/shared_pool.h"
#include "os/shm_registry.h"
#include "os/syscalls/storage_family.h"
#include "os/ta_host.h"
#include "os/thread_tokens.h"
#include "protocol/os_status_codec.h"

namespace swtee::os {

class HostCalleeRouter;

inline constexpr unsigned kDefaultPtaWaits = 3;
inline constexpr unsigned kDefaultUidSharePercent = 25;
// The PTA waits a partition allows with `threads` secure threads: all but
// one, so a thread stays free for other calls (at least 1).
inline unsigned pta_waits_for_threads(unsigned threads) { return threads > 1 ? threads - 1 : 1; }

// What one partition may hold at once.
struct PartitionLimits {
  unsigned sessions = kDefaultMaxSessions;  // open sessions (PTA and user TA)
  unsigned ta_instances = 64;               // live TA instances (processes)
  size_t registered_shm = kDefaultMaxRegisteredShm;
  unsigned threads = 0;  // secure threads its calls may hold at once; 0: no share of its own
  // Pending waits of the invoke_tests PTA at once (each holds a secure
  // thread): keep it under the threads the partition may use.
  unsigned pta_waits = kDefaultPtaWaits;
  // What one uid may hold of the instances and of the PTA waits, in
  // percent (os/shared_pool.h; swtee-os --uid-share, as swteed's).
  unsigned uid_share_percent = kDefaultUidSharePercent;
};

// A guest's defaults (swtee-os --guest-*): a quarter of the host's
// sessions and shm, a quarter of its instances; threads: half of them.
inline constexpr unsigned kDefaultGuestSessions = 256;
inline constexpr unsigned kDefaultGuestTaInstances = 16;
inline constexpr size_t kDefaultGuestRegisteredShm = 1024;
inline unsigned default_guest_threads(unsigned threads) { return threads > 1 ? threads / 2 : 1; }

struct PartitionConfig {
  uint32_t guest = 0;  // the client id; 0 = the host's clients
  // The TA host's settings (TaHostConfig::zygote shares one zygote between
  // partitions); `syscalls`, `max_instances` and `max_sessions` are filled
  // in by the partition.
  TaHostConfig ta_host;
  // The partition's trusted storage (open_storage_service for the host,
  // open_guest_storage_service for a guest).
  std::shared_ptr<StorageService> storage;
  PartitionLimits limits;
  // The host's partition only: the guests, for the stats PTA's GUESTS.
  std::function<GuestCounts()> guest_counts;
  // Makes the TA host (tests give a fake); empty: create_process_ta_host.
  std::function<Result<std::unique_ptr<TaHost>>(const TaHostConfig&)> make_host;
};

class OsPartition final : public Partition {
 public:
  static Result<std::shared_ptr<OsPartition>> create(PartitionConfig cfg);
  ~OsPartition() override;

  MsgEntry& entry() override { return *entry_; }
  // Kills every TA instance of the partition and refuses new sessions.
  void shut_down() override;
  OsCounts counts() const override;
  ThreadTokens* thread_share() override { return threads_.get(); }

  uint32_t guest() const { return guest_; }
  // The status report (protocol/os_status_wire.h) of this partition.
  osstat::OsStatus status() const;

 private:
  explicit OsPartition(uint32_t guest) : guest_(guest) {}

  const uint32_t guest_;
  std::shared_ptr<StorageService> storage_;
  std::unique_ptr<ThreadTokens> threads_;
  std::shared_ptr<HostCalleeRouter> callees_;
  std::shared_ptr<SharedPool> instances_;  // the TA host's instance pool
  std::shared_ptr<SharedPool> pta_waits_;  // the invoke_tests PTA's waits
  std::unique_ptr<TaHost> host_;
  std::unique_ptr<ShmRegistry> registry_;
  std::unique_ptr<SessionRouter> router_;
  std::unique_ptr<MsgEntry> entry_;
};

// The factory of guests' partitions (os/guests.h): guest n gets `base` with
// its own storage (open_guest_storage_service(host_storage, n)) and `limits`.
PartitionFactory guest_partition_factory(PartitionConfig base, std::shared_ptr<StorageService> host_storage);

}  // namespace swtee::os
