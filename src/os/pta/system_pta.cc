#include "os/pta/system_pta.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <vector>

#include "common/log.h"
#include "os/pta/pta_params.h"

namespace swtee::os {
namespace {

constexpr GpResult kOk{kTeeSuccess, kOriginTrustedApp};
constexpr GpResult kBad{kTeeErrorBadParameters, kOriginTrustedApp};
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

}  // namespace

const Uuid SystemPta::kUuid = Uuid::parse("3a2f8978-5dc0-11e8-9c2d-fa7ae01bbebc").value();

GpResult SystemPta::open_session(PtaSession& session, OsParams&, CallContext&) {
  if (session.client.login != kLoginTrustedApp) return {kTeeErrorAccessDenied, kOriginTrustedApp};
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
        return {kTeeErrorGeneric, kOriginTee};
      }
      std::memcpy(out.data(), k.data(), k.size());
      OPENSSL_cleanse(key.data(), key.size());
      return kOk;
    }
    default:
      return {kTeeErrorNotSupported, kOriginTrustedApp};
  }
}

}  // namespace swtee::os
