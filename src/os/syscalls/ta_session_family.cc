#include "os/syscalls/ta_session_family.h"

#include <atomic>
#include <cstring>

#include "common/log.h"
#include "protocol/syscalls/ta_session_abi.h"

namespace swtee::os {
namespace {

namespace abi = ta_session_abi;
using abi::TaSessionFn;

bool is_value(uint32_t t) { return t >= 1 && t <= 3; }
bool is_memref(uint32_t t) { return t >= 5 && t <= 7; }
bool is_output(uint32_t t) { return t == 2 || t == 3 || t == 6 || t == 7; }

}  // namespace

bool decode_ta_call_params(const abi::TsCallIn& in, std::vector<UniqueFd>& fds, OsParams& params) {
  if (fds.size() > tachan::kMaxSyscallFds) return false;
  std::array<bool, tachan::kMaxSyscallFds> used{};
  for (size_t i = 0; i < kNumGpParams; ++i) {
    const abi::TsParamIn& w = in.params[i];
    const uint32_t t = (in.param_types >> (4 * i)) & 0xF;
    if (w.type != t) return false;
    OsParam& p = params[i];
    if (t == 0) {
      if (w.fd_index != abi::kNoFd || w.a != 0 || w.b != 0) return false;
      p.type = OsParamType::None;
    } else if (is_value(t)) {
      if (w.fd_index != abi::kNoFd || w.a > UINT32_MAX || w.b > UINT32_MAX) return false;
      p.type = static_cast<OsParamType>(t);
      p.a = static_cast<uint32_t>(w.a);
      p.b = static_cast<uint32_t>(w.b);
    } else if (is_memref(t)) {
      p.type = static_cast<OsParamType>(t);
      p.size = w.b;
      if (w.a != 0) return false;
      if (w.fd_index == abi::kNoFd) continue;  // NULL memref: a size only
      if (w.fd_index >= fds.size() || used[w.fd_index]) return false;
      used[w.fd_index] = true;
      auto shm = adopt_ta_memfd(std::move(fds[w.fd_index]), tachan::kMaxSyscallBulk);
      if (!shm.ok() || (*shm)->size == 0 || (*shm)->size < w.b) return false;
      (*shm)->cookie = next_internal_shm_cookie();
      p.shm = std::move(*shm);
      p.offset = 0;
    } else {
      return false;
    }
  }
  for (size_t i = 0; i < fds.size(); ++i)
    if (!used[i]) return false;  // an fd nobody names
  return true;
}

uint64_t next_internal_shm_cookie() {
  static std::atomic<uint64_t> next{1};
  return (1ull << 63) | next.fetch_add(1, std::memory_order_relaxed);
}

void TaSessionFamily::handle(SyscallContext& ctx, SyscallArgs& args, SyscallOut& out) {
  if (args.fn >= abi::kNumTaSessionFns) {
    out.kill = true;
    return;
  }
  switch (static_cast<TaSessionFn>(args.fn)) {
    case TaSessionFn::Open:
      open_or_invoke(true, ctx, args, out);
      return;
    case TaSessionFn::Invoke:
      open_or_invoke(false, ctx, args, out);
      return;
    case TaSessionFn::Close:
      if (!args.in.empty() || !args.fds.empty() ||
          !core_.close(ctx.state, ctx.call != nullptr ? &ctx.call->rpc : nullptr, args.args[0])) {
        out.kill = true;  // the runtime closes only handles it holds
      }
      return;
  }
  out.kill = true;
}

void TaSessionFamily::open_or_invoke(bool open, SyscallContext& ctx, SyscallArgs& args, SyscallOut& out) {
  abi::TsCallIn in{};
  if (args.in.size() != sizeof(in) || args.fds.size() > tachan::kMaxSyscallFds) {
    out.kill = true;
    return;
  }
  std::memcpy(&in, args.in.data(), sizeof(in));  // one snapshot of the TA's bytes
  if ((in.flags & ~abi::kTsFlagCancelMasked) != 0 || (open && (in.session != 0 || in.cmd != 0))) {
    out.kill = true;
    return;
  }
  OsParams params{};
  if (!decode_ta_call_params(in, args.fds, params)) {
    log::warn("TA {}: malformed TA-to-TA parameters", ctx.ta_uuid.to_string());
    out.kill = true;
    return;
  }
  // What the caller passed, to tell what the callee changed.
  OsParams sent = params;
  NestedCallOptions opt;
  opt.timeout_ms = in.timeout_ms;
  opt.cancel_masked = (in.flags & abi::kTsFlagCancelMasked) != 0;

  GpResult r;
  if (open) {
    Uuid dest;
    std::memcpy(dest.octets.data(), in.uuid, sizeof(in.uuid));
    uint64_t id = 0;
    r = core_.open(ctx.state, ctx.ta_uuid, ctx.call, ctx.depth, dest, opt, params, &id);
    out.vals[0] = r.ret == kTeeSuccess ? id : 0;
  } else {
    bool known = true;
    r = core_.invoke(ctx.state, ctx.call, ctx.depth, in.session, in.cmd, opt, params, &known);
    if (!known) {
      out.kill = true;  // the runtime validates session handles first
      return;
    }
  }
  out.ret = r.ret;
  out.origin = r.origin != 0 ? r.origin : kTeeOriginTee;
  if (out.origin != kTeeOriginTrustedApp) return;
  abi::TsCallOut res{};
  for (size_t i = 0; i < kNumGpParams; ++i) {
    const uint32_t t = static_cast<uint32_t>(sent[i].type);
    if (!is_output(t)) continue;
    if (is_value(t)) {
      res.params[i].a = params[i].a;
      res.params[i].b = params[i].b;
    } else {
      res.params[i].a = params[i].size;
    }
  }
  out.out.resize(sizeof(res));
  std::memcpy(out.out.data(), &res, sizeof(res));
}

}  // namespace swtee::os
