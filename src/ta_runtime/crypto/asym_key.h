// Asymmetric keys as GP attributes: the populate rules, key generation, and
// the EVP_PKEY an operation builds once at TEE_SetOperationKey. Big numbers
// are GP big-endian buffers; keys are made with OSSL_PARAM_BLD +
// EVP_PKEY_fromdata (no deprecated RSA_* / EC_KEY_* APIs).
#pragma once

#include <openssl/evp.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "ta_runtime/crypto/object.h"
#include "ta_runtime/crypto/ossl_ptr.h"
#include "tee_internal_api.h"

namespace swtee::ta::crypto {

// A NIST or SM2 curve: GP id, OpenSSL group name, order/field sizes.
struct CurveInfo {
  uint32_t id;
  const char* group;  // OpenSSL group name
  uint32_t bits;      // GP key size
  size_t bytes;       // field element / scalar size in bytes
};

// nullptr for a curve this TEE does not implement.
const CurveInfo* find_curve(uint32_t curve) noexcept;

// The attribute `id` of `attrs`, or nullptr.
const Attr* find_attr(std::span<const Attr> attrs, uint32_t id) noexcept;

// Checks a populate of an asymmetric type (the attribute ids are already
// known to belong to the type) and gives the key size in bits.
// BAD_PARAMETERS for inconsistent or malformed values; ITEM_NOT_FOUND for a
// partial RSA CRT group (OP-TEE's attribute check; the caller panics).
TEE_Result asym_populate_check(const ObjectTypeInfo& t, std::span<const Attr> attrs, uint32_t* bits) noexcept;

// Generates a key of `bits` for an asymmetric type from the GP generation
// parameters; the object's attributes come back in `out`. ITEM_NOT_FOUND
// for a parameter the type does not take for generation, one given twice or
// a required one missing (as OP-TEE's attribute check; the caller panics).
TEE_Result asym_generate(const ObjectTypeInfo& t, uint32_t bits, std::span<const Attr> params,
                         std::vector<Attr>* out) noexcept;

// The OpenSSL key for an initialized asymmetric object (public part only
// when `public_only`). Null when OpenSSL refuses the values (e.g. an EC
// point not on its curve). DH keys have no EVP_PKEY (see asym_derive.cc).
PkeyPtr asym_pkey(const ObjectTypeInfo& t, std::span<const Attr> attrs, bool public_only) noexcept;

// Big-endian helpers.
BnPtr bn_from(const SecureBytes& b) noexcept;
// `b` as a minimal big-endian attribute value (one zero byte for zero).
bool bn_to_attr(const BIGNUM* b, uint32_t id, std::vector<Attr>* out) noexcept;

}  // namespace swtee::ta::crypto
