#include "ta_runtime/property_sets.h"

#include <string>

#include "ta_runtime/arith/bigint_layout.h"
#include "ta_runtime/runtime_state.h"
#include "tee_api_defines.h"
#include "tee_internal_api.h"
#include "user_ta_header.h"

#ifndef SWTEE_VERSION_STRING
#define SWTEE_VERSION_STRING "0.0.0"
#endif
#ifndef SWTEE_VERSION_BINARY
#define SWTEE_VERSION_BINARY 0
#endif

namespace swtee::ta {
namespace {

Property make(const char* name, PropType t) {
  Property p;
  p.name = name;
  p.type = t;
  return p;
}
Property b(const char* name, bool v) {
  Property p = make(name, PropType::Bool);
  p.b = v;
  return p;
}
Property u32(const char* name, uint32_t v) {
  Property p = make(name, PropType::U32);
  p.u = v;
  return p;
}
Property str(const char* name, const char* v) {
  Property p = make(name, PropType::String);
  p.text = v != nullptr ? v : "";
  return p;
}

bool known_type(uint32_t t) {
  switch (t) {
    case USER_TA_PROP_TYPE_BOOL:
    case USER_TA_PROP_TYPE_U32:
    case USER_TA_PROP_TYPE_U64:
    case USER_TA_PROP_TYPE_UUID:
    case USER_TA_PROP_TYPE_IDENTITY:
    case USER_TA_PROP_TYPE_STRING:
    case USER_TA_PROP_TYPE_BINARY_BLOCK:
      return true;
    default:
      return false;
  }
}

bool name_taken(const std::vector<Property>& v, const char* name) {
  for (const Property& p : v)
    if (p.name == name) return true;
  return false;
}

// At most this many extension properties are read (a bound on a TA bug).
constexpr size_t kMaxExtProps = 256;

void add_ext_props(const struct swtee_ta_info* info, std::vector<Property>& out) {
  if (info == nullptr || info->props == nullptr) return;
  for (size_t i = 0; i < info->num_props && i < kMaxExtProps; ++i) {
    const struct swtee_ta_property& e = info->props[i];
    if (e.name == nullptr || e.value == nullptr || !known_type(e.type) || name_taken(out, e.name)) continue;
    Property p;
    p.name = e.name;
    p.type = static_cast<PropType>(e.type);
    switch (p.type) {
      case PropType::Bool:
        p.b = *static_cast<const bool*>(e.value);
        break;
      case PropType::U32:
        p.u = *static_cast<const uint32_t*>(e.value);
        break;
      case PropType::U64:
        p.u = *static_cast<const uint64_t*>(e.value);
        break;
      case PropType::Uuid:
        p.uuid = *static_cast<const TEE_UUID*>(e.value);
        break;
      case PropType::Identity:
        p.identity = *static_cast<const TEE_Identity*>(e.value);
        break;
      case PropType::String:
      case PropType::BinaryBlock:
        p.text = static_cast<const char*>(e.value);
        break;
    }
    out.push_back(std::move(p));
  }
}

bool supported(uint32_t alg, uint32_t element) {
  return TEE_IsAlgorithmSupported(alg, element) == TEE_SUCCESS;
}

void current_ta(const Runtime& rt, std::vector<Property>& v) {
  const struct swtee_ta_info* info = rt.info;
  const uint32_t flags = info != nullptr ? info->flags : 0;
  Property app = make("gpd.ta.appID", PropType::Uuid);
  if (info != nullptr) app.uuid = info->uuid;
  v.push_back(app);
  v.push_back(b("gpd.ta.singleInstance", (flags & TA_FLAG_SINGLE_INSTANCE) != 0));
  v.push_back(b("gpd.ta.multiSession", (flags & TA_FLAG_MULTI_SESSION) != 0));
  v.push_back(b("gpd.ta.instanceKeepAlive", (flags & TA_FLAG_INSTANCE_KEEP_ALIVE) != 0));
  v.push_back(b("optee.ta.instanceKeepCrashed", (flags & TA_FLAG_INSTANCE_KEEP_CRASHED) != 0));
  v.push_back(u32("gpd.ta.dataSize", info != nullptr ? info->data_size : 0));
  v.push_back(u32("gpd.ta.stackSize", info != nullptr ? info->stack_size : 0));
  v.push_back(str("gpd.ta.version", info != nullptr ? info->version : "Undefined version"));
  v.push_back(str("gpd.ta.description", info != nullptr ? info->description : "Undefined description"));
  v.push_back(u32("gpd.ta.endian", 0));  // little endian
  v.push_back(b("gpd.ta.doesNotCloseHandleOnCorruptObject",
                (flags & TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT) != 0));
  add_ext_props(info, v);
}

void tee_implementation(std::vector<Property>& v) {
  // Honest values for this implementation:
  //  - time: system time is the host kernel's CLOCK_MONOTONIC and TA
  //    persistent time is kept in normal-world storage: both REE-controlled
  //    (GP protection level 100);
  //  - trusted storage: the rollback anchor is an emulated RPMB file in the
  //    REE (src/os/storage/README.md), which earns 100, not 1000;
  //  - cryptography: each flag is what the crypto chapter really supports.
  v.push_back(str("gpd.tee.apiversion", "1.3.1"));
  v.push_back(u32("gpd.tee.internalCore.version", TEE_CORE_API_VERSION));
  v.push_back(
      str("gpd.tee.description", "swtee reference GP trusted OS (user-space TEE, no hardware isolation)"));
  Property dev = make("gpd.tee.deviceID", PropType::Uuid);
  dev.uuid = device_id();
  v.push_back(dev);
  v.push_back(u32("gpd.tee.systemTime.protectionLevel", 100));
  v.push_back(u32("gpd.tee.TAPersistentTime.protectionLevel", 100));
  v.push_back(u32("gpd.tee.arith.maxBigIntSize", static_cast<uint32_t>(arith::kMaxBigIntSizeBits)));
  const bool nist = supported(TEE_ALG_ECDSA_SHA256, TEE_ECC_CURVE_NIST_P192) &&
                    supported(TEE_ALG_ECDSA_SHA256, TEE_ECC_CURVE_NIST_P224) &&
                    supported(TEE_ALG_ECDSA_SHA256, TEE_ECC_CURVE_NIST_P256) &&
                    supported(TEE_ALG_ECDSA_SHA256, TEE_ECC_CURVE_NIST_P384) &&
                    supported(TEE_ALG_ECDSA_SHA256, TEE_ECC_CURVE_NIST_P521);
  v.push_back(b("gpd.tee.cryptography.ecc", supported(TEE_ALG_ECDSA_SHA256, TEE_ECC_CURVE_NIST_P256)));
  v.push_back(b("gpd.tee.cryptography.nist", nist));
  v.push_back(b("gpd.tee.cryptography.bsi-r", false));  // no Brainpool curves
  v.push_back(b("gpd.tee.cryptography.bsi-t", false));
  v.push_back(b("gpd.tee.cryptography.ietf", supported(TEE_ALG_ED25519, TEE_ECC_CURVE_25519) &&
                                                 supported(TEE_ALG_X25519, TEE_ECC_CURVE_25519)));
  v.push_back(b("gpd.tee.cryptography.octa", supported(TEE_ALG_SM2_DSA_SM3, TEE_ECC_CURVE_SM2) &&
                                                 supported(TEE_ALG_SM2_PKE, TEE_ECC_CURVE_SM2)));
  v.push_back(u32("gpd.tee.trustedStorage.antiRollback.protectionLevel", 100));
  v.push_back(u32("gpd.tee.trustedStorage.rollbackDetection.protectionLevel", 100));
  v.push_back(u32("gpd.tee.trustedStorage.private.rollbackProtection", 100));
  v.push_back(str("gpd.tee.trustedos.implementation.version", SWTEE_VERSION_STRING));
  v.push_back(u32("gpd.tee.trustedos.implementation.binaryversion", SWTEE_VERSION_BINARY));
  v.push_back(str("gpd.tee.trustedos.manufacturer", "swtee"));
  // No firmware below the trusted OS: it reports itself again, as OP-TEE
  // does when there is no separate firmware.
  v.push_back(str("gpd.tee.firmware.implementation.version", SWTEE_VERSION_STRING));
  v.push_back(u32("gpd.tee.firmware.implementation.binaryversion", SWTEE_VERSION_BINARY));
  v.push_back(str("gpd.tee.firmware.manufacturer", "swtee"));
}

}  // namespace

std::vector<Property> property_set(PropSet set) {
  const Runtime& rt = runtime();
  std::vector<Property> v;
  switch (set) {
    case PropSet::CurrentTa:
      current_ta(rt, v);
      return v;
    case PropSet::CurrentClient: {
      Property id = make("gpd.client.identity", PropType::Identity);
      id.identity = rt.client;
      v.push_back(id);
      v.push_back(u32("gpd.client.endian", 0));
      return v;
    }
    case PropSet::TeeImplementation:
      tee_implementation(v);
      return v;
  }
  return v;
}

}  // namespace swtee::ta
