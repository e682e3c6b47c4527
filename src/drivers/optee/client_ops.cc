#include "drivers/optee/client_ops.h"

#include <optional>

#include "common/log.h"
#include "drivers/optee/param_codec.h"
#include "protocol/gp_results.h"
#include "protocol/opener_uid.h"
#include "protocol/optee_smc.h"

namespace swtee::optee {

namespace {

ClientContextData* data_of(core::Context& ctx) { return static_cast<ClientContextData*>(ctx.driver_data()); }

// Keeps a user cancel id mapped to its secure-world id while a call runs.
class CancelScope {
 public:
  CancelScope(ClientContextData& d, uint32_t user_id, uint32_t secure_id, uint32_t session,
              std::atomic<bool>* cancelled)
      : d_(d), user_(user_id), secure_(secure_id) {
    d_.add_cancel(user_, {secure_, session, cancelled});
  }
  ~CancelScope() { d_.remove_cancel(user_, secure_); }
  CancelScope(const CancelScope&) = delete;
  CancelScope& operator=(const CancelScope&) = delete;

 private:
  ClientContextData& d_;
  uint32_t user_, secure_;
};

}  // namespace

// --- per-context data ---------------------------------------------------------

size_t ClientContextData::session_count() const {
  MutexLock l(mu_);
  return sessions_.size();
}

bool ClientContextData::add_session(uint32_t s) {
  MutexLock l(mu_);
  return sessions_.insert(s).second;
}

bool ClientContextData::has_session(uint32_t s) const {
  MutexLock l(mu_);
  return sessions_.count(s) != 0;
}

bool ClientContextData::remove_session(uint32_t s) {
  MutexLock l(mu_);
  return sessions_.erase(s) != 0;
}

std::set<uint32_t> ClientContextData::take_sessions() {
  MutexLock l(mu_);
  return std::exchange(sessions_, {});
}

void ClientContextData::add_cancel(uint32_t user_id, InFlight call) {
  MutexLock l(mu_);
  cancels_.emplace(user_id, call);
}

void ClientContextData::remove_cancel(uint32_t user_id, uint32_t secure_id) {
  MutexLock l(mu_);
  auto [b, e] = cancels_.equal_range(user_id);
  for (auto it = b; it != e; ++it) {
    if (it->second.secure_id == secure_id) {
      cancels_.erase(it);
      return;
    }
  }
}

std::vector<uint32_t> ClientContextData::cancels_for(uint32_t user_id) const {
  MutexLock l(mu_);
  std::vector<uint32_t> out;
  auto [b, e] = cancels_.equal_range(user_id);
  for (auto it = b; it != e; ++it) {
    if (it->second.cancelled != nullptr) it->second.cancelled->store(true, std::memory_order_release);
    out.push_back(it->second.secure_id);
  }
  return out;
}

std::vector<ClientContextData::InFlight> ClientContextData::all_in_flight() const {
  MutexLock l(mu_);
  std::vector<InFlight> out;
  out.reserve(cancels_.size());
  for (const auto& [user, call] : cancels_) {
    if (call.cancelled != nullptr) call.cancelled->store(true, std::memory_order_release);
    out.push_back(call);
  }
  return out;
}

// --- ops -------------------------------------------------------------------------

uint32_t ClientOps::optional_ops() const {
  uint32_t ops = core::OptionalOp::OpenSession | core::OptionalOp::CloseSession |
                 core::OptionalOp::InvokeFunc | core::OptionalOp::CancelReq | core::OptionalOp::ShmUnregister;
  if (core_.serves_guests()) ops = ops | core::OptionalOp::GuestCreated | core::OptionalOp::GuestDestroyed;
  return ops;
}

namespace {

// VM_CREATED / VM_DESTROYED: a fast call from client id 0 (the hypervisor).
Result<uint64_t> vm_call(DriverCore& core, uint32_t fid, uint32_t guest_id) {
  if (!core.serves_guests()) return Error{ENOTSUP, "the secure world does not partition by guest"};
  if (guest_id == kHypervisorClientId || guest_id > kMaxClientId)
    return Error{EINVAL, "guest id outside OP-TEE's client ids (1..65535)"};
  conduit::SmcRegs regs{{fid, guest_id, 0, 0, 0, 0, 0, kHypervisorClientId}};
  ASSIGN_OR_RETURN(conduit::SmcRegs r, core.path().fast_call(regs));
  return r.a[0];
}

}  // namespace

Status ClientOps::guest_created(uint32_t guest_id) {
  ASSIGN_OR_RETURN(uint64_t a0, vm_call(core_, kSmcVmCreated, guest_id));
  if (a0 == kSmcReturnOk) return ok_status();
  if (a0 == kSmcReturnENotAvail) return Error{ENOSPC, "VM_CREATED: no room for another guest"};
  return Error{EPROTO, "VM_CREATED"}.in(fmt::format("answered {:#x}", a0));
}

Status ClientOps::guest_destroyed(uint32_t guest_id) {
  ASSIGN_OR_RETURN(uint64_t a0, vm_call(core_, kSmcVmDestroyed, guest_id));
  if (a0 == kSmcReturnOk) return ok_status();
  return Error{EPROTO, "VM_DESTROYED"}.in(fmt::format("answered {:#x}", a0));
}

Result<std::unique_ptr<core::DriverContextData>> ClientOps::open(core::Context&) {
  return std::unique_ptr<core::DriverContextData>(std::make_unique<ClientContextData>());
}

void ClientOps::release(core::Context& ctx) {
  ClientContextData* d = data_of(ctx);
  if (d == nullptr) return;
  for (uint32_t s : d->take_sessions()) send_close(ctx.guest_id(), s);
}

void ClientOps::send_close(uint32_t guest, uint32_t session) {
  MsgCall call;
  call.guest = guest;
  call.hdr.cmd = static_cast<uint32_t>(MsgCmd::CloseSession);
  call.hdr.session = session;
  if (!core_.path().call(call).ok() || call.hdr.ret != kTeeSuccess) {
    log::debug("optee: CLOSE_SESSION {:#x} answered {:#x}", session, call.hdr.ret);
  }
}

Status ClientOps::run_with_params(ClientContextData& data, uint32_t user_cancel_id, MsgCall& call,
                                  core::TeeParams& params, core::TeeResult& res) {
  const size_t meta = call.params.size();
  if (meta + params.size() > conduit::kMaxArgParams) return Error{EINVAL, "too many params"};
  // Memory the secure world does not know yet is registered first.
  for (auto& p : params) {
    uint64_t cookie = 0;
    if (core::is_memref(p.type) && p.memref.shm != nullptr) {
      cookie = core_.ensure_registered(*p.memref.shm, res, call.guest);
      if (cookie == 0) return ok_status();  // res says why
    }
    ASSIGN_OR_RETURN(MsgParam m, encode_call_param(p, cookie));
    call.params.push_back(m);
  }
  const uint32_t secure_cancel = core_.new_cancel_id();
  call.hdr.cancel_id = secure_cancel;
  std::atomic<bool> cancelled{false};
  call.cancelled = &cancelled;
  {
    CancelScope scope(data, user_cancel_id, secure_cancel, call.hdr.session, &cancelled);
    TRY_STATUS(core_.path().call(call));
  }
  res = {call.hdr.ret, call.hdr.ret_origin};
  // Nothing came back to decode: a transport failure, or a secure world that died.
  if (call.hdr.ret_origin == kTeeOriginComms && call.hdr.ret != kTeeSuccess) return ok_status();
  if (call.hdr.ret == kTeeErrorTargetDead && !core_.conduit().alive()) return ok_status();
  for (size_t i = 0; i < params.size(); ++i) {
    if (!decode_call_result(call.params[meta + i], params[i]).ok()) {
      log::warn("optee: secure world answered with changed param types");
      res = {kTeeErrorCommunication, kTeeOriginComms};
      return Error{EPROTO, "bad answer"};
    }
  }
  return ok_status();
}

Status ClientOps::open_session(core::Context& ctx, core::OpenSessionArg& arg, core::TeeParams& params) {
  ClientContextData* d = data_of(ctx);
  if (d == nullptr) return Error{EINVAL, "no driver data"};
  arg.session = 0;
  if (d->session_count() >= ClientContextData::kMaxSessions) {
    arg.result = {kTeeErrorBusy, kTeeOriginComms};
    return ok_status();
  }
  MsgCall call;
  call.guest = ctx.guest_id();
  call.hdr.cmd = static_cast<uint32_t>(MsgCmd::OpenSession);
  // The opener's uid, for swtee-os's per-uid shares (protocol/opener_uid.h).
  // A guest's clients are the guest's uids, which swteed does not know.
  const std::optional<uint32_t> uid = ctx.guest_id() == 0 && ctx.peer().uid != kNoUid
                                          ? std::optional<uint32_t>(ctx.peer().uid)
                                          : std::nullopt;
  call.params.push_back(uuid_meta_param(arg.uuid, opener_uid_word(uid)));
  call.params.push_back(uuid_meta_param(arg.clnt_uuid, arg.clnt_login));
  arg.result = {};
  Status st = run_with_params(*d, arg.cancel_id, call, params, arg.result);
  if (!st.ok()) {
    if (st.error().code != EPROTO) return st;
    if (call.hdr.ret == kTeeSuccess)
      send_close(call.guest, call.hdr.session);  // answer unusable: do not leak it
    return ok_status();
  }
  if (arg.result.ret == kTeeSuccess) {
    if (!d->add_session(call.hdr.session)) {
      // Closing it would close the live session of that id: just refuse.
      log::error("optee: secure world returned live session id {:#x} again", call.hdr.session);
      arg.result = {kTeeErrorCommunication, kTeeOriginComms};
      return ok_status();
    }
    arg.session = call.hdr.session;
  }
  return ok_status();
}

Status ClientOps::invoke_func(core::Context& ctx, core::InvokeArg& arg, core::TeeParams& params) {
  ClientContextData* d = data_of(ctx);
  if (d == nullptr || !d->has_session(arg.session)) return Error{EINVAL, "unknown session"};
  MsgCall call;
  call.guest = ctx.guest_id();
  call.hdr.cmd = static_cast<uint32_t>(MsgCmd::InvokeCommand);
  call.hdr.func = arg.func;
  call.hdr.session = arg.session;
  arg.result = {};
  Status st = run_with_params(*d, arg.cancel_id, call, params, arg.result);
  if (!st.ok() && st.error().code != EPROTO) return st;
  return ok_status();
}

Status ClientOps::close_session(core::Context& ctx, uint32_t session) {
  ClientContextData* d = data_of(ctx);
  if (d == nullptr || !d->remove_session(session)) return Error{EINVAL, "unknown session"};
  send_close(ctx.guest_id(), session);
  return ok_status();
}

Status ClientOps::cancel_req(core::Context& ctx, uint32_t cancel_id, uint32_t session) {
  ClientContextData* d = data_of(ctx);
  if (d == nullptr) return Error{EINVAL, "no driver data"};
  if (session != 0 && !d->has_session(session)) return Error{EINVAL, "unknown session"};
  // Best effort, as OP-TEE's: a call that is not (or no longer) running has
  // nothing to cancel.
  for (uint32_t secure_id : d->cancels_for(cancel_id)) {
    MsgCall call;
    call.guest = ctx.guest_id();
    call.hdr.cmd = static_cast<uint32_t>(MsgCmd::Cancel);
    call.hdr.session = session;
    call.hdr.cancel_id = secure_id;
    TRY_STATUS(core_.path().call(call));
  }
  return ok_status();
}

void ClientOps::send_cancel(uint32_t guest, uint32_t secure_cancel_id, uint32_t session) {
  MsgCall call;
  call.guest = guest;
  call.hdr.cmd = static_cast<uint32_t>(MsgCmd::Cancel);
  call.hdr.session = session;
  call.hdr.cancel_id = secure_cancel_id;
  if (Status st = core_.path().call(call); !st.ok())
    log::debug("optee: CANCEL {:#x} of session {:#x} failed: {}", secure_cancel_id, session, st.error());
}

void ClientOps::close_context(core::Context& ctx) {
  ClientContextData* d = data_of(ctx);
  if (d == nullptr) return;
  for (const auto& call : d->all_in_flight()) send_cancel(ctx.guest_id(), call.secure_id, call.session);
}

}  // namespace swtee::optee
