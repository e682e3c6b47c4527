// OPEN_SESSION, INVOKE, CANCEL, CLOSE_SESSION.
#include <swtee/uapi/tee.h>

#include <cstring>

#include "common/log.h"
#include "core/call_trace.h"
#include "core/handlers.h"
#include "core/login.h"

namespace swtee::core::handlers {
namespace {

MemrefNull memref_null_of(const ContextImpl& ctx) {
  return ctx.memref_null_ok() ? MemrefNull::Allowed : MemrefNull::Rejected;
}

using Clock = std::chrono::steady_clock;

// Start time of a traced call; none when tracing is off.
Clock::time_point trace_start() { return trace::on() ? Clock::now() : Clock::time_point{}; }

void trace_end(const char* op, const ContextImpl& ctx, uint32_t session, const Uuid* ta, uint32_t func,
               const TeeParams* params, Clock::time_point t0, uint32_t ret, uint32_t origin, int error) {
  trace::Call c;
  c.op = op;
  c.pid = ctx.peer().pid;
  c.session = session;
  c.ta = ta;
  c.func = func;
  c.params = params;
  c.duration = Clock::now() - t0;
  c.ret = ret;
  c.origin = origin;
  c.error = error;
  trace::emit(c);
}

}  // namespace

Result<HandlerReply> open_session(ContextImpl& ctx, std::span<const uint8_t> arg, std::vector<UniqueFd>&) {
  Device& dev = ctx.dev();
  if (!dev.has(OptionalOp::OpenSession)) return Error{EINVAL, "no open_session op"};
  ASSIGN_OR_RETURN(auto req, uapi::decode_open_session(arg));
  ASSIGN_OR_RETURN(TeeParams params, params_from_user(req.params, shm_lookup_for(ctx), memref_null_of(ctx)));
  // Checked after the params, as the kernel does.
  const std::span<const uint8_t, 16> given(req.hdr.clnt_uuid);
  ASSIGN_OR_RETURN(Uuid clnt,
                   ctx.guest_id() != kHostGuestId
                       ? guest_client_uuid(req.hdr.clnt_login, given)
                       : client_uuid_for_login(req.hdr.clnt_login, given, ctx.peer(), ctx.groups()));
  TRY_STATUS(ctx.sessions().check_room());

  OpenSessionArg a;
  std::memcpy(a.uuid.octets.data(), req.hdr.uuid, sizeof(req.hdr.uuid));
  // The uid's share of all sessions, and of this TA's (uid_quotas.h).
  std::vector<QuotaCharge> charges;
  for (Pool pool : {Pool::Sessions, Pool::SessionsPerTa}) {
    auto c = dev.quotas().take(ctx.peer().uid, pool, 1, a.uuid);
    if (!c.ok()) return Error{ENOMEM, "sessions: this user's share or the pool is used up"};
    charges.push_back(std::move(*c));
  }
  a.clnt_uuid = clnt;
  a.clnt_login = req.hdr.clnt_login;
  a.cancel_id = req.hdr.cancel_id;
  const auto t0 = trace_start();
  CallStats::Scope in_flight(dev.calls(), {ctx.peer().pid, "open", 0, 0, std::chrono::steady_clock::now()});
  Status opened = dev.driver().open_session(ctx, a, params);
  in_flight.done(a.result.ret, !opened.ok());
  if (trace::on())
    trace_end("open", ctx, a.session, &a.uuid, 0, &params, t0, a.result.ret, a.result.ret_origin,
              opened.ok() ? 0 : opened.error().code);
  TRY_STATUS(opened);

  HandlerReply r;
  if (a.result.ret == 0) {
    if (Status st = ctx.sessions().add(a.session, a.uuid, std::move(charges)); !st.ok()) {
      log::error("{}: driver returned session {} twice in one context", dev.desc().name, a.session);
      return st.error();
    }
    r.on_send_failure = [&ctx, s = a.session] {
      if (ctx.sessions().remove(s)) (void)ctx.dev().driver().close_session(ctx, s);
    };
  }
  req.hdr.session = a.session;
  req.hdr.ret = a.result.ret;
  req.hdr.ret_origin = a.result.ret_origin;
  params_to_user(req.params, params);
  r.arg = uapi::encode_buf_arg(req.hdr, req.params);
  return r;
}

Result<HandlerReply> invoke(ContextImpl& ctx, std::span<const uint8_t> arg, std::vector<UniqueFd>&) {
  Device& dev = ctx.dev();
  if (!dev.has(OptionalOp::InvokeFunc)) return Error{EINVAL, "no invoke_func op"};
  ASSIGN_OR_RETURN(auto req, uapi::decode_invoke(arg));
  ASSIGN_OR_RETURN(TeeParams params, params_from_user(req.params, shm_lookup_for(ctx), memref_null_of(ctx)));
  if (!ctx.sessions().contains(req.hdr.session)) return Error{EINVAL, "session not open in this context"};

  InvokeArg a;
  a.func = req.hdr.func;
  a.session = req.hdr.session;
  a.cancel_id = req.hdr.cancel_id;
  const auto t0 = trace_start();
  CallStats::Scope in_flight(dev.calls(),
                             {ctx.peer().pid, "invoke", a.session, a.func, std::chrono::steady_clock::now()});
  Status done = dev.driver().invoke_func(ctx, a, params);
  in_flight.done(a.result.ret, !done.ok());
  if (trace::on()) {
    const auto ta = ctx.sessions().ta_of(a.session);
    trace_end("invoke", ctx, a.session, ta ? &*ta : nullptr, a.func, &params, t0, a.result.ret,
              a.result.ret_origin, done.ok() ? 0 : done.error().code);
  }
  TRY_STATUS(done);
  req.hdr.ret = a.result.ret;
  req.hdr.ret_origin = a.result.ret_origin;
  params_to_user(req.params, params);
  return HandlerReply{uapi::encode_buf_arg(req.hdr, req.params), nullptr, nullptr};
}

Result<HandlerReply> cancel(ContextImpl& ctx, std::span<const uint8_t> arg, std::vector<UniqueFd>&) {
  Device& dev = ctx.dev();
  if (!dev.has(OptionalOp::CancelReq)) return Error{EINVAL, "no cancel_req op"};
  ASSIGN_OR_RETURN(tee_ioctl_cancel_arg req, uapi::decode_cancel(arg));
  // Session 0 cancels an open_session in progress (by cancel id); the
  // driver scopes cancel ids to ctx.
  if (req.session != 0 && !ctx.sessions().contains(req.session))
    return Error{EINVAL, "session not open in this context"};
  TRY_STATUS(dev.driver().cancel_req(ctx, req.cancel_id, req.session));
  return HandlerReply{uapi::encode_struct(req), nullptr, nullptr};
}

Result<HandlerReply> close_session(ContextImpl& ctx, std::span<const uint8_t> arg, std::vector<UniqueFd>&) {
  Device& dev = ctx.dev();
  if (!dev.has(OptionalOp::CloseSession)) return Error{EINVAL, "no close_session op"};
  ASSIGN_OR_RETURN(tee_ioctl_close_session_arg req, uapi::decode_close_session(arg));
  // Removed first, so a concurrent close or invoke of the same id fails here.
  const auto ta = trace::on() ? ctx.sessions().ta_of(req.session) : std::nullopt;
  if (!ctx.sessions().remove(req.session)) return Error{EINVAL, "session not open in this context"};
  const auto t0 = trace_start();
  CallStats::Scope in_flight(dev.calls(),
                             {ctx.peer().pid, "close", req.session, 0, std::chrono::steady_clock::now()});
  Status closed = dev.driver().close_session(ctx, req.session);
  in_flight.done(0, !closed.ok());
  if (trace::on())
    trace_end("close", ctx, req.session, ta ? &*ta : nullptr, 0, nullptr, t0, 0, 0,
              closed.ok() ? 0 : closed.error().code);
  TRY_STATUS(closed);
  return HandlerReply{uapi::encode_struct(req), nullptr, nullptr};
}

}  // namespace swtee::core::handlers
