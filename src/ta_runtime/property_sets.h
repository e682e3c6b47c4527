// The three GP property sets a TA can read (current TA, current client,
// TEE implementation), as typed values. Conversions: property_convert.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tee_api_types.h"

namespace swtee::ta {

enum class PropType : uint32_t {  // USER_TA_PROP_TYPE_* values
  Bool = 0,
  U32 = 1,
  Uuid = 2,
  Identity = 3,
  String = 4,
  BinaryBlock = 5,  // held as base64 text, as OP-TEE does
  U64 = 6,
};

struct Property {
  std::string name;
  PropType type = PropType::String;
  bool b = false;
  uint64_t u = 0;  // U32 / U64
  TEE_UUID uuid{};
  TEE_Identity identity{};
  std::string text;  // String; BinaryBlock as base64
};

enum class PropSet { CurrentTa, CurrentClient, TeeImplementation };

// The properties of a set, in enumeration order. CurrentTa includes the
// TA's own TA_CURRENT_TA_EXT_PROPERTIES (entries with a NULL name or
// value, an unknown type, or a name already taken are skipped).
std::vector<Property> property_set(PropSet set);

// gpd.tee.deviceID: a UUIDv5 of the host's machine-id (read once, at
// process start, before any sandbox), so it is stable per device and does
// not reveal the machine-id itself. Falls back to the host name, then to a
// fixed UUID, when neither can be read.
TEE_UUID device_id();

}  // namespace swtee::ta
