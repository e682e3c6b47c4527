// TA-to-TA sessions (GP TEE_OpenTASession / InvokeTACommand /
// CloseTASession), the OS side, without the wire: the TaSession family
// (ta_session_family.h) decodes a syscall into these calls.
//
// Identity: the callee sees login TEE_LOGIN_TRUSTED_APP and the caller's
// UUID (gpd.client.identity).
//
// Sessions: the TA sessions an instance opened live in its SyscallState
// (TaSessions); ids are scoped to that instance, and every session still
// open is closed when the instance goes (death included). At most
// limits.max_sessions per instance (OUT_OF_MEMORY beyond: GP's answer when
// resources run out).
//
// Nesting: the callee's call gets CallContext{caller's RPC path, its own
// CancelState, depth + 1}. Depth beyond limits.max_depth answers
// OUT_OF_MEMORY (origin TEE): each level holds a secure thread's stack and
// a TA process, a resource. Self-calls and cycles answer BUSY (the TA host
// detects them; ta_instance.h lock_for_call), as OP-TEE does.
//
// Cancellation (GP 1.3.1 §4.10): when the caller has cancellation unmasked
// a cancel of its call (TEEC_RequestCancellation, or its own caller's
// timeout) is passed on to the callee's call, however deep; a
// cancellationRequestTimeout other than TEE_TIMEOUT_INFINITE requests
// cancellation of the callee's call once it elapses.
//
// Death: a callee that panics gives TARGET_DEAD (origin TEE) to its caller,
// which lives on; the session then answers TARGET_DEAD to every invoke
// until closed.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "common/thread_annotations.h"
#include "common/uuid.h"
#include "os/os_types.h"
#include "os/pta/pseudo_ta.h"
#include "os/ta_manager/cancel_timer.h"
#include "os/ta_host.h"
#include "os/ta_manager/syscalls.h"

namespace swtee::os {

inline constexpr uint32_t kTeeLoginTrustedApp = 0xF0000000;

// One open callee: a PTA session or a TA host session.
struct CalleeRef {
  PseudoTa* pta = nullptr;
  PtaSession pta_session;     // pta != nullptr
  uint64_t host_session = 0;  // pta == nullptr
};

// Where TA-to-TA calls go.
class CalleeRouter {
 public:
  virtual ~CalleeRouter() = default;
  virtual GpResult open(const Uuid& uuid, const ClientIdentity& client, OsParams& params, CallContext& call,
                        CalleeRef* out) = 0;
  virtual GpResult invoke(const CalleeRef& ref, uint32_t cmd, OsParams& params, CallContext& call) = 0;
  // `rpc` may be null (an instance going away has no RPC path).
  virtual void close(const CalleeRef& ref, SecureRpc* rpc) = 0;
};

// The router of swtee-os: its PTAs, then the TA host. Set up before the
// first call (set_host, add_pta); read-only afterwards.
class HostCalleeRouter final : public CalleeRouter {
 public:
  void set_host(TaHost* host) { host_.store(host, std::memory_order_release); }
  void add_pta(PseudoTa* pta) { ptas_.push_back(pta); }

  GpResult open(const Uuid& uuid, const ClientIdentity& client, OsParams& params, CallContext& call,
                CalleeRef* out) override;
  GpResult invoke(const CalleeRef& ref, uint32_t cmd, OsParams& params, CallContext& call) override;
  void close(const CalleeRef& ref, SecureRpc* rpc) override;

 private:
  std::atomic<TaHost*> host_{nullptr};
  std::vector<PseudoTa*> ptas_;
  std::atomic<uint32_t> next_pta_session_{1};
};

struct TaSessionLimits {
  unsigned max_sessions = 32;  // TA sessions one instance may hold open
  unsigned max_depth = 8;      // TA-to-TA nesting of a call (the client's call is depth 0)
};

// What a caller's call asks of its nested call.
struct NestedCallOptions {
  uint32_t timeout_ms = 0xFFFFFFFF;  // cancellationRequestTimeout
  bool cancel_masked = true;         // the caller's mask while it waits
};

// The sessions one instance opened (its SyscallState).
class TaSessions final : public SyscallState {
 public:
  explicit TaSessions(std::shared_ptr<CalleeRouter> router) : router_(std::move(router)) {}
  // Closes every session still open (no RPC path: the instance is gone).
  ~TaSessions() override;

  struct Entry {
    CalleeRef ref;
    bool dead = false;  // the callee died: invokes answer TARGET_DEAD
  };
  std::map<uint64_t, Entry>& sessions() { return sessions_; }
  uint64_t take_id() { return next_id_++; }

 private:
  const std::shared_ptr<CalleeRouter> router_;
  std::map<uint64_t, Entry> sessions_;
  uint64_t next_id_ = 1;
};

class TaSessionCore {
 public:
  TaSessionCore(std::shared_ptr<CalleeRouter> router, TaSessionLimits limits = {})
      : router_(std::move(router)), limits_(limits) {}

  // `slot`: the caller's state slot (created on first use); `outer`: the
  // caller's call (null: none; no RPC, no cancellation); `depth`: its depth.
  GpResult open(std::unique_ptr<SyscallState>& slot, const Uuid& caller, CallContext* outer, unsigned depth,
                const Uuid& dest, const NestedCallOptions& opt, OsParams& params, uint64_t* id);
  // *known = false when `id` names no session of this instance (the
  // runtime validates handles, so that is a broken runtime).
  GpResult invoke(std::unique_ptr<SyscallState>& slot, CallContext* outer, unsigned depth, uint64_t id,
                  uint32_t cmd, const NestedCallOptions& opt, OsParams& params, bool* known);
  // False when `id` names no session of this instance.
  bool close(std::unique_ptr<SyscallState>& slot, SecureRpc* rpc, uint64_t id);

  size_t open_sessions(std::unique_ptr<SyscallState>& slot);
  CancelTimer& timer() { return timer_; }
  const TaSessionLimits& limits() const { return limits_; }

 private:
  TaSessions& state(std::unique_ptr<SyscallState>& slot);
  template <typename F>
  GpResult nested_call(CallContext* outer, unsigned depth, const NestedCallOptions& opt, F&& f);

  const std::shared_ptr<CalleeRouter> router_;
  const TaSessionLimits limits_;
  CancelTimer timer_;
};

}  // namespace swtee::os
