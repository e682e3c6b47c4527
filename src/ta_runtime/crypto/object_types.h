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
  kEcc,    // a NIST curve size: 192, 224, 256, 384 or 521
  kDsa,    // 512..1024 in steps of 64, 2048 or 3072 (GP table 5-9)
};

// How the attributes of a type turn into a key. kSecret types hold one
// buffer (the first mandatory attribute); the others are asymmetric.
enum class KeyKind : uint8_t { kSecret, kRsa, kDsa, kDh, kEcc, kSm2, kEd25519, kX25519, kX448 };

struct ObjectTypeInfo {
  uint32_t type;
  KeySizeRule rule;
  uint32_t min_bits;
  uint32_t max_bits;
  uint32_t step;
  // Attributes a populate must supply (all) and may supply (these and
  // `optional`, nothing else).
  std::span<const uint32_t> mandatory;
  std::span<const uint32_t> optional = {};
  KeyKind kind = KeyKind::kSecret;
  bool keypair = false;  // holds a private part (asymmetric kinds)
};

// nullptr for a type this TEE does not implement.
const ObjectTypeInfo* find_object_type(uint32_t type) noexcept;

// True when `bits` is a key size GP allows for the type.
bool key_size_valid(const ObjectTypeInfo& t, uint32_t bits) noexcept;
// GP 1.0 DES sizes without parity bits (56, 112, 168), which OP-TEE also
// accepts (CFG_COMPAT_GP10_DES), as the sizes with parity every other check
// uses (64, 128, 192). Any other type or size is returned unchanged.
uint32_t with_des_parity(uint32_t type, uint32_t bits) noexcept;

// The public-key type of an asymmetric key-pair type (the type itself for
// public and secret types): GP sets bit 24 on key pairs.
constexpr uint32_t public_type_of(uint32_t type) noexcept {
  return (type & 0xF0000000u) == 0xA0000000u ? (type & ~0x01000000u) : type;
}

// True for the GP attribute id encoding of a value (a, b) attribute.
constexpr bool attr_is_value(uint32_t id) noexcept { return (id & TEE_ATTR_FLAG_VALUE) != 0; }
constexpr bool attr_is_public(uint32_t id) noexcept { return (id & TEE_ATTR_FLAG_PUBLIC) != 0; }

}  // namespace swtee::ta::crypto
