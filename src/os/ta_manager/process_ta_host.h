// The process-based TA host: user TAs as zygote-forked, sandboxed
// processes. Implements TaHost (os/ta_host.h).
//
// Instances: a SINGLE_INSTANCE TA has at most one live instance, shared by
// its sessions and found by UUID; any other TA gets a new instance per
// session. Without MULTI_SESSION a second session to a busy single instance
// is refused with BUSY. Without INSTANCE_KEEP_ALIVE an instance goes with
// its last session. The lifecycle flags come from the signed image header
// and must match the TA's own swtee_ta_info (else SECURITY).
//
// Cold starts: a TA whose image was verified and confirmed by the store
// less than the revalidation interval ago (verified_image_cache.h, default
// 1 s) starts without LOAD_TA; otherwise the image is fetched through
// LOAD_TA, and bytes identical to the verified ones are not verified
// again. The new instance is a spare process loaded ahead of time from
// that verified image (spare_pool.h) when one is ready.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <vector>

#include "common/thread_annotations.h"
#include "os/shared_pool.h"
#include "os/ta_host.h"
#include "os/ta_manager/spare_pool.h"
#include "os/ta_manager/ta_instance.h"
#include "os/ta_manager/verified_image_cache.h"
#include "os/ta_manager/zygote_client.h"

namespace swtee::os {

class ProcessTaHost final : public TaHost {
 public:
  // Nested TA-to-TA calls (ta_instance.h, lock_for_call) wait this long
  // for a busy callee, then answer BUSY: two single-instance TAs calling
  // each other from two threads must not wait for each other forever.
  static constexpr std::chrono::milliseconds kNestedLockWait{2000};

  static Result<std::unique_ptr<ProcessTaHost>> create(const TaHostConfig& cfg);
  ~ProcessTaHost() override;

  GpResult open_session(const Uuid& uuid, const ClientIdentity& client, OsParams& params, CallContext& call,
                        uint64_t* ta_session) override EXCLUDES(mu_);
  GpResult invoke(uint64_t ta_session, uint32_t cmd, OsParams& params, CallContext& call) override
      EXCLUDES(mu_);
  void close_session(uint64_t ta_session) override EXCLUDES(mu_);
  void close_session(uint64_t ta_session, SecureRpc* rpc) override EXCLUDES(mu_);

  size_t instance_count() const override { return live_instances(); }
  std::vector<osstat::TaStatus> ta_stats() const override EXCLUDES(mu_, deaths_mu_);
  void shut_down() override EXCLUDES(mu_);

  // Introspection (stats, tests).
  unsigned live_instances() const { return static_cast<unsigned>(instances_->used()); }
  // The pool of live instances, split per uid (TaHostConfig::instance_pool).
  const SharedPool& instance_pool() const { return *instances_; }
  size_t open_sessions() const EXCLUDES(mu_);
  pid_t zygote_pid() const { return zygote_->pid(); }
  // TA processes asked of the zygote so far, spares included (tests).
  uint64_t processes_spawned() const { return zygote_->spawns(); }
  // pid of the TA process serving a session, or -1.
  pid_t session_pid(uint64_t ta_session) const EXCLUDES(mu_);
  size_t cached_images() const { return images_.size(); }
  size_t ready_spares() const { return spares_->ready(); }
  std::vector<pid_t> spare_pids() const { return spares_->ready_pids(); }
  size_t spares_launched() const { return spares_->launched(); }
  // Waits until the spare pool has nothing left to launch (tests).
  void wait_spares_idle() { spares_->wait_idle(); }

 private:
  struct SessionRef {
    std::shared_ptr<TaInstance> inst;
    uint32_t ta_session = 0;
  };

  ProcessTaHost(const TaHostConfig& cfg, std::shared_ptr<ZygoteClient> zygote)
      : cfg_(cfg),
        zygote_(std::move(zygote)),
        images_(std::min(cfg.image_trust_ms, kMaxImageTrustMs)),
        spares_(std::make_unique<SparePool>(
            *zygote_, SparePool::per_ta_from_env(),
            std::chrono::milliseconds(std::clamp(cfg.spare_idle_ms, kMinSpareIdleMs, kMaxSpareIdleMs)))),
        instances_(cfg.instance_pool
                       ? cfg.instance_pool
                       : std::make_shared<SharedPool>(
                             "TA instances", share_limit(cfg.max_instances, cfg.uid_share_percent))) {}

