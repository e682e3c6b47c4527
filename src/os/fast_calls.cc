#include "os/fast_calls.h"

#include <array>

#include "protocol/optee_smc.h"

namespace swtee::os {
namespace {

using conduit::SmcRegs;
using Handler = SmcRegs (*)(const SmcRegs&, const FastCallConfig&);

constexpr uint32_t kAnnouncedCaps = optee::kSecCapHaveReservedShm | optee::kSecCapDynamicShm |
                                    optee::kSecCapMemrefNull | optee::kSecCapRpcArg;

SmcRegs regs4(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3) {
  SmcRegs r{};
  r.a[0] = a0;
  r.a[1] = a1;
  r.a[2] = a2;
  r.a[3] = a3;
  return r;
}

SmcRegs calls_uid(const SmcRegs&, const FastCallConfig&) {
  return regs4(optee::kApiUid0, optee::kApiUid1, optee::kApiUid2, optee::kApiUid3);
}
SmcRegs calls_revision(const SmcRegs&, const FastCallConfig&) {
  return regs4(optee::kRevisionMajor, optee::kRevisionMinor, 0, 0);
}
SmcRegs os_uuid(const SmcRegs&, const FastCallConfig&) {
  return regs4(optee::kOsUuid0, optee::kOsUuid1, optee::kOsUuid2, optee::kOsUuid3);
}
SmcRegs os_revision(const SmcRegs&, const FastCallConfig&) {
  return regs4(kOsRevisionMajor, kOsRevisionMinor, 0, 0);
}
SmcRegs shm_config(const SmcRegs&, const FastCallConfig& cfg) {
  return regs4(optee::kSmcReturnOk, conduit::kCarveoutPhysBase, cfg.shm_size, optee::kSmcShmCached);
}
SmcRegs exchange_caps(const SmcRegs&, const FastCallConfig& cfg) {
  // a1 in carries the normal world's caps; none changes what we offer.
  const uint32_t caps = kAnnouncedCaps | (cfg.virtualization ? optee::kSecCapVirtualization : 0);
  return regs4(optee::kSmcReturnOk, caps, 0, optee::kRpcMaxParams & 0xff);
}
SmcRegs thread_count(const SmcRegs&, const FastCallConfig& cfg) {
  return regs4(optee::kSmcReturnOk, cfg.thread_count, 0, 0);
}
SmcRegs enable_cache(const SmcRegs&, const FastCallConfig&) { return smc_result(optee::kSmcReturnOk); }
// There is no shm cache to drain: "nothing more to disable".
SmcRegs disable_cache(const SmcRegs&, const FastCallConfig&) {
  return smc_result(optee::kSmcReturnENotAvail);
}

struct Entry {
  uint32_t fid;
  Handler handler;
};
constexpr std::array<Entry, 9> kTable{{
    {optee::kSmcCallsUid, calls_uid},
    {optee::kSmcCallsRevision, calls_revision},
    {optee::kSmcGetOsUuid, os_uuid},
    {optee::kSmcGetOsRevision, os_revision},
    {optee::kSmcGetShmConfig, shm_config},
    {optee::kSmcExchangeCapabilities, exchange_caps},
    {optee::kSmcGetThreadCount, thread_count},
    {optee::kSmcEnableShmCache, enable_cache},
    {optee::kSmcDisableShmCache, disable_cache},
}};

}  // namespace

SmcRegs smc_result(uint32_t code) {
  SmcRegs r{};
  r.a[0] = code;
  return r;
}

std::optional<SmcRegs> answer_fast_call(const SmcRegs& call, const FastCallConfig& cfg) {
  for (const Entry& e : kTable) {
    if (call.a[0] == e.fid) return e.handler(call, cfg);
  }
  return std::nullopt;
}

}  // namespace swtee::os
