#include "os/thread_rpc.h"

#include <cstring>

#include "common/log.h"
#include "os/os_counters.h"
#include "os/shm_registry.h"
#include "protocol/optee_smc.h"

namespace swtee::os {
namespace {

using conduit::SmcRegs;

constexpr uint64_t kRpcShmAlign = 4096;
constexpr uint32_t kNanosPerSecond = 1000000000;

GpResult comms_error() { return {kTeeErrorCommunication, kTeeOriginComms}; }

// GP result for a failed RPC answer from the normal world.
GpResult map_rpc_ret(uint32_t ret) {
  switch (ret) {
    case kTeeErrorItemNotFound:
      return {kTeeErrorItemNotFound, kTeeOriginTee};
    case kTeeErrorOutOfMemory:
      return {kTeeErrorOutOfMemory, kTeeOriginTee};
    default:
      return comms_error();
  }
}

Status send_regs(DoorbellEnd* bell, const SmcRegs& r) { return bell->post(conduit::to_frame(r)); }

}  // namespace

ThreadRpc::~ThreadRpc() {
  RpcShmCache& cache = shm_cache();
  if (!cache.shm) return;
  if (&cache == &call_cache_ || cache.shm->size > kRpcShmCacheCap || gone_) drop_cached_shm(cache);
}

void ThreadRpc::drop_cached_shm(RpcShmCache& cache) {
  if (!cache.shm) return;
  const uint64_t cookie = cache.shm->cookie;
  cache.shm.reset();  // unmap before the normal world frees it
  if (!gone_) (void)shm_free(optee::kRpcShmTypeAppl, cookie);
}

Result<RpcReply> ThreadRpc::rpc(optee::RpcCmd cmd, std::span<const RawParam> params) {
  if (gone_) return Error{ECONNRESET, "normal world gone"};
  if (area_.size() < kRpcArgRoom || params.size() > optee::kRpcMaxParams)
    return Error{EPROTO, "no RPC arg area"};
  OsCounters::add(os_counters().rpcs, 1);

  optee::MsgArg hdr{};
  hdr.cmd = static_cast<uint32_t>(cmd);
  hdr.num_params = static_cast<uint32_t>(params.size());
  std::memcpy(area_.data(), &hdr, sizeof(hdr));
  std::memcpy(area_.data() + kArgParamsOffset, params.data(), params.size_bytes());

  SmcRegs out{};
  out.a[0] = conduit::kSmcReturnRpcCmd;
  out.a[3] = thread_id_;
  if (!send_regs(io_.bell, out).ok()) {
    gone_ = true;
    return Error{ECONNRESET, "normal world gone"};
  }

  for (;;) {
    auto msg = io_.bell->wait();
    if (!msg.ok()) {
      if (msg.error().code == EPROTO) {  // malformed frame, consumed
        if (!send_regs(io_.bell, smc_result(optee::kSmcReturnEBadCmd)).ok()) break;
        continue;
      }
      break;  // hung up or gone
    }
    const SmcRegs in = conduit::to_regs(msg->frame);
    SmcRegs answer{};
    if (in.a[0] == optee::kSmcReturnFromRpc) {
      if (in.a[3] != thread_id_ || in.a[optee::kSmcClientIdReg] != io_.client_id) {
        answer = smc_result(optee::kSmcReturnEResume);
      } else {
        // Snapshot the answer once, then validate.
        optee::MsgArg rh;
        std::memcpy(&rh, area_.data(), sizeof(rh));
        if (rh.num_params > optee::kRpcMaxParams) return Error{EPROTO, "RPC answer num_params"};
        RpcReply reply;
        reply.ret = rh.ret;
        reply.ret_origin = rh.ret_origin;
        reply.num_params = rh.num_params;
        std::memcpy(reply.params.data(), area_.data() + kArgParamsOffset,
                    size_t{rh.num_params} * sizeof(RawParam));
        reply.fds = std::move(msg->fds);
        return reply;
      }
    } else if (auto fast = answer_fast_call(in, io_.fast)) {
      if (msg->fds.empty()) {
        answer = *fast;
      } else {
        answer = smc_result(optee::kSmcReturnEBadCmd);
      }
    } else {
      // A new yielding call cannot start on a channel whose thread is in an RPC.
      answer = smc_result(optee::kSmcReturnEBadCmd);
    }
    if (!send_regs(io_.bell, answer).ok()) break;
  }
  gone_ = true;
  log::warn("normal world went away during RPC {}", static_cast<uint32_t>(cmd));
  return Error{ECONNRESET, "normal world gone"};
}

Result<std::shared_ptr<PhysShm>> ThreadRpc::shm_alloc(uint32_t type, uint64_t size) {
  if (size == 0 || size > kMaxRpcShmSize) return Error{EINVAL, "RPC shm size"};
  const RawParam p{optee::kAttrTypeValueInput, type, size, kRpcShmAlign};
  ASSIGN_OR_RETURN(RpcReply r, rpc(optee::RpcCmd::ShmAlloc, {&p, 1}));
  const RawParam& a = r.params[0];
  const uint64_t cookie = r.num_params == 1 && a.attr == optee::kAttrTypeTmemOutput ? a.c : 0;
  // No supplicant to serve it is not a lack of memory: say so.
  if (r.ret == kTeeErrorCommunication) return Error{ECOMM, "RPC SHM_ALLOC: no supplicant"};
  if (r.ret != kTeeSuccess || cookie == 0) return Error{ENOMEM, "RPC SHM_ALLOC refused"};
  if (a.b < size || r.fds.size() != 1) {
    (void)shm_free(type, cookie);
    return Error{EPROTO, "RPC SHM_ALLOC answer malformed"};
  }
  auto shm = adopt_phys_shm(cookie, std::move(r.fds[0]), size);
  if (!shm.ok()) {
    (void)shm_free(type, cookie);
    return shm.error();
  }
  return std::move(*shm);
}

Status ThreadRpc::shm_free(uint32_t type, uint64_t cookie) {
  const RawParam p{optee::kAttrTypeValueInput, type, cookie, 0};
  ASSIGN_OR_RETURN(RpcReply r, rpc(optee::RpcCmd::ShmFree, {&p, 1}));
  if (r.ret != kTeeSuccess) return Error{EINVAL, "RPC SHM_FREE refused"};
  return ok_status();
}

namespace {

RawParam uuid_param(const Uuid& uuid) {
  RawParam p{};
  p.attr = optee::kAttrTypeValueInput;
  std::memcpy(&p.a, uuid.octets.data(), sizeof(uint64_t));
  std::memcpy(&p.b, uuid.octets.data() + sizeof(uint64_t), sizeof(uint64_t));
  return p;
}

}  // namespace

GpResult ThreadRpc::load_ta(const Uuid& uuid, std::vector<uint8_t>& image) {
  RawParam p[2]{};
  p[0] = uuid_param(uuid);
  p[1] = {optee::kAttrTypeTmemOutput, 0, 0, 0};  // NULL memref: size query

  auto q = rpc(optee::RpcCmd::LoadTa, p);
  if (!q.ok()) return comms_error();
  if (q->ret != kTeeSuccess && q->ret != kTeeErrorShortBuffer) return map_rpc_ret(q->ret);
  if (q->num_params != 2) return comms_error();
  const uint64_t size = q->params[1].b;
  if (size == 0) return {kTeeErrorSecurity, kTeeOriginTee};
  if (size > kMaxTaImageSize) return {kTeeErrorOutOfMemory, kTeeOriginTee};
  bool short_buffer = false;
  GpResult r = load_ta_into(uuid, size, image, &short_buffer);
  // SHORT_BUFFER here: the image changed under us.
  return short_buffer ? comms_error() : r;
}

GpResult ThreadRpc::load_ta_expecting(const Uuid& uuid, uint64_t size_hint, std::vector<uint8_t>& image) {
  if (size_hint == 0 || size_hint > kMaxTaImageSize) return load_ta(uuid, image);
  bool short_buffer = false;
  GpResult r = load_ta_into(uuid, size_hint, image, &short_buffer);
  if (short_buffer && !gone_) return load_ta(uuid, image);  // it grew: ask its size
  return r;
}

GpResult ThreadRpc::load_ta_into(const Uuid& uuid, uint64_t size, std::vector<uint8_t>& image,
                                 bool* short_buffer) {
  *short_buffer = false;
  auto shm = shm_alloc(optee::kRpcShmTypeAppl, size);
  if (!shm.ok())
    return gone_ || shm.error().code == ECOMM ? comms_error() : GpResult{kTeeErrorOutOfMemory, kTeeOriginTee};
  const uint64_t cookie = (*shm)->cookie;

  RawParam p[2]{};
  p[0] = uuid_param(uuid);
  p[1] = {optee::kAttrTypeRmemOutput, 0, size, cookie};
  auto l = rpc(optee::RpcCmd::LoadTa, p);
  GpResult result{kTeeSuccess, 0};
  if (!l.ok() || l->num_params != 2) {
    result = comms_error();
  } else if (l->ret == kTeeErrorShortBuffer) {
    *short_buffer = true;
    result = comms_error();
  } else if (l->ret != kTeeSuccess) {
    result = map_rpc_ret(l->ret);
  } else if (l->params[1].b == 0 || l->params[1].b > size) {
    result = comms_error();
  } else {
    // Copied once into private memory; the bytes are verified by the TA host.
    const uint8_t* src = (*shm)->map.data();
    image.assign(src, src + l->params[1].b);
  }
  shm.value().reset();  // unmap before the normal world frees it
  if (!gone_) (void)shm_free(optee::kRpcShmTypeAppl, cookie);
  return result;
}

GpResult ThreadRpc::get_ree_time(uint32_t* seconds, uint32_t* nanos) {
  const RawParam p{optee::kAttrTypeValueOutput, 0, 0, 0};
  auto r = rpc(optee::RpcCmd::GetTime, {&p, 1});
  if (!r.ok() || r->num_params != 1) return comms_error();
  if (r->ret != kTeeSuccess) return map_rpc_ret(r->ret);
  if (r->params[0].b >= kNanosPerSecond || r->params[0].a > UINT32_MAX) return comms_error();
  *seconds = static_cast<uint32_t>(r->params[0].a);
  *nanos = static_cast<uint32_t>(r->params[0].b);
  return {kTeeSuccess, 0};
}

GpResult ThreadRpc::supp_plugin(const Uuid& plugin, uint32_t cmd, uint32_t sub_cmd,
                                std::vector<uint8_t>& data, uint64_t* out_len) {
  uint32_t words[4];
  static_assert(sizeof(words) == sizeof(plugin.octets));
  std::memcpy(words, plugin.octets.data(), sizeof(words));
  std::shared_ptr<PhysShm> shm;
  uint64_t cookie = 0;
  if (!data.empty()) {
    auto s = shm_alloc(optee::kRpcShmTypeAppl, data.size());
    if (!s.ok()) return gone_ ? comms_error() : GpResult{kTeeErrorOutOfMemory, kTeeOriginTee};
    shm = std::move(*s);
    cookie = shm->cookie;
    std::memcpy(shm->map.data(), data.data(), data.size());
  }
  RawParam p[4]{};
  p[0] = {optee::kAttrTypeValueInput, optee::kRpcSuppPluginInvoke, words[0], words[1]};
  p[1] = {optee::kAttrTypeValueInput, words[2], words[3], cmd};
  p[2] = {optee::kAttrTypeValueInout, sub_cmd, 0, 0};
  p[3] = {optee::kAttrTypeRmemInout, 0, data.size(), cookie};
  auto r = rpc(optee::RpcCmd::SuppPlugin, p);
  GpResult result{kTeeSuccess, 0};
  if (!r.ok() || r->num_params != 4) {
    result = comms_error();
  } else {
    const uint64_t n = r->params[2].b;
    if (n > data.size()) {
      result = comms_error();
    } else {
      // Copied once out of the shared shm, then the result is the plugin's.
      if (n != 0) std::memcpy(data.data(), shm->map.data(), n);
      *out_len = n;
      result = {r->ret, 0};  // origin 0: the plugin's own answer
    }
  }
  if (shm) {
    shm.reset();  // unmap before the normal world frees it
    if (!gone_) (void)shm_free(optee::kRpcShmTypeAppl, cookie);
  }
  return result;
}

}  // namespace swtee::os