  // A slot on the live-instance pool for an open by `uid`, or null at the
  // limit or the uid's share (OUT_OF_MEMORY, as OP-TEE answers when it
  // cannot make a TA context).
  std::unique_ptr<InstanceSlot> acquire_slot(const Uuid& uuid, std::optional<uint32_t> uid);
  // The verified image of `uuid`: the cached one within its revalidation
  // interval, else as the store holds it now (LOAD_TA, then the cache or
  // full verification).
  std::shared_ptr<const VerifiedImage> fetch_verified(const Uuid& uuid, CallContext& call, GpResult* err);

  // Loads, verifies and starts a new instance of `uuid`. From a spare (unless
  // `no_spare`), its create entry point is deferred to the first open
  // (TaInstance::defer_create); otherwise it has run.
  // *refill: the image whose spares the pool should replenish once the
  // open-session is over.
  std::shared_ptr<TaInstance> start_instance(const Uuid& uuid, std::optional<uint32_t> uid, CallContext& call,
                                             GpResult* err, std::shared_ptr<const VerifiedImage>* refill,
                                             bool no_spare) EXCLUDES(mu_);
  // Drops `inst` from the single-instance table if it is the one there.
  void forget(const std::shared_ptr<TaInstance>& inst) EXCLUDES(mu_);
  // The locked part of open_session. *retry: the instance was found dead
  // (look it up again). *spare_dead: a fresh spare was dead when its
  // deferred create ran (start afresh, without spares, once).
  GpResult open_locked(const std::shared_ptr<TaInstance>& inst, bool fresh, const ClientIdentity& client,
                       OsParams& params, CallContext& call, uint64_t* ta_session, bool* retry,
                       bool* spare_dead) REQUIRES(inst->mu()) EXCLUDES(mu_);
  void close_locked(const SessionRef& ref, CallContext* call) REQUIRES(ref.inst->mu()) EXCLUDES(mu_);
  // Closes that a nested call could not make without risking a deadlock
  // (the callee's lock stayed taken); the next call from the normal world
  // that holds no instance lock makes them.
  void close_deferred() EXCLUDES(mu_);
  // After a call: a dead or idle instance leaves. Called with inst->mu() held.
  void retire_if_done(const std::shared_ptr<TaInstance>& inst, CallContext* call = nullptr)
      REQUIRES(inst->mu()) EXCLUDES(mu_);

  const TaHostConfig cfg_;
  const std::shared_ptr<ZygoteClient> zygote_;
  VerifiedImageCache images_;
  // Declared after zygote_: destroyed (thread stopped) before it.
  const std::unique_ptr<SparePool> spares_;
  const std::shared_ptr<SharedPool> instances_;

  mutable Mutex mu_;
  CondVar loading_cv_;
  std::map<Uuid, std::shared_ptr<TaInstance>> single_ GUARDED_BY(mu_);
  std::set<Uuid> loading_ GUARDED_BY(mu_);
  std::unordered_map<uint64_t, SessionRef> sessions_ GUARDED_BY(mu_);
  std::vector<SessionRef> deferred_closes_ GUARDED_BY(mu_);
  uint64_t next_session_ GUARDED_BY(mu_) = 1;
  bool shut_ GUARDED_BY(mu_) = false;  // shut_down(): no new sessions

  // Deaths per TA (InstanceSlot::note_death), at most osstat::kMaxTas TAs.
  // A leaf lock.
  std::shared_ptr<std::atomic<uint64_t>> deaths_of(const Uuid& uuid) EXCLUDES(deaths_mu_);
  mutable Mutex deaths_mu_;
  std::map<Uuid, std::shared_ptr<std::atomic<uint64_t>>> deaths_ GUARDED_BY(deaths_mu_);
};

}  // namespace swtee::os
