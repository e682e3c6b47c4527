// The driver interface of the generic core. It mirrors the kernel's
// struct tee_driver_ops: get_version, open and release are mandatory; every
// other op is optional. A driver says which optional ops it has once, in
// optional_ops(); the core records that at device registration and answers
// EINVAL (ENOTSUP for shm_register) itself for ops a driver lacks, without
// calling it.
//
// A driver registers one or more devices. OP-TEE registers two: tee0
// (client ops) and teepriv0 (supplicant ops, privileged). A driver that
// loads TAs itself and shares no memory with its TEE (AMD-TEE's model) just
// omits shm_register/shm_unregister and supp_*; memrefs still reach it as
// counted Shm references it can map.
//
// Threading: ops may be called concurrently from several threads, also for
// one context. Calls that block (open_session, invoke_func, supp_recv) must
// not hold locks that cancel_req or close_session need.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/result.h"
#include "common/uuid.h"
#include "core/tee_param.h"

namespace swtee::core {

class Context;
class Shm;

struct VersionInfo {
  uint32_t impl_id = 0;
  uint32_t impl_caps = 0;
  uint32_t gen_caps = 0;  // TEE_GEN_CAP_*; the core adds PRIVILEGED itself
};

// Result of a call into the TEE: the GP result as data.
struct TeeResult {
  uint32_t ret = 0;
  uint32_t ret_origin = 0;
};

struct OpenSessionArg {
  Uuid uuid;       // TA
  Uuid clnt_uuid;  // computed by the core from SO_PEERCRED and the login
  uint32_t clnt_login = 0;
  uint32_t cancel_id = 0;
  // out
  uint32_t session = 0;
  TeeResult result;
};

struct InvokeArg {
  uint32_t func = 0;
  uint32_t session = 0;
  uint32_t cancel_id = 0;
  // out
  TeeResult result;
};

// Supplicant RPC as the driver hands it to supp_recv callers.
struct SuppRequest {
  uint32_t func = 0;
  TeeParams params;
};

enum class OptionalOp : uint32_t {
  OpenSession = 1u << 0,
  CloseSession = 1u << 1,
  InvokeFunc = 1u << 2,
  CancelReq = 1u << 3,
  SuppRecv = 1u << 4,
  SuppSend = 1u << 5,
  ShmRegister = 1u << 6,
  ShmUnregister = 1u << 7,
  // Guests (guest_table.h): a driver has both or neither.
  GuestCreated = 1u << 8,
  GuestDestroyed = 1u << 9,
};
constexpr uint32_t operator|(OptionalOp a, OptionalOp b) {
  return static_cast<uint32_t>(a) | static_cast<uint32_t>(b);
}
constexpr uint32_t operator|(uint32_t a, OptionalOp b) { return a | static_cast<uint32_t>(b); }

// Per-context driver state: whatever the driver attaches to a context
// (OP-TEE: its session list). Destroyed after release().
class DriverContextData {
 public:
  virtual ~DriverContextData() = default;
};

class TeeDriver {
 public:
  virtual ~TeeDriver() = default;

  // --- mandatory ---
  virtual VersionInfo get_version() const = 0;
  // A new context (connection). May refuse: e.g. a second supplicant gets
  // EBUSY. On success returns the driver's per-context data (may be null).
  virtual Result<std::unique_ptr<DriverContextData>> open(Context& ctx) = 0;
  // The context is going away: close its sessions, fail its pending
  // requests. Called once, after the last call on the context has returned.
  virtual void release(Context& ctx) = 0;
  // The client's connection closed (the fd's last close, as the kernel's
  // close_context op). Called once, possibly while calls on the context are
  // still running: a driver must make its blocking calls for ctx that wait
  // on the normal world (supp_recv above all) return promptly, or the
  // context can never be released. release() follows once they returned.
  // Default: nothing to wake.
  virtual void close_context(Context& ctx) {}

  // Bitwise OR of OptionalOp: which of the ops below this driver has.
  virtual uint32_t optional_ops() const = 0;

  // --- optional (only called when listed in optional_ops()) ---
  // Transport failures are Errors (-> -errno to user space); GP failures go
  // in arg.result with a successful return.
  virtual Status open_session(Context& ctx, OpenSessionArg& arg, TeeParams& params) { return Error{EINVAL}; }
  virtual Status close_session(Context& ctx, uint32_t session) { return Error{EINVAL}; }
  virtual Status invoke_func(Context& ctx, InvokeArg& arg, TeeParams& params) { return Error{EINVAL}; }
  virtual Status cancel_req(Context& ctx, uint32_t cancel_id, uint32_t session) { return Error{EINVAL}; }
  // Blocks until a request is available for this supplicant context. `params`
  // holds the supplicant's offered param slots (NONE, or NONE|META first) and
  // is overwritten with the request's params.
  virtual Status supp_recv(Context& ctx, uint32_t& func, TeeParams& params) { return Error{EINVAL}; }
  virtual Status supp_send(Context& ctx, uint32_t ret, TeeParams& params) { return Error{EINVAL}; }
  virtual Status shm_register(Context& ctx, Shm& shm) { return Error{ENOTSUP}; }
  virtual void shm_unregister(Shm& shm) {}
  // Guests (core/guest_table.h): a guest is a client machine (a VM) whose
  // clients reach this TEE through the host; Context::guest_id() names it
  // on every call. A TEE that keeps state per guest needs to hear of its
  // arrival (to make room for that state) and of its departure (to drop
  // every session, TA instance and shared memory the guest held, without
  // running its TAs' entry points). The core calls guest_created before
  // the guest's first context and guest_destroyed after its contexts were
  // disconnected. A driver without these ops serves only guest 0 (the
  // host's own clients): the core refuses guests for it (ENOTSUP).
  // Errors: ENOSPC when the TEE has no room for another guest, EEXIST for
  // a live id, EINVAL for an id the TEE cannot represent.
  virtual Status guest_created(uint32_t guest_id) { return Error{ENOTSUP}; }
  virtual Status guest_destroyed(uint32_t guest_id) { return Error{ENOTSUP}; }
};

// What the core knows of a registered device.
struct DeviceDesc {
  std::string name;          // "tee0", "teepriv0": also the socket name
  bool privileged = false;   // TEE_DESC_PRIVILEGED
  TeeDriver* ops = nullptr;  // not owned; outlives the device
};

}  // namespace swtee::core
