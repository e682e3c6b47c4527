// SUPPL_RECV and SUPPL_SEND: the supplicant's side of the RPC queue.
#include <swtee/uapi/tee.h>

#include "core/handlers.h"

namespace swtee::core::handlers {

Result<HandlerReply> supp_recv(ContextImpl& ctx, std::span<const uint8_t> arg, std::vector<UniqueFd>&) {
  Device& dev = ctx.dev();
  if (!dev.has(OptionalOp::SuppRecv)) return Error{EINVAL, "no supp_recv op"};
  ASSIGN_OR_RETURN(auto req, uapi::decode_supp_recv(arg));
  const auto memref_null = ctx.memref_null_ok() ? MemrefNull::Allowed : MemrefNull::Rejected;
  ASSIGN_OR_RETURN(TeeParams params, params_from_user(req.params, shm_lookup_for(ctx), memref_null));
  uint32_t func = 0;
  TRY_STATUS(dev.driver().supp_recv(ctx, func, params));
  // The reply carries exactly the request's params (<= the offered slots).
  if (params.size() > req.params.size()) return Error{EINVAL, "request has more params than offered"};
  req.params.resize(params.size());
  TRY_STATUS(params_to_supp(req.params, params));
  req.hdr.func = func;
  return HandlerReply{uapi::encode_buf_arg(req.hdr, req.params), nullptr, nullptr};
}

Result<HandlerReply> supp_send(ContextImpl& ctx, std::span<const uint8_t> arg, std::vector<UniqueFd>&) {
  Device& dev = ctx.dev();
  if (!dev.has(OptionalOp::SuppSend)) return Error{EINVAL, "no supp_send op"};
  ASSIGN_OR_RETURN(auto req, uapi::decode_supp_send(arg));
  ASSIGN_OR_RETURN(TeeParams params, params_from_supp(req.params));
  TRY_STATUS(dev.driver().supp_send(ctx, req.hdr.ret, params));
  return HandlerReply{std::vector<uint8_t>(arg.begin(), arg.end()), nullptr, nullptr};
}

}  // namespace swtee::core::handlers
