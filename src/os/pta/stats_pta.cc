#include "os/pta/stats_pta.h"

#include <time.h>

#include <algorithm>

#include "os/pta/pta_params.h"
#include "protocol/optee_msg.h"

namespace swtee::os {
namespace {

constexpr GpResult kBad{kTeeErrorBadParameters, kTeeOriginTrustedApp};

uint32_t clamp32(uint64_t v) { return static_cast<uint32_t>(std::min<uint64_t>(v, UINT32_MAX)); }

Uuid make_uuid() {
  Uuid u;
  u.octets = osstat::kStatsPtaUuid;
  return u;
}

}  // namespace

const Uuid StatsPta::kUuid = make_uuid();

GpResult StatsPta::invoke(const PtaSession& session, uint32_t cmd, OsParams& params, CallContext& call) {
  constexpr uint32_t kTwoValuesOut = pta_param_types(OsParamType::ValueOutput, OsParamType::ValueOutput);
  switch (cmd) {
    case kStatsCmdCounts: {
      if (os_param_types(params) != kTwoValuesOut) return kBad;
      const OsCounts c = counts_();
      params[0].a = clamp32(c.sessions);
      params[0].b = clamp32(c.ta_instances);
      params[1].a = clamp32(c.registered_shm);
      params[1].b = clamp32(c.inflight_calls);
      return {kTeeSuccess, kTeeOriginTrustedApp};
    }
    case kStatsCmdGetTime: {
      if (os_param_types(params) != kTwoValuesOut) return kBad;
      uint32_t s = 0, ns = 0;
      GpResult r = call.rpc.get_ree_time(&s, &ns);
      if (r.ret != kTeeSuccess) return r;
      timespec ts{};
      ::clock_gettime(CLOCK_MONOTONIC, &ts);
      params[0].a = s;
      params[0].b = ns;
      params[1].a = clamp32(static_cast<uint64_t>(ts.tv_sec));
      params[1].b = static_cast<uint32_t>(ts.tv_nsec);
      return {kTeeSuccess, kTeeOriginTrustedApp};
    }
    case kStatsCmdStatus: {
      if (!status_) return {kTeeErrorNotSupported, kTeeOriginTrustedApp};
      if (session.client.login != optee::kLoginReeKernel)
        return {kTeeErrorAccessDenied, kTeeOriginTrustedApp};
      if (os_param_types(params) != pta_param_types(OsParamType::MemrefOutput)) return kBad;
      osstat::OsStatus st = status_();
      // Not counting the query's own session and call.
      st.counts.sessions -= std::min<uint32_t>(st.counts.sessions, 1);
      st.counts.inflight -= std::min<uint32_t>(st.counts.inflight, 1);
      const size_t need = osstat::encoded_size(st);
      std::span<uint8_t> out = memref_bytes(params[0]);
      if (out.size() < need) {
        params[0].size = need;
        return {kTeeErrorShortBuffer, kTeeOriginTrustedApp};
      }
      auto n = osstat::encode(st, out);
      if (!n.ok()) return {kTeeErrorGeneric, kTeeOriginTrustedApp};
      params[0].size = *n;
      return {kTeeSuccess, kTeeOriginTrustedApp};
    }
    case kStatsCmdGuests: {
      if (!guests_) return {kTeeErrorNotSupported, kTeeOriginTrustedApp};
      if (os_param_types(params) !=
          pta_param_types(OsParamType::ValueOutput, OsParamType::ValueOutput, OsParamType::ValueOutput))
        return kBad;
      const GuestCounts g = guests_();
      params[0].a = clamp32(g.guests);
      params[0].b = clamp32(g.held.sessions);
      params[1].a = clamp32(g.held.ta_instances);
      params[1].b = clamp32(g.held.registered_shm);
      params[2].a = clamp32(g.held.inflight_calls);
      return {kTeeSuccess, kTeeOriginTrustedApp};
    }
    default:
      return {kTeeErrorNotSupported, kTeeOriginTrustedApp};
  }
}

}  // namespace swtee::os
