#include "os/pta/system_pta.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <vector>

#include "common/log.h"
#include "os/pta/pta_params.h"

namespace swtee::os {
namespace {

constexpr GpResult kOk{kTeeSuccess, kTeeOriginTrustedApp};
constexpr GpResult kBad{kTeeErrorBadParameters, kTeeOriginTrustedApp};
constexpr uint32_t kLoginTrustedApp = 0xF0000000;  // TEE_LOGIN_TRUSTED_APP

GpResult add_entropy(OsParams& p) {
  if (os_param_types(p) != pta_param_types(OsParamType::MemrefInput)) return kBad;
  if (p[0].size > kSystemMaxEntropy) return kBad;
  std::span<uint8_t> in = memref_bytes(p[0]);
  if (in.size() != p[0].size) return kBad;
  // Read the shared bytes once, then mix them in.
  std::vector<uint8_t> copy(in.begin(), in.end());
  if (!copy.empty()) RAND_add(copy.data(), static_cast<int>(copy.size()), 0.0);
  OPENSSL_cleanse(copy.data(), copy.size());
  return kOk;
}

GpResult supp_plugin(OsParams& p, CallContext& call) {
  if (os_param_types(p) != pta_param_types(OsParamType::MemrefInput, OsParamType::ValueInput,
                                           OsParamType::MemrefInout, OsParamType::ValueOutput))
    return kBad;
  std::span<uint8_t> u = memref_bytes(p[0]);
  if (p[0].size != 16 || u.size() != 16) return kBad;
  if (p[2].size > kSystemMaxPluginData) return kBad;
  std::span<uint8_t> io = memref_bytes(p[2]);
  if (io.size() != p[2].size) return kBad;
  // TEE_UUID holds native integers; the RPC carries RFC 4122 octets.
  uint32_t time_low = 0;
  uint16_t time_mid = 0, time_hi = 0;
  uint8_t node[8];
  std::memcpy(&time_low, u.data(), 4);
  std::memcpy(&time_mid, u.data() + 4, 2);
  std::memcpy(&time_hi, u.data() + 6, 2);
  std::memcpy(node, u.data() + 8, 8);
  const Uuid plugin = Uuid::from_fields(time_low, time_mid, time_hi, node);
  std::vector<uint8_t> data(io.begin(), io.end());  // the caller's bytes, read once
  uint64_t out_len = 0;
  GpResult r = call.rpc.supp_plugin(plugin, p[1].a, p[1].b, data, &out_len);
  if (r.origin != 0) return r;  // the transport failed; nothing came back
  if (out_len != 0) std::memcpy(io.data(), data.data(), static_cast<size_t>(out_len));
  p[3].a = static_cast<uint32_t>(out_len);
  return {r.ret, kTeeOriginTrustedApp};
}

}  // namespace

const Uuid SystemPta::kUuid = Uuid::parse("3a2f8978-5dc0-11e8-9c2d-fa7ae01bbebc").value();

GpResult SystemPta::open_session(PtaSession& session, OsParams&, CallContext&) {
  if (session.client.login != kLoginTrustedApp) return {kTeeErrorAccessDenied, kTeeOriginTrustedApp};
  return kOk;
}

GpResult SystemPta::invoke(const PtaSession& session, uint32_t cmd, OsParams& p, CallContext& call) {
  switch (cmd) {
    case kSystemCmdAddRngEntropy:
      return add_entropy(p);
    case kSystemCmdDeriveTaUniqueKey: {
      if (os_param_types(p) != pta_param_types(OsParamType::MemrefInput, OsParamType::MemrefOutput))
        return kBad;
      if (p[0].size > kSystemExtraDataMax) return kBad;
      if (p[1].size < kSystemDerivedKeyMin || p[1].size > kSystemDerivedKeyMax) return kBad;
      std::span<uint8_t> extra_shared = memref_bytes(p[0]);
      std::span<uint8_t> out = memref_bytes(p[1]);
      if (extra_shared.size() != p[0].size || out.size() != p[1].size) return kBad;
      const std::vector<uint8_t> extra(extra_shared.begin(), extra_shared.end());
      std::array<uint8_t, kSystemDerivedKeyMax> key{};
      const std::span<uint8_t> k(key.data(), out.size());
      if (Status st = derive_(session.client.uuid, extra, k, call); !st.ok()) {
        log::warn("system PTA: TA-unique key for {}: {}", session.client.uuid.to_string(), st.error().what);
        OPENSSL_cleanse(key.data(), key.size());
        return {kTeeErrorGeneric, kTeeOriginTee};
      }
      std::memcpy(out.data(), k.data(), k.size());
      OPENSSL_cleanse(key.data(), key.size());
      return kOk;
    }
    case kSystemCmdSuppPluginInvoke:
      return supp_plugin(p, call);
    default:
      if (cmd <= kSystemLastKnownCmd) return {kTeeErrorNotSupported, kTeeOriginTrustedApp};
      return {kTeeErrorNotImplemented, kTeeOriginTrustedApp};
  }
}

}  // namespace swtee::os
