#include <sys/types.h>

#include <array>
#include <cstring>
#include <vector>

#include "common/uuid.h"
#include "libteec/api_ops.h"
#include "libteec/cancel_id.h"
#include "libteec/operation_marshal.h"
#include "libteec/registry.h"
#include "swtee/uapi/tee.h"
#include "uapi/uapi_codec.h"

namespace swtee::teec {

namespace {

// An ioctl that did not complete: transport failure or -errno.
TeecStatus comms_failure(const Result<uapi::Reply>& r) {
  if (!r.ok()) return {TEEC_ERROR_COMMUNICATION, TEEC_ORIGIN_COMMS};
  return {teec_result_from_errno(-r->rc), TEEC_ORIGIN_COMMS};
}

// Header + four params, as the ioctl's buf_ptr would point at them.
template <typename Hdr>
struct CallBuffer {
  std::array<tee_ioctl_param, kNumParams> params{};
  Hdr hdr{};  // last: the header type ends in a flexible array

  std::vector<uint8_t> encode() const { return uapi::encode_buf_arg(hdr, params); }
  // Reads the reply once into hdr/params. False when the size is wrong.
  bool decode(const std::vector<uint8_t>& in) {
    if (in.size() != sizeof(Hdr) + sizeof(params)) return false;
    std::memcpy(&hdr, in.data(), sizeof(Hdr));
    std::memcpy(params.data(), in.data() + sizeof(Hdr), sizeof(params));
    return true;
  }
};

// GROUP logins carry the gid at the start of clnt_uuid; the core checks
// membership. The other methods carry nothing: identity comes from the socket.
// Methods are not judged here: as with OP-TEE's libteec, the driver refuses
// what it does not serve (EINVAL, or EPERM for the REE kernel range), so the
// origin is COMMS.
TeecStatus set_login(tee_ioctl_open_session_arg& a, uint32_t method, const void* data) {
  if (method == TEEC_LOGIN_GROUP || method == TEEC_LOGIN_GROUP_APPLICATION) {
    if (data == nullptr) return bad_parameters();
    std::memcpy(a.clnt_uuid, data, sizeof(gid_t));
  }
  a.clnt_login = method;
  return {};
}

}  // namespace

TeecStatus open_session(TEEC_Context* context, TEEC_Session* session, const TEEC_UUID* destination,
                        uint32_t method, const void* data, TEEC_Operation* op) {
  if (context == nullptr || session == nullptr || destination == nullptr) return bad_parameters();
  auto ctx = lookup_context(context);
  if (!ctx) return bad_parameters();

  CallBuffer<tee_ioctl_open_session_arg> buf;
  auto uuid = uuid_from_gp(*destination).octets;
  std::memcpy(buf.hdr.uuid, uuid.data(), uuid.size());
  if (auto st = set_login(buf.hdr, method, data); st.result != TEEC_SUCCESS) return st;
  buf.hdr.cancel_id = cancel_id_for(op);
  buf.hdr.num_params = kNumParams;
  // Temporary buffers of an open are not cached: there is no session yet.
  auto prep = PreparedOperation::prepare(*ctx, std::nullopt, op, buf.params);
  if (!prep.ok()) return api_failure(prep.error());

  // Make the open cancellable: RequestCancellation finds (context, session 0).
  // A failed open gives the struct back as it was: OP-TEE writes the
  // session only when the open succeeds.
  const auto saved = session->imp;
  TEEC_Session* const saved_op_session = op != nullptr ? op->imp.session : nullptr;
  if (op != nullptr) {
    MutexLock l(Registry::instance().operation_mu());
    session->imp.ctx = context;
    session->imp.session_id = 0;
    op->imp.session = session;
  }
  auto reply = ctx->call(TEE_IOC_OPEN_SESSION, buf.encode());
  TeecStatus st;
  bool answered = false;
  if (!reply.ok() || reply->rc < 0) {
    st = comms_failure(reply);
  } else if (!buf.decode(reply->arg)) {
    st = {TEEC_ERROR_COMMUNICATION, TEEC_ORIGIN_COMMS};
  } else {
    st = {buf.hdr.ret, buf.hdr.ret_origin};
    answered = true;
  }
  {
    MutexLock l(Registry::instance().operation_mu());
    if (op != nullptr) op->imp.session = saved_op_session;
    if (st.result == TEEC_SUCCESS) {
      session->imp.ctx = context;
      session->imp.session_id = buf.hdr.session;
    } else {
      session->imp = saved;
    }
  }
  if (answered) prep->complete(op, buf.params);
  return st;
}

void close_session(TEEC_Session* session) {
  if (session == nullptr) return;
  auto ctx = lookup_context(session->imp.ctx);
  if (!ctx) return;
  tee_ioctl_close_session_arg a{session->imp.session_id};
  auto r = ctx->call(TEE_IOC_CLOSE_SESSION, {reinterpret_cast<const uint8_t*>(&a), sizeof(a)});
  (void)r;  // nothing the caller could do; the connection closing ends it anyway
  ctx->drop_session_cache(a.session);
}

TeecStatus invoke_command(TEEC_Session* session, uint32_t command, TEEC_Operation* op) {
  if (session == nullptr) return bad_parameters();
  auto ctx = lookup_context(session->imp.ctx);
  if (!ctx) return bad_parameters();
  const uint32_t sid = session->imp.session_id;
  if (op != nullptr) {
    MutexLock l(Registry::instance().operation_mu());
    op->imp.session = session;
  }

  CallBuffer<tee_ioctl_invoke_arg> buf;
  buf.hdr.func = command;
  buf.hdr.session = sid;
  buf.hdr.cancel_id = cancel_id_for(op);
  buf.hdr.num_params = kNumParams;
  auto prep = PreparedOperation::prepare(*ctx, sid, op, buf.params);
  if (!prep.ok()) return api_failure(prep.error());

  auto reply = ctx->call(TEE_IOC_INVOKE, buf.encode());
  if (!reply.ok() || reply->rc < 0) return comms_failure(reply);
  if (!buf.decode(reply->arg)) return {TEEC_ERROR_COMMUNICATION, TEEC_ORIGIN_COMMS};
  prep->complete(op, buf.params);
  return {buf.hdr.ret, buf.hdr.ret_origin};
}

void request_cancellation(TEEC_Operation* op) {
  if (op == nullptr) return;
  const TEEC_Context* context = nullptr;
  tee_ioctl_cancel_arg a{};
  {
    MutexLock l(Registry::instance().operation_mu());
    const TEEC_Session* s = op->imp.session;
    if (s == nullptr) return;
    context = s->imp.ctx;
    a.session = s->imp.session_id;
  }
  auto ctx = lookup_context(context);
  if (!ctx) return;
  a.cancel_id = cancel_id_for(op);
  auto r = ctx->call(TEE_IOC_CANCEL, {reinterpret_cast<const uint8_t*>(&a), sizeof(a)});
  (void)r;  // best effort, as the ioctl
}
}  // namespace swtee::teec
