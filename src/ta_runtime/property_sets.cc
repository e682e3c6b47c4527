#include "ta_runtime/property_sets.h"

#include <fcntl.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "common/uuid.h"
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

std::string uuid_text(const TEE_UUID& u) {
  char s[40];
  std::snprintf(s, sizeof(s), "%08" PRIx32 "-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", u.timeLow,
                u.timeMid, u.timeHiAndVersion, u.clockSeqAndNode[0], u.clockSeqAndNode[1],
                u.clockSeqAndNode[2], u.clockSeqAndNode[3], u.clockSeqAndNode[4], u.clockSeqAndNode[5],
                u.clockSeqAndNode[6], u.clockSeqAndNode[7]);
  return s;
}

TEE_UUID to_tee_uuid(const Uuid& u) {
  const auto& o = u.octets;
  TEE_UUID t{};
  t.timeLow = (uint32_t{o[0]} << 24) | (uint32_t{o[1]} << 16) | (uint32_t{o[2]} << 8) | o[3];
  t.timeMid = static_cast<uint16_t>((o[4] << 8) | o[5]);
  t.timeHiAndVersion = static_cast<uint16_t>((o[6] << 8) | o[7]);
  std::memcpy(t.clockSeqAndNode, &o[8], 8);
  return t;
}

// Namespace of swtee device IDs (a random UUIDv4, fixed forever).
constexpr const char* kDeviceIdNamespace = "3a7c5e1f-6b2d-4f8e-9a41-0c5d7e2b8f63";
// Used only when neither the machine-id nor the host name can be read.
constexpr TEE_UUID kFallbackDeviceId = {
    0x9b0e5a2c, 0x3f1d, 0x5c6a, {0x8e, 0x41, 0x73, 0x77, 0x74, 0x65, 0x65, 0x31}};

std::string read_small_file(const char* path) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  char buf[128];
  const ssize_t n = ::read(fd, buf, sizeof(buf));
  ::close(fd);
  if (n <= 0) return {};
  std::string s(buf, static_cast<size_t>(n));
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

TEE_UUID compute_device_id() {
  std::string name = read_small_file("/etc/machine-id");
  if (name.empty()) name = read_small_file("/var/lib/dbus/machine-id");
  if (name.empty()) {
    char host[256] = {};
    if (::gethostname(host, sizeof(host) - 1) == 0 && host[0] != '\0') name = std::string("host:") + host;
  }
  const auto ns = Uuid::parse(kDeviceIdNamespace);
  if (name.empty() || !ns) return kFallbackDeviceId;
  return to_tee_uuid(uuid_v5(*ns, name));
}

// Computed during static initialisation of swtee-ta-host, i.e. in the
// zygote before it forks TA processes and before any seccomp filter: a
// sandboxed TA cannot open files.
const TEE_UUID g_device_id = compute_device_id();

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

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
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
  dev.uuid = g_device_id;
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

TEE_UUID device_id() { return g_device_id; }

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

std::string property_to_string(const Property& p) {
  switch (p.type) {
    case PropType::Bool:
      return p.b ? "true" : "false";
    case PropType::U32:
    case PropType::U64:
      return std::to_string(p.u);
    case PropType::Uuid:
      return uuid_text(p.uuid);
    case PropType::Identity:
      return std::to_string(p.identity.login) + ":" + uuid_text(p.identity.uuid);
    case PropType::String:
    case PropType::BinaryBlock:
      return p.text;
  }
  return {};
}

std::optional<bool> parse_bool(std::string_view s) {
  auto eq = [](std::string_view a, const char* lower) {
    const size_t n = std::strlen(lower);
    if (a.size() != n) return false;
    for (size_t i = 0; i < n; ++i) {
      char c = a[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != lower[i]) return false;
    }
    return true;
  };
  if (eq(s, "true")) return true;
  if (eq(s, "false")) return false;
  return std::nullopt;
}

