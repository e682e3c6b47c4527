#include "os/partition.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "common/log.h"
#include "os/os_counters.h"
#include "os/pta/invoke_tests_pta.h"
#include "os/pta/system_pta.h"
#include "os/syscalls/ta_session_family.h"
#include "os/syscalls/time_family.h"
#include "os/ta_manager/syscalls.h"
#include "os/thread_rpc.h"

namespace swtee::os {

namespace {

uint32_t clamp32(uint64_t v) { return static_cast<uint32_t>(std::min<uint64_t>(v, UINT32_MAX)); }

}  // namespace

Result<std::shared_ptr<OsPartition>> OsPartition::create(PartitionConfig cfg) {
  if (!cfg.storage) return Error{EINVAL, "partition without storage"};
  if (cfg.storage->guest() != cfg.guest) return Error{EINVAL, "partition with another guest's storage"};
  std::shared_ptr<OsPartition> p(new OsPartition(cfg.guest));
  p->storage_ = cfg.storage;
  if (cfg.limits.threads > 0) p->threads_ = std::make_unique<ThreadTokens>(cfg.limits.threads);
  // TA system calls (os/ta_manager/syscalls.h): built before the host,
  // which hands the table to every instance. The TA-to-TA router learns
  // the host and the PTAs below, before the first call; it reaches this
  // partition's TAs only.
  p->callees_ = std::make_shared<HostCalleeRouter>();
  auto syscalls = std::make_shared<SyscallTable>();
  syscalls->set(tachan::SysFamily::Time, make_time_family(p->storage_));
  syscalls->set(tachan::SysFamily::TaSession, std::make_shared<TaSessionFamily>(p->callees_));
  syscalls->set(tachan::SysFamily::Storage, make_storage_family(p->storage_));
  cfg.ta_host.syscalls = syscalls;
  cfg.ta_host.max_instances = cfg.limits.ta_instances;
  cfg.ta_host.uid_share_percent = cfg.limits.uid_share_percent;
  p->instances_ = std::make_shared<SharedPool>(
      cfg.guest == 0 ? std::string("TA instances") : "guest " + std::to_string(cfg.guest) + ": TA instances",
      share_limit(cfg.limits.ta_instances, cfg.limits.uid_share_percent));
  cfg.ta_host.instance_pool = p->instances_;
  p->pta_waits_ = std::make_shared<SharedPool>(
      cfg.guest == 0 ? std::string("invoke_tests PTA waits")
                     : "guest " + std::to_string(cfg.guest) + ": invoke_tests PTA waits",
      share_limit(cfg.limits.pta_waits, cfg.limits.uid_share_percent));
  cfg.ta_host.max_sessions = cfg.limits.sessions;
  if (cfg.make_host) {
    ASSIGN_OR_RETURN(p->host_, cfg.make_host(cfg.ta_host));
  } else {
    ASSIGN_OR_RETURN(p->host_, create_process_ta_host(cfg.ta_host));
  }
  p->registry_ = std::make_unique<ShmRegistry>(cfg.limits.registered_shm);
  p->router_ = std::make_unique<SessionRouter>(p->host_.get(), cfg.limits.sessions, cfg.guest);
  p->callees_->set_host(p->host_.get());

  // PTAs see this partition only: its counts, its storage keys (and, for
  // the host's, the guests' totals).
  OsPartition* self = p.get();
  auto stats = std::make_unique<StatsPta>([self] { return self->counts(); },
                                          [self] { return self->status(); }, std::move(cfg.guest_counts));
  auto invoke_tests = std::make_unique<InvokeTestsPta>(p->pta_waits_);
  auto system = std::make_unique<SystemPta>(
      [storage = p->storage_](const Uuid& ta, std::span<const uint8_t> extra, std::span<uint8_t> out,
                              CallContext& call) -> Status {
        ThreadRpc* tr = call.rpc.thread_rpc();
        if (tr == nullptr) return Error{EIO, "no normal-world path for the storage key chain"};
        CallFs fs(*tr, *storage);
        ASSIGN_OR_RETURN(storage::SecretKey k,
                         storage->ta_unique_key(fs.fs(), ta, extra, static_cast<uint8_t>(out.size())));
        std::memcpy(out.data(), k.bytes().data(), out.size());
        return ok_status();
      });
  p->callees_->add_pta(stats.get());
  p->callees_->add_pta(invoke_tests.get());
  p->callees_->add_pta(system.get());
  TRY_STATUS(p->router_->add_pta(std::move(stats)));
  TRY_STATUS(p->router_->add_pta(std::move(invoke_tests)));
  TRY_STATUS(p->router_->add_pta(std::move(system)));
  p->entry_ = std::make_unique<MsgEntry>(*p->router_, *p->registry_);
  return p;
}

OsPartition::~OsPartition() {
  // Instances going with the host must not reach it through TA sessions
  // they hold while it is being destroyed.
  if (callees_) callees_->set_host(nullptr);
  entry_.reset();
  // The host first: its instances die (no entry points run) and close the
  // TA sessions they held, PTA ones included, while the PTAs still exist.
  host_.reset();
  router_.reset();
}

void OsPartition::shut_down() {
  log::info("guest {}: shutting its partition down", guest_);
  if (host_) host_->shut_down();
}

OsCounts OsPartition::counts() const {
  OsCounts c;
  c.sessions = router_->session_count();
  c.ta_instances = host_->instance_count();
  c.registered_shm = registry_->size();
  c.inflight_calls = router_->inflight_count();
  return c;
}

osstat::OsStatus OsPartition::status() const {
  const OsCounts c = counts();
  const OsCounters& k = os_counters();
  osstat::OsStatus s;
  s.counts.sessions = clamp32(c.sessions);
  s.counts.ta_instances = clamp32(c.ta_instances);
  s.counts.registered_shm = clamp32(c.registered_shm);
  s.counts.inflight = clamp32(c.inflight_calls);
  if (guest_ == 0) {  // process-wide counters: the host's report only
    s.counts.rpcs = k.rpcs.load(std::memory_order_relaxed);
    s.counts.storage_read_bytes = k.storage_read_bytes.load(std::memory_order_relaxed);
    s.counts.storage_written_bytes = k.storage_written_bytes.load(std::memory_order_relaxed);
  }
  s.pools[osstat::kPoolTaInstances] = instances_->status();
  s.pools[osstat::kPoolPtaWaits] = pta_waits_->status();
  s.tas = host_->ta_stats();
  for (const auto& t : s.tas) s.counts.ta_panics += t.panics;
  return s;
}

PartitionFactory guest_partition_factory(PartitionConfig base, std::shared_ptr<StorageService> host_storage) {
  return [base = std::move(base),
          host_storage = std::move(host_storage)](uint32_t id) -> Result<std::shared_ptr<Partition>> {
    PartitionConfig cfg = base;
    cfg.guest = id;
    cfg.guest_counts = nullptr;
    ASSIGN_OR_RETURN(cfg.storage, open_guest_storage_service(host_storage, id));
    ASSIGN_OR_RETURN(std::shared_ptr<OsPartition> p, OsPartition::create(std::move(cfg)));
    return std::shared_ptr<Partition>(std::move(p));
  };
}

}  // namespace swtee::os
