#include "ta_runtime/dispatcher.h"

#include <unistd.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "common/adaptive_spin.h"
#include "common/doorbell.h"
#include "common/uuid.h"
#include "protocol/ta_channel_codec.h"
#include "ta_runtime/param_convert.h"
#include "tee_api_defines.h"

namespace swtee::ta {
namespace {

using tachan::TaOp;
using tachan::TaReply;
using tachan::TaRequest;

// Reports a protocol violation by the OS side (should never happen) and exits.
[[noreturn]] void protocol_exit(Runtime& rt, std::string_view why) {
  tachan::TaLog l{1, static_cast<uint32_t>(std::min(why.size(), tachan::kMaxLogText))};
  (void)tachan::send_ta_message(*rt.link, tachan::TaMsgKind::Log, 0,
                                {reinterpret_cast<const uint8_t*>(&l), sizeof(l)},
                                {reinterpret_cast<const uint8_t*>(why.data()), l.len});
  ::_exit(kExitProtocol);
}

// Runs an entry point with the call's cancellation context set up.
// The cancellation mask is the session's (`mask`): masked when the session
// is opened, then only TEE_Mask/UnmaskCancellation change it, so a TA that
// unmasks in one entry point finds it unmasked in the session's next ones,
// as OP-TEE keeps it (tee_ta_session.cancel_mask, set once in
// tee_ta_init_session). Entry points without a session (create, destroy)
// run masked.
template <typename F>
TEE_Result in_call(Runtime& rt, const TaRequest& req, bool* mask, F&& f) {
  rt.current_seq = req.seq;
  rt.cancel_masked = mask != nullptr ? *mask : true;
  TEE_Result r = f();
  if (mask != nullptr) *mask = rt.cancel_masked;
  rt.cancel_masked = true;
  rt.current_seq = 0;
  return r;
}

void op_create(Runtime& rt, const TaRequest& req, TaReply& rep) {
  if (rt.created) protocol_exit(rt, "create: entry point already ran");
  rt.created = true;
  rep.ret = in_call(rt, req, nullptr, [&] { return rt.ep.create(); });
}

void op_open_session(Runtime& rt, const TaRequest& req, TaReply& rep) {
  if (rt.sessions.count(req.session) != 0) protocol_exit(rt, "open_session: session id in use");
  if ((req.flags & tachan::kReqCreateFirst) == 0 && !rt.created)
    protocol_exit(rt, "open_session: the instance was never created");
  if ((req.flags & tachan::kReqCreateFirst) != 0) {
    // The instance's first open: create, then open, in one exchange
    // (ta_channel_wire.h, kReqCreateFirst).
    op_create(rt, req, rep);
    if (rep.ret != TEE_SUCCESS) {
      rep.flags = tachan::kRepCreateFailed;
      return;
    }
  }
  TEE_Param params[4];
  uint32_t types = 0;
  rep.ret = params_from_wire(rt.windows, req, params, &types);
  if (rep.ret != TEE_SUCCESS) return;
  rt.client.login = req.login;
  // The wire carries RFC 4122 octets (big-endian fields); TEE_UUID holds
  // native integers.
  Uuid client;
  std::memcpy(client.octets.data(), req.client_uuid, sizeof(req.client_uuid));
  rt.client.uuid = uuid_to_gp<TEE_UUID>(client);
  void* ctx = nullptr;
  bool mask = true;
  rep.ret = in_call(rt, req, &mask, [&] { return rt.ep.open_session(types, params, &ctx); });
  params_to_wire(req, params, &rep);
  if (rep.ret == TEE_SUCCESS) rt.sessions[req.session] = Runtime::Session{ctx, rt.client, mask};
}

void op_invoke(Runtime& rt, const TaRequest& req, TaReply& rep) {
  auto it = rt.sessions.find(req.session);
  if (it == rt.sessions.end()) protocol_exit(rt, "invoke: unknown session");
  rt.client = it->second.client;
  TEE_Param params[4];
  uint32_t types = 0;
  rep.ret = params_from_wire(rt.windows, req, params, &types);
  if (rep.ret != TEE_SUCCESS) return;
  void* ctx = it->second.ctx;
  rep.ret =
      in_call(rt, req, &it->second.cancel_masked, [&] { return rt.ep.invoke(ctx, req.cmd, types, params); });
  params_to_wire(req, params, &rep);
}

void op_close_session(Runtime& rt, const TaRequest& req, TaReply& rep) {
  auto it = rt.sessions.find(req.session);
  if (it == rt.sessions.end()) protocol_exit(rt, "close_session: unknown session");
  rt.client = it->second.client;
  void* ctx = it->second.ctx;
  bool mask = it->second.cancel_masked;
  rt.sessions.erase(it);
  rep.ret = in_call(rt, req, &mask, [&] {
    rt.ep.close_session(ctx);
    return TEE_Result{TEE_SUCCESS};
  });
}

void op_destroy(Runtime& rt, const TaRequest& req, TaReply& rep) {
  if (!rt.created) protocol_exit(rt, "destroy: the instance was never created");
  rep.ret = in_call(rt, req, nullptr, [&] {
    rt.ep.destroy();
    return TEE_Result{TEE_SUCCESS};
  });
}

using OpHandler = void (*)(Runtime&, const TaRequest&, TaReply&);
constexpr std::array<OpHandler, tachan::kNumTaOps> kOps = {
    op_create,         // TaOp::Create
    op_open_session,   // TaOp::OpenSession
    op_invoke,         // TaOp::Invoke
    op_close_session,  // TaOp::CloseSession
    op_destroy,        // TaOp::Destroy
};
static_assert(static_cast<size_t>(TaOp::Destroy) + 1 == kOps.size());

// The end of a TA process that is done. A --debug-ta process runs its exit
// handlers (gcov/profile runtimes write their data there); any other ends at
// once.
[[noreturn]] void finish(const Runtime& rt) {
  if (rt.debug) std::exit(kExitNormal);
  ::_exit(kExitNormal);
}

}  // namespace

void serve_channel(Runtime& rt) {
  // The request is copied out of the channel block once, into here.
  alignas(TaRequest) std::array<uint8_t, sizeof(TaRequest)> buf;
  AdaptiveSpin spin(tachan::ta_channel_spin_us());  // waits for the next request
  for (;;) {
    auto m = rt.link->recv(buf, &spin);
    if (!m.ok()) {
      if (m.error().code == ECONNRESET) finish(rt);  // the OS let go of us
      protocol_exit(rt, m.error().code == EPROTO ? "malformed request" : "channel receive failed");
    }
    if (rt.destroyed) protocol_exit(rt, "a request after destroy");
    auto req = tachan::decode_request({buf.data(), m->length}, m->fds.size());
    if (!req.ok()) protocol_exit(rt, "malformed request");
    size_t next_fd = 0;
    for (size_t i = 0; i < tachan::kNumParams; ++i) {
      const tachan::TaWireParam& p = req->params[i];
      if ((p.flags & tachan::kParamFdAttached) == 0) continue;
      if (!rt.windows.adopt(i, tachan::window_dir(p.type), std::move(m->fds[next_fd++])).ok())
        protocol_exit(rt, "bad memref window");
    }
    rt.cpu.apply(req->cpu);
    TaReply rep{};
    kOps[req->op](rt, *req, rep);
    if (!tachan::send_ta_message(*rt.link, tachan::TaMsgKind::Reply, req->seq,
                                 {reinterpret_cast<const uint8_t*>(&rep), sizeof(rep)})
             .ok())
      finish(rt);
    if (static_cast<TaOp>(req->op) == TaOp::Destroy) {
      if (rt.debug) finish(rt);  // exit handlers; the OS waits for this exit (dispatcher.h)
      rt.destroyed = true;       // and wait for the OS to end the process
    }
  }
}

}  // namespace swtee::ta