std::optional<uint64_t> parse_integer(std::string_view s) {
  unsigned base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  } else if (s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
    base = 2;
    s.remove_prefix(2);
  }
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    const int d = hex_digit(c);
    if (d < 0 || static_cast<unsigned>(d) >= base) return std::nullopt;
    if (__builtin_mul_overflow(v, base, &v) || __builtin_add_overflow(v, static_cast<uint64_t>(d), &v))
      return std::nullopt;
  }
  return v;
}

std::optional<TEE_UUID> parse_uuid(std::string_view s) {
  static constexpr size_t kDashes[] = {8, 13, 18, 23};
  if (s.size() != 36) return std::nullopt;
  uint8_t o[16];
  size_t k = 0;
  for (size_t i = 0; i < s.size();) {
    if (i == kDashes[0] || i == kDashes[1] || i == kDashes[2] || i == kDashes[3]) {
      if (s[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    const int hi = hex_digit(s[i]);
    const int lo = i + 1 < s.size() ? hex_digit(s[i + 1]) : -1;
    if (hi < 0 || lo < 0 || k >= sizeof(o)) return std::nullopt;
    o[k++] = static_cast<uint8_t>((hi << 4) | lo);
    i += 2;
  }
  if (k != sizeof(o)) return std::nullopt;
  Uuid u;
  std::memcpy(u.octets.data(), o, sizeof(o));
  return to_tee_uuid(u);
}

std::optional<TEE_Identity> parse_identity(std::string_view s) {
  const size_t colon = s.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto login = parse_integer(s.substr(0, colon));
  const auto uuid = parse_uuid(s.substr(colon + 1));
  if (!login || *login > UINT32_MAX || !uuid) return std::nullopt;
  TEE_Identity id{};
  id.login = static_cast<uint32_t>(*login);
  id.uuid = *uuid;
  return id;
}

std::optional<bool> property_as_bool(const Property& p) {
  if (p.type == PropType::Bool) return p.b;
  if (p.type == PropType::String) return parse_bool(p.text);
  return std::nullopt;
}

std::optional<uint64_t> property_as_u64(const Property& p) {
  if (p.type == PropType::U32 || p.type == PropType::U64) return p.u;
  if (p.type == PropType::String) return parse_integer(p.text);
  return std::nullopt;
}

std::optional<uint32_t> property_as_u32(const Property& p) {
  if (p.type != PropType::U32 && p.type != PropType::U64 && p.type != PropType::String) return std::nullopt;
  const auto v = property_as_u64(p);
  if (!v || *v > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(*v);
}

std::optional<TEE_UUID> property_as_uuid(const Property& p) {
  if (p.type == PropType::Uuid) return p.uuid;
  if (p.type == PropType::String) return parse_uuid(p.text);
  return std::nullopt;
}

std::optional<TEE_Identity> property_as_identity(const Property& p) {
  if (p.type == PropType::Identity) return p.identity;
  if (p.type == PropType::String) return parse_identity(p.text);
  return std::nullopt;
}

std::optional<std::vector<uint8_t>> property_as_binary(const Property& p) {
  if (p.type == PropType::BinaryBlock || p.type == PropType::String) return base64_decode(p.text);
  return std::nullopt;
}

std::optional<std::vector<uint8_t>> base64_decode(const std::string& in) {
  if (in.size() % 4 != 0) return std::nullopt;
  std::vector<uint8_t> out;
  out.reserve(in.size() / 4 * 3);
  for (size_t i = 0; i < in.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = in[i + k];
      if (c == '=' && i + 4 == in.size() && k >= 2) {
        v[k] = 0;
        ++pad;
        continue;
      }
      if (pad != 0) return std::nullopt;  // data after padding
      v[k] = b64_value(c);
      if (v[k] < 0) return std::nullopt;
    }
    const uint32_t n =
        (uint32_t(v[0]) << 18) | (uint32_t(v[1]) << 12) | (uint32_t(v[2]) << 6) | uint32_t(v[3]);
    out.push_back(static_cast<uint8_t>(n >> 16));
    if (pad < 2) out.push_back(static_cast<uint8_t>(n >> 8));
    if (pad < 1) out.push_back(static_cast<uint8_t>(n));
  }
  return out;
}

}  // namespace swtee::ta
