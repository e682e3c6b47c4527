#include "ta_runtime/property_sets.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "ta_runtime/runtime_state.h"
#include "tee_api_defines.h"
#include "user_ta_header.h"

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
  std::snprintf(s, sizeof(s), "%08" PRIx32 "-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", u.timeLow, u.timeMid,
                u.timeHiAndVersion, u.clockSeqAndNode[0], u.clockSeqAndNode[1], u.clockSeqAndNode[2],
                u.clockSeqAndNode[3], u.clockSeqAndNode[4], u.clockSeqAndNode[5], u.clockSeqAndNode[6],
                u.clockSeqAndNode[7]);
  return s;
}

// Implementation identity of swtee-os (the "deviceID" is a fixed,
// name-based UUID: there is no die ID to derive one from).
constexpr TEE_UUID kDeviceId = {0x9b0e5a2c, 0x3f1d, 0x5c6a, {0x8e, 0x41, 0x73, 0x77, 0x74, 0x65, 0x65, 0x31}};

void add_ext_props(const struct swtee_ta_info* info, std::vector<Property>& out) {
  if (info == nullptr || info->props == nullptr) return;
  for (size_t i = 0; i < info->num_props && i < 256; ++i) {
    const struct swtee_ta_property& e = info->props[i];
    if (e.name == nullptr || e.value == nullptr) continue;
    Property p;
    p.name = e.name;
    switch (e.type) {
      case USER_TA_PROP_TYPE_BOOL:
        p.type = PropType::Bool;
        p.b = *static_cast<const bool*>(e.value);
        break;
      case USER_TA_PROP_TYPE_U32:
        p.type = PropType::U32;
        p.u = *static_cast<const uint32_t*>(e.value);
        break;
      case USER_TA_PROP_TYPE_U64:
        p.type = PropType::U64;
        p.u = *static_cast<const uint64_t*>(e.value);
        break;
      case USER_TA_PROP_TYPE_UUID:
        p.type = PropType::Uuid;
        p.uuid = *static_cast<const TEE_UUID*>(e.value);
        break;
      case USER_TA_PROP_TYPE_IDENTITY:
        p.type = PropType::Identity;
        p.identity = *static_cast<const TEE_Identity*>(e.value);
        break;
      case USER_TA_PROP_TYPE_STRING:
        p.type = PropType::String;
        p.text = static_cast<const char*>(e.value);
        break;
      case USER_TA_PROP_TYPE_BINARY_BLOCK:
        p.type = PropType::BinaryBlock;
        p.text = static_cast<const char*>(e.value);
        break;
      default:
        continue;
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

}  // namespace

std::vector<Property> property_set(PropSet set) {
  const Runtime& rt = runtime();
  std::vector<Property> v;
  switch (set) {
    case PropSet::CurrentTa: {
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
      v.push_back(u32("gpd.ta.endian", 0));
      v.push_back(b("gpd.ta.doesNotCloseHandleOnCorruptObject",
                    (flags & TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT) != 0));
      add_ext_props(info, v);
      return v;
    }
    case PropSet::CurrentClient: {
      Property id = make("gpd.client.identity", PropType::Identity);
      id.identity = rt.client;
      v.push_back(id);
      v.push_back(u32("gpd.client.endian", 0));
      return v;
    }
    case PropSet::TeeImplementation: {
      v.push_back(str("gpd.tee.apiversion", "1.3.1"));
      v.push_back(str("gpd.tee.description", "swtee reference GP trusted OS"));
      Property dev = make("gpd.tee.deviceID", PropType::Uuid);
      dev.uuid = kDeviceId;
      v.push_back(dev);
      v.push_back(u32("gpd.tee.systemTime.protectionLevel", 100));
      v.push_back(u32("gpd.tee.TAPersistentTime.protectionLevel", 100));
      v.push_back(u32("gpd.tee.arith.maxBigIntSize", 4096));
      v.push_back(b("gpd.tee.cryptography.ecc", true));
      v.push_back(u32("gpd.tee.trustedStorage.antiRollback.protectionLevel", 0));
      v.push_back(str("gpd.tee.trustedos.implementation.version", "0.1.0"));
      v.push_back(u32("gpd.tee.trustedos.implementation.binaryversion", 0x00000100));
      v.push_back(str("gpd.tee.trustedos.manufacturer", "swtee"));
      v.push_back(str("gpd.tee.firmware.implementation.version", "0.1.0"));
      v.push_back(u32("gpd.tee.firmware.implementation.binaryversion", 0x00000100));
      v.push_back(str("gpd.tee.firmware.manufacturer", "swtee"));
      v.push_back(u32("gpd.tee.internalCore.version", 0x01030100));
      return v;
    }
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
    case PropType::Identity: {
      char login[16];
      std::snprintf(login, sizeof(login), "%08" PRIx32, p.identity.login);
      return std::string(login) + ":" + uuid_text(p.identity.uuid);
    }
    case PropType::String:
    case PropType::BinaryBlock:
      return p.text;
  }
  return {};
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
    const uint32_t n = (uint32_t(v[0]) << 18) | (uint32_t(v[1]) << 12) | (uint32_t(v[2]) << 6) | uint32_t(v[3]);
    out.push_back(static_cast<uint8_t>(n >> 16));
    if (pad < 2) out.push_back(static_cast<uint8_t>(n >> 8));
    if (pad < 1) out.push_back(static_cast<uint8_t>(n));
  }
  return out;
}

}  // namespace swtee::ta
