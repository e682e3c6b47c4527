#include "drivers/remote/remote_driver.h"

#include <swtee/uapi/tee.h>

#include <map>

#include "common/log.h"
#include "common/thread_annotations.h"
#include "core/context.h"
#include "drivers/remote/param_copy.h"
#include "protocol/gp_results.h"

namespace swtee::remote {
namespace {

struct HostSession {
  uint64_t epoch = 0;
  uint32_t id = 0;  // the host's number
};

// Per context: its sessions (our numbers -> the host's) and whether the
// host holds a context for it on which connection.
class RemoteContext final : public core::DriverContextData {
 public:
  // The epoch to send a new open-session on; marks the host as holding
  // this context there.
  void opened_on(uint64_t epoch) {
    MutexLock l(mu_);
    host_epoch_ = epoch;
  }
  uint32_t add(HostSession s) {
    MutexLock l(mu_);
    uint32_t id;
    do {
      id = next_++;
      if (next_ == 0) next_ = 1;
    } while (sessions_.count(id) != 0);
    sessions_.emplace(id, s);
    return id;
  }
  std::optional<HostSession> find(uint32_t id) const {
    MutexLock l(mu_);
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return std::nullopt;
    return it->second;
  }
  std::optional<HostSession> take(uint32_t id) {
    MutexLock l(mu_);
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return std::nullopt;
    HostSession s = it->second;
    sessions_.erase(it);
    return s;
  }
  // The epoch the host holds this context on, once (0: none or told already).
  uint64_t close() {
    MutexLock l(mu_);
    closed_ = true;
    return std::exchange(host_epoch_, 0);
  }
  bool closed() const {
    MutexLock l(mu_);
    return closed_;
  }

