#include "os/ta_manager/process_ta_host.h"

#include <time.h>
#include <unistd.h>

#include <chrono>
#include <optional>

#include "common/log.h"
#include "os/ta_manager/debug_image.h"

namespace swtee::os {
namespace {

constexpr GpResult tee_error(uint32_t code) { return GpResult{code, kTeeOriginTee}; }

uint64_t monotonic_us() {
  timespec t{};
  ::clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<uint64_t>(t.tv_sec) * 1000000u + static_cast<uint64_t>(t.tv_nsec) / 1000u;
}

}  // namespace

Result<std::unique_ptr<ProcessTaHost>> ProcessTaHost::create(const TaHostConfig& cfg) {
  if (cfg.ta_host_binary.empty() || cfg.max_instances == 0 || cfg.max_sessions == 0)
    return Error{EINVAL, "bad TA host config"};
  if (::access(cfg.ta_host_binary.c_str(), X_OK) != 0) return Error::from_errno("TA host binary");
  std::shared_ptr<ZygoteClient> zygote = cfg.zygote;
  if (!zygote) {
    ASSIGN_OR_RETURN(auto own, ZygoteClient::start(cfg.ta_host_binary, cfg.allow_without_landlock));
    zygote = std::move(own);
  }
  return std::unique_ptr<ProcessTaHost>(new ProcessTaHost(cfg, std::move(zygote)));
}

void ProcessTaHost::shut_down() {
  std::vector<std::shared_ptr<TaInstance>> all;
  {
    MutexLock l(mu_);
    shut_ = true;
    for (auto& [id, ref] : sessions_) all.push_back(ref.inst);
    for (auto& [uuid, inst] : single_) all.push_back(inst);
    for (auto& ref : deferred_closes_) all.push_back(ref.inst);
  }
  // Not under mu_ and without the instances' locks (a call may hold one).
  for (auto& inst : all) inst->terminate("its guest was destroyed");
}

ProcessTaHost::~ProcessTaHost() {
  // Instances die (SIGKILL through their pidfd) as their last reference
  // goes; collect them first so no instance destructor runs under mu_.
  std::vector<std::shared_ptr<TaInstance>> doomed;
  {
    MutexLock l(mu_);
    for (auto& [id, ref] : sessions_) doomed.push_back(std::move(ref.inst));
    for (auto& [uuid, inst] : single_) doomed.push_back(std::move(inst));
    for (auto& ref : deferred_closes_) doomed.push_back(std::move(ref.inst));
    deferred_closes_.clear();
    sessions_.clear();
    single_.clear();
  }
}

size_t ProcessTaHost::open_sessions() const {
  MutexLock l(mu_);
  return sessions_.size();
}

pid_t ProcessTaHost::session_pid(uint64_t ta_session) const {
  MutexLock l(mu_);
  auto it = sessions_.find(ta_session);
  return it == sessions_.end() ? -1 : it->second.inst->pid();
}

std::unique_ptr<InstanceSlot> ProcessTaHost::acquire_slot(const Uuid& uuid, std::optional<uint32_t> uid) {
  auto charge = instances_->take(uid);  // a refusal is counted and logged there
  if (!charge.ok()) {
    log::debug("TA {}: no instance: {}", uuid.to_string(), charge.error());
    return nullptr;
  }
  return std::make_unique<InstanceSlot>(std::move(*charge), deaths_of(uuid));
}

std::shared_ptr<std::atomic<uint64_t>> ProcessTaHost::deaths_of(const Uuid& uuid) {
  MutexLock l(deaths_mu_);
  auto it = deaths_.find(uuid);
  if (it != deaths_.end()) return it->second;
  if (deaths_.size() >= osstat::kMaxTas) return nullptr;  // a TA past the bound is not counted
  return deaths_.emplace(uuid, std::make_shared<std::atomic<uint64_t>>(0)).first->second;
}

std::vector<osstat::TaStatus> ProcessTaHost::ta_stats() const {
  // Sessions per instance from the session table: exact, and no instance
  // lock (a call may hold one for long).
  std::map<Uuid, std::map<const TaInstance*, osstat::InstanceStatus>> live;
  {
    MutexLock l(mu_);
    for (const auto& [id, ref] : sessions_) {
      auto& in = live[ref.inst->uuid()][ref.inst.get()];
      in.pid = ref.inst->pid();
      in.sessions++;
    }
    for (const auto& [uuid, inst] : single_)
      live[uuid].try_emplace(inst.get(), osstat::InstanceStatus{inst->pid(), 0});
  }
  std::map<Uuid, osstat::TaStatus> tas;
  for (auto& [uuid, insts] : live) {
    osstat::TaStatus& t = tas[uuid];
    t.uuid = uuid;
    for (auto& [ptr, in] : insts)
      if (in.pid > 0) t.instances.push_back(in);
  }
  {
    MutexLock l(deaths_mu_);
    for (const auto& [uuid, n] : deaths_) {
      const uint64_t d = n->load(std::memory_order_relaxed);
      if (d == 0 && tas.count(uuid) == 0) continue;
      osstat::TaStatus& t = tas[uuid];
      t.uuid = uuid;
      t.panics = d;
    }
  }
  std::vector<osstat::TaStatus> out;
  out.reserve(tas.size());
  for (auto& [uuid, t] : tas) out.push_back(std::move(t));
  return out;
}

std::shared_ptr<const VerifiedImage> ProcessTaHost::fetch_verified(const Uuid& uuid, CallContext& call,
                                                                   GpResult* err) {
  if (auto trusted = images_.trusted(uuid)) return trusted;  // opt-in; see verified_image_cache.h
  std::vector<uint8_t> image;
  const uint64_t hint = images_.size_hint(uuid);
  GpResult lr = hint != 0 ? call.rpc.load_ta_expecting(uuid, hint, image) : call.rpc.load_ta(uuid, image);
  if (lr.ret != kTeeSuccess) {
    // Gone from the store: nothing of it stays ready. (A failed transport
    // says nothing about the store; keep what we have.)
    if (lr.ret == kTeeErrorItemNotFound) {
      images_.erase(uuid);
      spares_->drop(uuid);
    }
    *err = GpResult{lr.ret, lr.origin != 0 ? lr.origin : kTeeOriginTee};
    return nullptr;
  }
  if (auto cached = images_.find(uuid, image)) return cached;
  bool security = false;
  auto verified = verify_image(uuid, std::move(image), cfg_.ta_pubkey_pems, &security);
  if (!verified) {
    if (security) {
      // The store now holds something else than what we verified before.
      images_.erase(uuid);
      spares_->drop(uuid);
    }
    *err = tee_error(security ? kTeeErrorSecurity : kTeeErrorOutOfMemory);
    return nullptr;
  }
  images_.put(verified);
  return verified;
}

std::shared_ptr<TaInstance> ProcessTaHost::start_instance(const Uuid& uuid, std::optional<uint32_t> uid,
                                                          CallContext& call, GpResult* err,
                                                          std::shared_ptr<const VerifiedImage>* refill,
                                                          bool no_spare) {
  auto slot = acquire_slot(uuid, uid);
  if (!slot) {
    *err = tee_error(kTeeErrorOutOfMemory);
    return nullptr;
  }
  const uint64_t t0 = monotonic_us();
  auto image = fetch_verified(uuid, call, err);
  if (!image) return nullptr;
  const uint64_t t1 = monotonic_us();

  for (const auto& d : cfg_.debug_tas) {
    if (d != uuid) continue;
    // Debugged: from a real file, never from a spare (spares hold memfds).
    auto file = write_debug_image(cfg_.debug_dir, uuid, image->payload.get());
    if (!file.ok()) {
      log::error("TA {}: debug image in {}: {}", uuid.to_string(), cfg_.debug_dir, file.error());
      *err = tee_error(kTeeErrorGeneric);
      return nullptr;
    }
    auto inst = TaInstance::start(*zygote_, uuid, image->ta_flags, file->get(), std::move(slot), err,
                                  cfg_.syscalls, &call);
    if (inst) {
      MutexLock l(inst->mu());
      inst->let_exit_cleanly();
    }
    return inst;
  }

  // The pool keeps spares of this image ready (one for a single-instance TA).
  *refill = image;
  std::shared_ptr<TaInstance> spare = no_spare ? nullptr : spares_->take(image);
  if (spare) {
    MutexLock l(spare->mu());
    spare->adopt_slot(std::move(slot));
    spare->set_syscalls(cfg_.syscalls);
    spare->defer_create();  // runs with the open, in one exchange
    log::debug("TA {}: started from a spare: fetch+check {} us, spare wait {} us", uuid.to_string(), t1 - t0,
               monotonic_us() - t1);
    return spare;
  }
  return TaInstance::start(*zygote_, uuid, image->ta_flags, image->payload.get(), std::move(slot), err,
                           cfg_.syscalls, &call);
}

void ProcessTaHost::forget(const std::shared_ptr<TaInstance>& inst) {
  MutexLock l(mu_);
  auto it = single_.find(inst->uuid());
  if (it != single_.end() && it->second == inst) single_.erase(it);
}

void ProcessTaHost::retire_if_done(const std::shared_ptr<TaInstance>& inst, CallContext* call) {
  switch (inst->state()) {
    case TaInstance::State::Alive:
      if (inst->sessions() == 0 && !(inst->single_instance() && inst->keep_alive())) {
        inst->destroy(call);
        forget(inst);
      }
      return;
    case TaInstance::State::Dead:
    case TaInstance::State::Destroyed:
      forget(inst);
      return;
  }
}

GpResult ProcessTaHost::open_session(const Uuid& uuid, const ClientIdentity& client, OsParams& params,
                                     CallContext& call, uint64_t* ta_session) {
  const bool nested = TaInstance::nested_on_this_thread();
  if (!nested) close_deferred();
  {
    MutexLock l(mu_);
    if (shut_) return tee_error(kTeeErrorTargetDead);
    if (sessions_.size() >= cfg_.max_sessions) return tee_error(kTeeErrorBusy);
  }
  // A shared instance found in the table may be destroyed or die before we
  // get its lock; then look again (bounded).
  // Spares are replenished when this call is over, whatever its outcome.
  std::shared_ptr<const VerifiedImage> refill;
  struct Replenish {
    SparePool& pool;
    std::shared_ptr<const VerifiedImage>& image;
    ~Replenish() {
      if (image) pool.want(image);
    }
  } replenish{*spares_, refill};
  bool no_spare = false;
  bool relaunched = false;
  for (int attempt = 0; attempt < 8; ++attempt) {
    std::shared_ptr<TaInstance> inst;
    bool fresh = false;
    {
      MutexLock l(mu_);
      // A nested open may wait for a load its own chain started (a TA
      // opening itself from TA_CreateEntryPoint): bounded, then BUSY.
      const auto deadline = std::chrono::steady_clock::now() + kNestedLockWait;
      while (loading_.count(uuid) != 0) {
        if (!nested) {
          loading_cv_.wait(mu_);
        } else if (!loading_cv_.wait_until(mu_, deadline) && loading_.count(uuid) != 0) {
          return tee_error(kTeeErrorBusy);
        }
      }
      auto it = single_.find(uuid);
      if (it != single_.end()) {
        inst = it->second;
      } else {
        loading_.insert(uuid);
      }
    }
    if (!inst) {
      GpResult err = tee_error(kTeeErrorGeneric);
      inst = start_instance(uuid, client.uid, call, &err, &refill, no_spare);
      {
        MutexLock l(mu_);
        loading_.erase(uuid);
        if (inst && inst->single_instance()) single_[uuid] = inst;
      }
      loading_cv_.notify_all();
      if (!inst && err.ret == kTeeErrorTargetDead && err.origin == kTeeOriginTee && !relaunched) {
        // The new process died before it could serve: killed while it
        // loaded (OOM, an operator), or its own code died. Once more, as
        // for a dead spare; a TA that always dies answers TARGET_DEAD.
        log::info("TA {}: its new process died before serving; starting another", uuid.to_string());
        relaunched = true;
        continue;
      }
      if (!inst) return err;
      fresh = true;
    }

    if (!fresh && !inst->multi_session() && inst->sessions_hint() > 0) return tee_error(kTeeErrorBusy);
    if (!inst->lock_for_call(&call.cancel, kNestedLockWait)) return tee_error(kTeeErrorBusy);
    bool retry = false;
    bool spare_dead = false;
    GpResult r = open_locked(inst, fresh, client, params, call, ta_session, &retry, &spare_dead);
    inst->unlock();
    if (spare_dead && !no_spare) {
      // The spare had died before it was taken (e.g. with its zygote).
      log::info("TA {}: spare process was dead; starting a new one", uuid.to_string());
      no_spare = true;
      continue;
    }
    if (!retry) return r;
  }
  return tee_error(kTeeErrorBusy);
}

GpResult ProcessTaHost::open_locked(const std::shared_ptr<TaInstance>& inst, bool fresh,
                                    const ClientIdentity& client, OsParams& params, CallContext& call,
                                    uint64_t* ta_session, bool* retry, bool* spare_dead) {
  if (inst->state() != TaInstance::State::Alive) {
    forget(inst);
    if (fresh) return tee_error(kTeeErrorTargetDead);
    *retry = true;
    return tee_error(kTeeErrorBusy);
  }
  if (!inst->multi_session() && inst->sessions() > 0) return tee_error(kTeeErrorBusy);
  uint32_t ta_sess = 0;
  bool ran_create = false;
  GpResult r = inst->open_session(client, params, call, &ta_sess, &ran_create);
  if (r.ret != kTeeSuccess) {
    retire_if_done(inst, &call);
    *spare_dead = fresh && ran_create && r.ret == kTeeErrorTargetDead && r.origin == kTeeOriginTee;
    return r;
  }
  {
    MutexLock l(mu_);
    if (sessions_.size() < cfg_.max_sessions) {
      const uint64_t id = next_session_++;
      sessions_[id] = SessionRef{inst, ta_sess};
      *ta_session = id;
      return r;
    }
  }
  inst->close_session(ta_sess);
  retire_if_done(inst);
  return tee_error(kTeeErrorBusy);
}

GpResult ProcessTaHost::invoke(uint64_t ta_session, uint32_t cmd, OsParams& params, CallContext& call) {
  if (!TaInstance::nested_on_this_thread()) close_deferred();
  SessionRef ref;
  {
    MutexLock l(mu_);
    auto it = sessions_.find(ta_session);
    if (it == sessions_.end()) return tee_error(kTeeErrorItemNotFound);
    ref = it->second;
  }
  if (!ref.inst->lock_for_call(&call.cancel, kNestedLockWait)) return tee_error(kTeeErrorBusy);
  GpResult r = ref.inst->invoke(ref.ta_session, cmd, params, call);
  if (ref.inst->state() != TaInstance::State::Alive) forget(ref.inst);
  ref.inst->unlock();
  return r;
}

void ProcessTaHost::close_session(uint64_t ta_session) { close_session(ta_session, nullptr); }

void ProcessTaHost::close_session(uint64_t ta_session, SecureRpc* rpc) {
  const bool nested = TaInstance::nested_on_this_thread();
  if (!nested) close_deferred();
  SessionRef ref;
  {
    MutexLock l(mu_);
    auto it = sessions_.find(ta_session);
    if (it == sessions_.end()) return;
    ref = std::move(it->second);
    sessions_.erase(it);
  }
  // Closing cannot be cancelled; the context only lends the RPC path.
  CancelState no_cancel;
  std::optional<CallContext> ctx;
  if (rpc != nullptr) ctx.emplace(CallContext{*rpc, no_cancel});
  CallContext* call = ctx ? &*ctx : nullptr;
  if (!ref.inst->lock_for_call(nullptr, kNestedLockWait)) {
    // A nested close (a TA closing its TA session, or an instance going
    // away) of a callee this chain cannot get: made later, never lost.
    log::warn("TA {}: session close deferred (the instance is busy)", ref.inst->uuid().to_string());
    MutexLock l(mu_);
    deferred_closes_.push_back(std::move(ref));
    return;
  }
  close_locked(ref, call);
  ref.inst->unlock();
}

void ProcessTaHost::close_locked(const SessionRef& ref, CallContext* call) {
  ref.inst->close_session(ref.ta_session, call);
  retire_if_done(ref.inst, call);
}

void ProcessTaHost::close_deferred() {
  std::vector<SessionRef> todo;
  {
    MutexLock l(mu_);
    if (deferred_closes_.empty()) return;
    todo.swap(deferred_closes_);
  }
  for (const SessionRef& ref : todo) {
    MutexLock il(ref.inst->mu());
    close_locked(ref, nullptr);
  }
}

Result<std::unique_ptr<TaHost>> create_process_ta_host(const TaHostConfig& cfg) {
  ASSIGN_OR_RETURN(auto host, ProcessTaHost::create(cfg));
  return std::unique_ptr<TaHost>(std::move(host));
}

}  // namespace swtee::os
