#include "os/syscalls/ta_session_core.h"

#include <chrono>

#include "common/log.h"

namespace swtee::os {
namespace {

constexpr GpResult tee_error(uint32_t code) { return GpResult{code, kTeeOriginTee}; }
constexpr uint32_t kTimeoutInfinite = 0xFFFFFFFF;

// The RPC path of a nested call whose caller has none (an entry point run
// without a client call): every service reports the path missing.
class NoRpc final : public SecureRpc {
 public:
  GpResult load_ta(const Uuid&, std::vector<uint8_t>&) override {
    return {kTeeErrorCommunication, kTeeOriginComms};
  }
};

}  // namespace

// ---- HostCalleeRouter ----

GpResult HostCalleeRouter::open(const Uuid& uuid, const ClientIdentity& client, OsParams& params,
                                CallContext& call, CalleeRef* out) {
  for (PseudoTa* pta : ptas_) {
    if (pta->uuid() != uuid) continue;
    CalleeRef ref;
    ref.pta = pta;
    ref.pta_session.id = next_pta_session_.fetch_add(1, std::memory_order_relaxed);
    ref.pta_session.client = client;
    GpResult r = pta->open_session(ref.pta_session, params, call);
    if (r.origin == 0) r.origin = kTeeOriginTrustedApp;
    if (r.ret == kTeeSuccess) *out = ref;
    return r;
  }
  TaHost* host = host_.load(std::memory_order_acquire);
  if (host == nullptr) return tee_error(kTeeErrorItemNotFound);
  CalleeRef ref;
  GpResult r = host->open_session(uuid, client, params, call, &ref.host_session);
  if (r.ret == kTeeSuccess) *out = ref;
  return r;
}

GpResult HostCalleeRouter::invoke(const CalleeRef& ref, uint32_t cmd, OsParams& params, CallContext& call) {
  if (ref.pta != nullptr) {
    GpResult r = ref.pta->invoke(ref.pta_session, cmd, params, call);
    if (r.origin == 0) r.origin = kTeeOriginTrustedApp;
    return r;
  }
  TaHost* host = host_.load(std::memory_order_acquire);
  if (host == nullptr) return tee_error(kTeeErrorTargetDead);
  GpResult r = host->invoke(ref.host_session, cmd, params, call);
  // The host forgets sessions only when they are closed; a session it does
  // not know is one whose instance went away.
  if (r.ret == kTeeErrorItemNotFound && r.origin == kTeeOriginTee) r = tee_error(kTeeErrorTargetDead);
  return r;
}

void HostCalleeRouter::close(const CalleeRef& ref, SecureRpc* rpc) {
  if (ref.pta != nullptr) {
    ref.pta->close_session(ref.pta_session);
    return;
  }
  if (TaHost* host = host_.load(std::memory_order_acquire)) host->close_session(ref.host_session, rpc);
}

// ---- TaSessions ----

TaSessions::~TaSessions() {
  for (auto& [id, e] : sessions_) router_->close(e.ref, nullptr);
}

// ---- TaSessionCore ----

TaSessions& TaSessionCore::state(std::unique_ptr<SyscallState>& slot) {
  // The slot is this family's alone: whatever is in it is a TaSessions.
  if (!slot) slot = std::make_unique<TaSessions>(router_);
  return static_cast<TaSessions&>(*slot);
}

size_t TaSessionCore::open_sessions(std::unique_ptr<SyscallState>& slot) {
  return slot ? state(slot).sessions().size() : 0;
}

template <typename F>
GpResult TaSessionCore::nested_call(CallContext* outer, unsigned depth, const NestedCallOptions& opt, F&& f) {
  if (depth >= limits_.max_depth) {
    log::warn("TA-to-TA call nested {} deep refused", depth + 1);
    return tee_error(kTeeErrorOutOfMemory);
  }
  NoRpc no_rpc;
  CancelState cancel;
  CallContext nested{outer != nullptr ? outer->rpc : no_rpc, cancel, depth + 1,
                     outer != nullptr ? outer->uid : std::nullopt};
  CancelTimer::Id deadline = 0;
  if (opt.timeout_ms != kTimeoutInfinite) {
    deadline = timer_.schedule(CancelTimer::Clock::now() + std::chrono::milliseconds(opt.timeout_ms),
                               [&cancel] { cancel.request(); });
    if (deadline == 0) return tee_error(kTeeErrorOutOfMemory);
  }
  const bool chained = outer != nullptr && !opt.cancel_masked;
  if (chained) outer->cancel.set_child(&cancel);
  GpResult r = f(nested);
  // Unlink before `cancel` goes: neither path touches it afterwards.
  if (chained) outer->cancel.set_child(nullptr);
  timer_.cancel(deadline);
  return r;
}

GpResult TaSessionCore::open(std::unique_ptr<SyscallState>& slot, const Uuid& caller, CallContext* outer,
                             unsigned depth, const Uuid& dest, const NestedCallOptions& opt, OsParams& params,
                             uint64_t* id) {
  TaSessions& st = state(slot);
  if (st.sessions().size() >= limits_.max_sessions) {
    log::warn("TA {}: TA session limit ({}) reached", caller.to_string(), limits_.max_sessions);
    return tee_error(kTeeErrorOutOfMemory);
  }
  // The callee's instance (and any PTA wait) is charged to the uid the
  // outer call serves.
  const ClientIdentity client{kTeeLoginTrustedApp, caller, outer != nullptr ? outer->uid : std::nullopt};
  CalleeRef ref;
  GpResult r = nested_call(
      outer, depth, opt, [&](CallContext& call) { return router_->open(dest, client, params, call, &ref); });
  if (r.ret != kTeeSuccess) return r;
  const uint64_t sid = st.take_id();
  st.sessions().emplace(sid, TaSessions::Entry{ref, false});
  *id = sid;
  return r;
}

GpResult TaSessionCore::invoke(std::unique_ptr<SyscallState>& slot, CallContext* outer, unsigned depth,
                               uint64_t id, uint32_t cmd, const NestedCallOptions& opt, OsParams& params,
                               bool* known) {
  TaSessions& st = state(slot);
  auto it = st.sessions().find(id);
  *known = it != st.sessions().end();
  if (!*known) return tee_error(kTeeErrorBadParameters);
  if (it->second.dead) return tee_error(kTeeErrorTargetDead);
  // A copy: the map is this instance's and only this thread touches it
  // while the call runs, but the entry need not outlive a nested failure.
  const CalleeRef ref = it->second.ref;
  GpResult r = nested_call(outer, depth, opt,
                           [&](CallContext& call) { return router_->invoke(ref, cmd, params, call); });
  if (r.ret == kTeeErrorTargetDead && r.origin == kTeeOriginTee) {
    auto again = st.sessions().find(id);
    if (again != st.sessions().end()) again->second.dead = true;
  }
  return r;
}

bool TaSessionCore::close(std::unique_ptr<SyscallState>& slot, SecureRpc* rpc, uint64_t id) {
  if (!slot) return false;
  TaSessions& st = state(slot);
  auto it = st.sessions().find(id);
  if (it == st.sessions().end()) return false;
  const CalleeRef ref = it->second.ref;
  st.sessions().erase(it);
  router_->close(ref, rpc);
  return true;
}

}  // namespace swtee::os