 private:
  mutable Mutex mu_;
  std::map<uint32_t, HostSession> sessions_ GUARDED_BY(mu_);
  uint32_t next_ GUARDED_BY(mu_) = 1;
  uint64_t host_epoch_ GUARDED_BY(mu_) = 0;
  bool closed_ GUARDED_BY(mu_) = false;
};

RemoteContext& data_of(core::Context& ctx) { return *static_cast<RemoteContext*>(ctx.driver_data()); }

core::TeeResult comms(uint32_t ret) { return {ret, kTeeOriginComms}; }

// A request that could not be encoded: a GP result for limits, an Error
// (-errno to the client) for a malformed request.
Status encode_failure(const Error& e, core::TeeResult& result) {
  if (e.code == E2BIG) {
    result = comms(kTeeErrorExcessData);
    return ok_status();
  }
  return e;
}

}  // namespace

core::VersionInfo RemoteDriver::get_version() const {
  const WelcomeBody& w = link_->welcome();
  // The host TEE's identity; of the generic capabilities only what this
  // driver itself provides: no registered memory, never PRIVILEGED.
  return {w.impl_id, w.impl_caps, w.gen_caps & (TEE_GEN_CAP_GP | TEE_GEN_CAP_MEMREF_NULL)};
}

uint32_t RemoteDriver::optional_ops() const {
  return core::OptionalOp::OpenSession | core::OptionalOp::CloseSession | core::OptionalOp::InvokeFunc |
         core::OptionalOp::CancelReq;
}

Result<std::unique_ptr<core::DriverContextData>> RemoteDriver::open(core::Context&) {
  return std::unique_ptr<core::DriverContextData>(std::make_unique<RemoteContext>());
}

void RemoteDriver::close_context(core::Context& ctx) {
  // The host's core then cancels the context's calls and closes its
  // sessions, as ours does for a local client that went away.
  const uint64_t epoch = data_of(ctx).close();
  if (epoch != 0) link_->post(epoch, encode_fixed(MsgType::CloseContext, 0, CloseContextBody{ctx.id()}));
}

void RemoteDriver::release(core::Context& ctx) { close_context(ctx); }

Status RemoteDriver::open_session(core::Context& ctx, core::OpenSessionArg& arg, core::TeeParams& params) {
  RemoteContext& d = data_of(ctx);
  const uint64_t epoch = link_->epoch();
  if (epoch == 0 || d.closed()) {
    arg.result = comms(kTeeErrorCommunication);
    return ok_status();
  }
  OpenSessionBody b{};
  b.context = ctx.id();
  std::memcpy(b.uuid, arg.uuid.octets.data(), sizeof(b.uuid));
  std::memcpy(b.clnt_uuid, arg.clnt_uuid.octets.data(), sizeof(b.clnt_uuid));
  b.clnt_login = arg.clnt_login;
  b.cancel_id = arg.cancel_id;
  auto frame = encode_request(MsgType::OpenSession, b, params);
  if (!frame.ok()) return encode_failure(frame.error(), arg.result);
  d.opened_on(epoch);
  auto reply = link_->call(epoch, std::move(frame).value());
  if (!reply.ok()) {
    arg.result = comms(kTeeErrorCommunication);
    return ok_status();
  }
  if (reply->type() != MsgType::CallReply) return Error{EPROTO, "open session", "reply type"};
  ASSIGN_OR_RETURN(CallReplyMsg r, decode_call_reply(reply->body));
  if (r.fixed.rc < 0) return Error{-r.fixed.rc, "open session", "refused by the host"};
  TRY_STATUS(apply_reply(r, params));
  arg.result = {r.fixed.ret, r.fixed.ret_origin};
  if (r.fixed.ret == kTeeSuccess) arg.session = d.add({epoch, r.fixed.session});
  return ok_status();
}

Status RemoteDriver::invoke_func(core::Context& ctx, core::InvokeArg& arg, core::TeeParams& params) {
  RemoteContext& d = data_of(ctx);
  auto s = d.find(arg.session);
  if (!s) return Error{EINVAL, "invoke", "no such session"};
  if (s->epoch != link_->epoch()) {
    arg.result = comms(kTeeErrorTargetDead);
    return ok_status();
  }
  InvokeBody b{};
  b.context = ctx.id();
  b.session = s->id;
  b.func = arg.func;
  b.cancel_id = arg.cancel_id;
  auto frame = encode_request(MsgType::Invoke, b, params);
  if (!frame.ok()) return encode_failure(frame.error(), arg.result);
  auto reply = link_->call(s->epoch, std::move(frame).value());
  if (!reply.ok()) {
    arg.result = comms(kTeeErrorTargetDead);
    return ok_status();
  }
  if (reply->type() != MsgType::CallReply) return Error{EPROTO, "invoke", "reply type"};
  ASSIGN_OR_RETURN(CallReplyMsg r, decode_call_reply(reply->body));
  if (r.fixed.rc < 0) return Error{-r.fixed.rc, "invoke", "refused by the host"};
  TRY_STATUS(apply_reply(r, params));
  arg.result = {r.fixed.ret, r.fixed.ret_origin};
  return ok_status();
}

Status RemoteDriver::close_session(core::Context& ctx, uint32_t session) {
  RemoteContext& d = data_of(ctx);
  auto s = d.take(session);
  if (!s) return Error{EINVAL, "close session", "no such session"};
  // A session of a connection that ended, or of a context the host
  // already closed, is gone there already.
  if (s->epoch != link_->epoch() || d.closed()) return ok_status();
  auto reply =
      link_->call(s->epoch, encode_fixed(MsgType::CloseSession, 0, CloseSessionBody{ctx.id(), s->id, 0}));
  if (!reply.ok()) return ok_status();
  if (reply->type() != MsgType::CloseReply) return Error{EPROTO, "close session", "reply type"};
  ASSIGN_OR_RETURN(CloseReplyBody r, decode_close_reply(reply->body));
  if (r.rc < 0) log::debug("remote: the host refused to close session {}: {}", s->id, Error{-r.rc}.message());
  return ok_status();
}

Status RemoteDriver::cancel_req(core::Context& ctx, uint32_t cancel_id, uint32_t session) {
  RemoteContext& d = data_of(ctx);
  uint64_t epoch = link_->epoch();
  uint32_t host_session = 0;
  if (session != 0) {
    auto s = d.find(session);
    if (!s) return Error{EINVAL, "cancel", "no such session"};
    if (s->epoch != epoch) return ok_status();
    host_session = s->id;
  }
  link_->post(epoch, encode_fixed(MsgType::Cancel, 0, CancelBody{ctx.id(), host_session, cancel_id}));
  return ok_status();
}

}  // namespace swtee::remote
