// The GP object types this TEE implements, with GP's size rules and the
// attributes each type carries. One table; everything else asks it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "tee_internal_api.h"

namespace swtee::ta::crypto {

enum class KeySizeRule : uint8_t {
  kRange,  // min..max bits, multiple of `step`
  kAes,    // exactly 128, 192 or 256
  kDes3,   // 128 or 192 (parity bits included)
};

struct ObjectTypeInfo {
  uint32_t type;
  KeySizeRule rule;
  uint32_t min_bits;
  uint32_t max_bits;
  uint32_t step;
  // Attributes a populate must supply (all) and may supply (nothing else).
  std::span<const uint32_t> mandatory;
};

// nullptr for a type this TEE does not implement.
const ObjectTypeInfo* find_object_type(uint32_t type) noexcept;

// True when `bits` is a key size GP allows for the type.
bool key_size_valid(const ObjectTypeInfo& t, uint32_t bits) noexcept;

// True for the GP attribute id encoding of a value (a, b) attribute.
constexpr bool attr_is_value(uint32_t id) noexcept { return (id & TEE_ATTR_FLAG_VALUE) != 0; }
constexpr bool attr_is_public(uint32_t id) noexcept { return (id & TEE_ATTR_FLAG_PUBLIC) != 0; }

}  // namespace swtee::ta::crypto
