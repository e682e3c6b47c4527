// The three GP property sets a TA can read (current TA, current client,
// TEE implementation), as typed values, plus the conversions the
// TEE_GetPropertyAs* functions apply (GP 1.3.1 §4.4).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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

// GP text form of any property (bool "true"/"false", decimal integers,
// UUID 8-4-4-4-12 lower case, identity "<login decimal>:<uuid>", binary
// block as its base64 text).
std::string property_to_string(const Property& p);

// Typed reads with GP's conversion rules: a property of the requested type
// converts trivially; a String property converts when its text is a valid
// literal of that type (below); an integer converts to another integer
// width when the value fits. Anything else: nullopt (TEE_ERROR_BAD_FORMAT).
std::optional<bool> property_as_bool(const Property& p);
std::optional<uint32_t> property_as_u32(const Property& p);
std::optional<uint64_t> property_as_u64(const Property& p);
std::optional<TEE_UUID> property_as_uuid(const Property& p);
std::optional<TEE_Identity> property_as_identity(const Property& p);
std::optional<std::vector<uint8_t>> property_as_binary(const Property& p);

// Literal parsers: bool "true"/"false" (any case); integer decimal, "0x"
// hex or "0b" binary, no sign, no overflow; UUID 8-4-4-4-12 hex;
// identity "<integer>:<uuid>".
std::optional<bool> parse_bool(std::string_view s);
std::optional<uint64_t> parse_integer(std::string_view s);
std::optional<TEE_UUID> parse_uuid(std::string_view s);
std::optional<TEE_Identity> parse_identity(std::string_view s);

// Strict base64 (RFC 4648, padding required); nullopt on bad input.
std::optional<std::vector<uint8_t>> base64_decode(const std::string& in);

// gpd.tee.deviceID: a UUIDv5 of the host's machine-id (read once, at
// process start, before any sandbox), so it is stable per device and does
// not reveal the machine-id itself. Falls back to the host name, then to a
// fixed UUID, when neither can be read.
TEE_UUID device_id();

}  // namespace swtee::ta
