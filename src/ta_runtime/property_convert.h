// The conversions the TEE_GetPropertyAs* functions apply to a property
// (GP 1.3.1 §4.4): its text form, typed reads, and the literal parsers a
// String property is read with.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ta_runtime/property_sets.h"
#include "tee_api_types.h"

namespace swtee::ta {

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

// Strict base64 (RFC 4648 alphabet, padding required, no white space),
// decoded by OpenSSL; nullopt on bad input. GP's string-to-binary
// conversion of String properties.
std::optional<std::vector<uint8_t>> base64_decode(const std::string& in);
// Base64 as OP-TEE decodes BINARY_BLOCK properties: characters outside the
// alphabet are skipped, decoding stops at the first '=', and bits that do
// not complete a byte are dropped. Never fails; "" is zero bytes.
std::vector<uint8_t> base64_decode_lenient(std::string_view in);
// Canonical (padded) base64 of `bytes`, by OpenSSL.
std::string base64_encode(const std::vector<uint8_t>& bytes);

}  // namespace swtee::ta
