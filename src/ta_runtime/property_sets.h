// The three GP property sets a TA can read (current TA, current client,
// TEE implementation), as typed values, plus the conversions the
// TEE_GetPropertyAs* functions apply.
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
// TA's own TA_CURRENT_TA_EXT_PROPERTIES (malformed entries are skipped).
std::vector<Property> property_set(PropSet set);

// GP text form of any property (bool "true"/"false", decimal, UUID
// 8-4-4-4-12, identity "<login hex>:<uuid>").
std::string property_to_string(const Property& p);

// Strict base64 (RFC 4648, padding required); nullopt on bad input.
std::optional<std::vector<uint8_t>> base64_decode(const std::string& in);

}  // namespace swtee::ta
