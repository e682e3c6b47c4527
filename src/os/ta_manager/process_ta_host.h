// The process-based TA host: user TAs as zygote-forked, sandboxed
// processes. Implements TaHost (os/ta_host.h).
//
// Instances: a SINGLE_INSTANCE TA has at most one live instance, shared by
// its sessions and found by UUID; any other TA gets a new instance per
// session. Without MULTI_SESSION a second session to a busy single instance
// is refused with BUSY. Without INSTANCE_KEEP_ALIVE an instance goes with
// its last session. The lifecycle flags come from the signed image header
// and must match the TA's own swtee_ta_info (else SECURITY).
#pragma once

#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <vector>

#include "common/thread_annotations.h"
#include "os/ta_host.h"
#include "os/ta_manager/ta_instance.h"
#include "os/ta_manager/zygote_client.h"

namespace swtee::os {

class ProcessTaHost final : public TaHost {
 public:
  static Result<std::unique_ptr<ProcessTaHost>> create(const TaHostConfig& cfg);
  ~ProcessTaHost() override;

  GpResult open_session(const Uuid& uuid, const ClientIdentity& client, OsParams& params, CallContext& call,
                        uint64_t* ta_session) override EXCLUDES(mu_);
  GpResult invoke(uint64_t ta_session, uint32_t cmd, OsParams& params, CallContext& call) override
      EXCLUDES(mu_);
  void close_session(uint64_t ta_session) override EXCLUDES(mu_);

  size_t instance_count() const override { return live_instances(); }

  // Introspection (stats, tests).
  unsigned live_instances() const { return live_instances_->load(std::memory_order_acquire); }
  size_t open_sessions() const EXCLUDES(mu_);
  pid_t zygote_pid() const { return zygote_->pid(); }
  // pid of the TA process serving a session, or -1.
  pid_t session_pid(uint64_t ta_session) const EXCLUDES(mu_);

 private:
  struct SessionRef {
    std::shared_ptr<TaInstance> inst;
    uint32_t ta_session = 0;
  };

  ProcessTaHost(const TaHostConfig& cfg, std::unique_ptr<ZygoteClient> zygote)
      : cfg_(cfg), zygote_(std::move(zygote)) {}

  // Loads, verifies and starts a new instance of `uuid`.
  std::shared_ptr<TaInstance> start_instance(const Uuid& uuid, CallContext& call, GpResult* err)
      EXCLUDES(mu_);
  // Drops `inst` from the single-instance table if it is the one there.
  void forget(const std::shared_ptr<TaInstance>& inst) EXCLUDES(mu_);
  // After a call: a dead or idle instance leaves. Called with inst->mu() held.
  void retire_if_done(const std::shared_ptr<TaInstance>& inst) REQUIRES(inst->mu()) EXCLUDES(mu_);

  const TaHostConfig cfg_;
  const std::unique_ptr<ZygoteClient> zygote_;
  const std::shared_ptr<std::atomic<unsigned>> live_instances_ = std::make_shared<std::atomic<unsigned>>(0);

  mutable Mutex mu_;
  CondVar loading_cv_;
  std::map<Uuid, std::shared_ptr<TaInstance>> single_ GUARDED_BY(mu_);
  std::set<Uuid> loading_ GUARDED_BY(mu_);
  std::unordered_map<uint64_t, SessionRef> sessions_ GUARDED_BY(mu_);
  uint64_t next_session_ GUARDED_BY(mu_) = 1;
};

}  // namespace swtee::os
