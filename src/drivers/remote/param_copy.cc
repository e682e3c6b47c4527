#include "drivers/remote/param_copy.h"

#include <unistd.h>

#include "common/checked_math.h"
#include "common/shm_file.h"
#include "core/shm.h"

namespace swtee::remote {
namespace {

uint32_t wire_type(core::ParamType t) { return static_cast<uint32_t>(t); }

}  // namespace

Result<std::vector<Param>> wire_params(const core::TeeParams& params) {
  if (params.size() > kMaxParams)
    return Error{EINVAL, "remote call", "more params than the protocol carries"};
  std::vector<Param> out;
  out.reserve(params.size());
  uint64_t held = 0;
  for (const core::TeeParam& p : params) {
    if (p.meta) return Error{EINVAL, "remote call", "META params"};
    Param w;
    w.type = wire_type(p.type);
    if (core::is_value(p.type)) {
      w.a = p.value.a;
      w.b = p.value.b;
      w.c = p.value.c;
    } else if (core::is_memref(p.type)) {
      w.a = p.memref.size;
      if (!p.memref.shm) {
        w.flags = kParamFlagNull;
      } else {
        auto h = checked_add(held, p.memref.size);
        if (!h || *h > kMaxMemrefBytes)
          return Error{E2BIG, "remote call", "memrefs larger than the protocol's limit"};
        held = *h;
        if (param_is_input(w.type)) w.b = p.memref.size;
      }
    }
    out.push_back(w);
  }
  return out;
}

Status read_inputs(const core::TeeParams& params, std::span<uint8_t> frame, std::span<const size_t> data_at) {
  size_t k = 0;
  for (const core::TeeParam& p : params) {
    if (!core::is_memref(p.type) || !p.memref.shm || !param_is_input(wire_type(p.type)) || p.memref.size == 0)
      continue;
    if (k >= data_at.size()) return Error{EINVAL, "remote call", "input layout"};
    const size_t at = data_at[k++];
    if (!range_fits(at, p.memref.size, frame.size())) return Error{EINVAL, "remote call", "input layout"};
    TRY_STATUS(shm_pread(p.memref.shm->fd(), frame.subspan(at, static_cast<size_t>(p.memref.size)),
                         p.memref.shm_offs, "memref input"));
  }
  return ok_status();
}

Status apply_reply(const CallReplyMsg& reply, core::TeeParams& params) {
  if (reply.params.size() != params.size()) return Error{EPROTO, "remote reply", "param count"};
  for (size_t i = 0; i < params.size(); ++i) {
    core::TeeParam& p = params[i];
    const Param& r = reply.params[i];
    if (r.type != wire_type(p.type)) return Error{EPROTO, "remote reply", "param type"};
    if (core::is_memref(p.type) && ((r.flags & kParamFlagNull) != 0) != !p.memref.shm)
      return Error{EPROTO, "remote reply", "NULL memref flag"};
  }
  // Checked whole before anything is written.
  for (size_t i = 0; i < params.size(); ++i) {
    const core::TeeParam& p = params[i];
    const Param& r = reply.params[i];
    if (core::is_memref(p.type) && r.b != 0 && r.b > p.memref.size)
      return Error{EPROTO, "remote reply", "more output than the memref holds"};
  }
  for (size_t i = 0; i < params.size(); ++i) {
    core::TeeParam& p = params[i];
    const Param& r = reply.params[i];
    if (!core::is_output(p.type)) continue;
    if (core::is_value(p.type)) {
      p.value = {r.a, r.b, r.c};
      continue;
    }
    if (r.b != 0) TRY_STATUS(shm_pwrite(p.memref.shm->fd(), r.data, p.memref.shm_offs, "memref output"));
    p.memref.size = r.a;
  }
  return ok_status();
}

}  // namespace swtee::remote
