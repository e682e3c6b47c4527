#include "os/pta/invoke_tests_pta.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <vector>

#include "common/thread_annotations.h"
#include "os/pta/pta_params.h"

namespace swtee::os {
namespace {

constexpr GpResult kBad{kTeeErrorBadParameters, kTeeOriginTrustedApp};
constexpr GpResult kOk{kTeeSuccess, kTeeOriginTrustedApp};
constexpr GpResult kShort{kTeeErrorShortBuffer, kTeeOriginTrustedApp};

Uuid make_uuid() {
  Uuid u;
  u.octets = {0x6e, 0x2b, 0x4a, 0x10, 0x7c, 0x39, 0x4d, 0x58, 0xb1, 0xa2, 0x3f, 0x4e, 0x5d, 0x6c, 0x7b, 0x81};
  return u;
}

GpResult inc_values(OsParams& p) {
  if (os_param_types(p) != pta_param_types(OsParamType::ValueInout)) return kBad;
  p[0].a += 1;
  p[0].b += 1;
  return kOk;
}

// Copies `src` into output memref `out` with SHORT_BUFFER semantics.
GpResult put_output(OsParam& out, const std::vector<uint8_t>& src) {
  if (out.size < src.size() || !out.shm) {
    out.size = src.size();
    return src.empty() && out.size == 0 ? kOk : kShort;
  }
  std::span<uint8_t> dst = memref_bytes(out);
  if (dst.size() < src.size()) return kBad;
  std::memcpy(dst.data(), src.data(), src.size());
  out.size = src.size();
  return kOk;
}

GpResult reverse(OsParams& p) {
  if (os_param_types(p) != pta_param_types(OsParamType::MemrefInput, OsParamType::MemrefOutput)) return kBad;
  if (p[0].size > kInvokeTestsMaxReverse) return {kTeeErrorOutOfMemory, kTeeOriginTrustedApp};
  std::span<uint8_t> in = memref_bytes(p[0]);
  if (in.size() != p[0].size) return kBad;            // a NULL memref with a size has no bytes
  std::vector<uint8_t> copy(in.rbegin(), in.rend());  // read the shared bytes once
  return put_output(p[1], copy);
}

GpResult client_id(const PtaSession& s, OsParams& p) {
  if (os_param_types(p) != pta_param_types(OsParamType::ValueOutput, OsParamType::MemrefOutput)) return kBad;
  p[0].a = s.client.login;
  p[0].b = s.id;
  std::vector<uint8_t> uuid(s.client.uuid.octets.begin(), s.client.uuid.octets.end());
  return put_output(p[1], uuid);
}

// Shared with the cancel hook, which may run after the waiter returned.
struct WaitState {
  Mutex mu;
  CondVar cv;
  bool cancelled GUARDED_BY(mu) = false;
};

GpResult wait_cancel(OsParams& p, CallContext& call, SharedPool* waits, std::optional<uint32_t> uid) {
  if (os_param_types(p) != pta_param_types(OsParamType::ValueInput)) return kBad;
  ShareCharge held;
  if (waits != nullptr) {
    auto c = waits->take(uid);  // a refusal is counted and logged there
    if (!c.ok()) return {kTeeErrorBusy, kTeeOriginTrustedApp};
    held = std::move(*c);
  }
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(std::min(p[0].a, kInvokeTestsMaxWaitMs));
  auto st = std::make_shared<WaitState>();
  call.cancel.set_hook([st] {
    MutexLock lock(st->mu);
    st->cancelled = true;
    st->cv.notify_all();
  });
  bool cancelled = false;
  {
    MutexLock lock(st->mu);
    while (!st->cancelled) {
      if (!st->cv.wait_until(st->mu, deadline)) break;
    }
    cancelled = st->cancelled;
  }
  call.cancel.set_hook({});
  return cancelled ? GpResult{kTeeErrorCancel, kTeeOriginTrustedApp} : kOk;
}

}  // namespace

const Uuid InvokeTestsPta::kUuid = make_uuid();

GpResult InvokeTestsPta::invoke(const PtaSession& session, uint32_t cmd, OsParams& params,
                                CallContext& call) {
  switch (cmd) {
    case kInvokeTestsCmdIncValues:
      return inc_values(params);
    case kInvokeTestsCmdReverse:
      return reverse(params);
    case kInvokeTestsCmdClientId:
      return client_id(session, params);
    case kInvokeTestsCmdWaitCancel:
      return wait_cancel(params, call, waits_.get(), call.uid);
    default:
      return {kTeeErrorNotSupported, kTeeOriginTrustedApp};
  }
}

}  // namespace swtee::os
