#include "ta_runtime/crypto/object_types.h"

#include <array>

namespace swtee::ta::crypto {
namespace {

constexpr uint32_t kSecretAttrs[] = {TEE_ATTR_SECRET_VALUE};
constexpr uint32_t kHkdfAttrs[] = {TEE_ATTR_HKDF_IKM};
constexpr uint32_t kConcatAttrs[] = {TEE_ATTR_CONCAT_KDF_Z};
constexpr uint32_t kPbkdf2Attrs[] = {TEE_ATTR_PBKDF2_PASSWORD};

constexpr uint32_t kRsaPub[] = {TEE_ATTR_RSA_MODULUS, TEE_ATTR_RSA_PUBLIC_EXPONENT};
constexpr uint32_t kRsaPair[] = {TEE_ATTR_RSA_MODULUS, TEE_ATTR_RSA_PUBLIC_EXPONENT,
                                 TEE_ATTR_RSA_PRIVATE_EXPONENT};
// CRT parameters: all five or none (checked in asym_key.cc).
constexpr uint32_t kRsaCrt[] = {TEE_ATTR_RSA_PRIME1, TEE_ATTR_RSA_PRIME2, TEE_ATTR_RSA_EXPONENT1,
                                TEE_ATTR_RSA_EXPONENT2, TEE_ATTR_RSA_COEFFICIENT};
constexpr uint32_t kDsaPub[] = {TEE_ATTR_DSA_PRIME, TEE_ATTR_DSA_SUBPRIME, TEE_ATTR_DSA_BASE,
                                TEE_ATTR_DSA_PUBLIC_VALUE};
constexpr uint32_t kDsaPair[] = {TEE_ATTR_DSA_PRIME, TEE_ATTR_DSA_SUBPRIME, TEE_ATTR_DSA_BASE,
                                 TEE_ATTR_DSA_PUBLIC_VALUE, TEE_ATTR_DSA_PRIVATE_VALUE};
constexpr uint32_t kDhPair[] = {TEE_ATTR_DH_PRIME, TEE_ATTR_DH_BASE, TEE_ATTR_DH_PUBLIC_VALUE,
                                TEE_ATTR_DH_PRIVATE_VALUE};
constexpr uint32_t kDhOpt[] = {TEE_ATTR_DH_SUBPRIME, TEE_ATTR_DH_X_BITS};
constexpr uint32_t kEccPub[] = {TEE_ATTR_ECC_PUBLIC_VALUE_X, TEE_ATTR_ECC_PUBLIC_VALUE_Y, TEE_ATTR_ECC_CURVE};
constexpr uint32_t kEccPair[] = {TEE_ATTR_ECC_PUBLIC_VALUE_X, TEE_ATTR_ECC_PUBLIC_VALUE_Y,
                                 TEE_ATTR_ECC_PRIVATE_VALUE, TEE_ATTR_ECC_CURVE};
// SM2 keys name their curve implicitly (OP-TEE); ECC_CURVE may be given.
constexpr uint32_t kSm2Pub[] = {TEE_ATTR_ECC_PUBLIC_VALUE_X, TEE_ATTR_ECC_PUBLIC_VALUE_Y};
constexpr uint32_t kSm2Pair[] = {TEE_ATTR_ECC_PUBLIC_VALUE_X, TEE_ATTR_ECC_PUBLIC_VALUE_Y,
                                 TEE_ATTR_ECC_PRIVATE_VALUE};
constexpr uint32_t kSm2Opt[] = {TEE_ATTR_ECC_CURVE};
constexpr uint32_t kEd25519Pub[] = {TEE_ATTR_ED25519_PUBLIC_VALUE};
constexpr uint32_t kEd25519Pair[] = {TEE_ATTR_ED25519_PUBLIC_VALUE, TEE_ATTR_ED25519_PRIVATE_VALUE};
constexpr uint32_t kX25519Pub[] = {TEE_ATTR_X25519_PUBLIC_VALUE};
constexpr uint32_t kX25519Pair[] = {TEE_ATTR_X25519_PUBLIC_VALUE, TEE_ATTR_X25519_PRIVATE_VALUE};
constexpr uint32_t kX448Pub[] = {TEE_ATTR_X448_PUBLIC_VALUE};
constexpr uint32_t kX448Pair[] = {TEE_ATTR_X448_PUBLIC_VALUE, TEE_ATTR_X448_PRIVATE_VALUE};

using R = KeySizeRule;
using K = KeyKind;

// Sizes in bits, from GP TEE Internal Core API 1.3.1 table 5-9.
constexpr std::array kTypes = {
    ObjectTypeInfo{TEE_TYPE_AES, KeySizeRule::kAes, 128, 256, 64, kSecretAttrs},
    ObjectTypeInfo{TEE_TYPE_DES, KeySizeRule::kRange, 64, 64, 64, kSecretAttrs},
    ObjectTypeInfo{TEE_TYPE_DES3, KeySizeRule::kDes3, 128, 192, 64, kSecretAttrs},
    ObjectTypeInfo{TEE_TYPE_SM4, KeySizeRule::kRange, 128, 128, 128, kSecretAttrs},
    ObjectTypeInfo{TEE_TYPE_HMAC_MD5, KeySizeRule::kRange, 64, 512, 8, kSecretAttrs},
    ObjectTypeInfo{TEE_TYPE_HMAC_SHA1, KeySizeRule::kRange, 80, 512, 8, kSecretAttrs},
    ObjectTypeInfo{TEE_TYPE_HMAC_SHA224, KeySizeRule::kRange, 112, 512, 8, kSecretAttrs},
    ObjectTypeInfo{TEE_TYPE_HMAC_SHA256, KeySizeRule::kRange, 192, 1024, 8, kSecretAttrs},
    ObjectTypeInfo{TEE_TYPE_HMAC_SHA384, KeySizeRule::kRange, 256, 1024, 8, kSecretAttrs},
    ObjectTypeInfo{TEE_TYPE_HMAC_SHA512, KeySizeRule::kRange, 256, 1024, 8, kSecretAttrs},
    ObjectTypeInfo{TEE_TYPE_HMAC_SM3, KeySizeRule::kRange, 80, 1024, 8, kSecretAttrs},
    ObjectTypeInfo{TEE_TYPE_HMAC_SHA3_224, KeySizeRule::kRange, 192, 1024, 8, kSecretAttrs},
    ObjectTypeInfo{TEE_TYPE_HMAC_SHA3_256, KeySizeRule::kRange, 256, 1024, 8, kSecretAttrs},
    ObjectTypeInfo{TEE_TYPE_HMAC_SHA3_384, KeySizeRule::kRange, 384, 1024, 8, kSecretAttrs},
    ObjectTypeInfo{TEE_TYPE_HMAC_SHA3_512, KeySizeRule::kRange, 512, 1024, 8, kSecretAttrs},
    ObjectTypeInfo{TEE_TYPE_GENERIC_SECRET, KeySizeRule::kRange, 8, 4096, 8, kSecretAttrs},
    // OP-TEE KDF input types: one secret buffer of up to 4096 bytes.
    ObjectTypeInfo{TEE_TYPE_HKDF_IKM, KeySizeRule::kRange, 8, 4096 * 8, 8, kHkdfAttrs},
    ObjectTypeInfo{TEE_TYPE_CONCAT_KDF_Z, KeySizeRule::kRange, 8, 4096 * 8, 8, kConcatAttrs},
    ObjectTypeInfo{TEE_TYPE_PBKDF2_PASSWORD, KeySizeRule::kRange, 8, 4096 * 8, 8, kPbkdf2Attrs},
    // GP 1.3.1 HKDF input keying material (TEE_ALG_HKDF).
    ObjectTypeInfo{TEE_TYPE_HKDF, KeySizeRule::kRange, 8, 4096 * 8, 8, kSecretAttrs},
    // Asymmetric keys. RSA: any modulus size 256..4096 (GP requires 256..2048
    // and allows more); DH: 256..2048 (GP table 5-9).
    ObjectTypeInfo{TEE_TYPE_RSA_PUBLIC_KEY, R::kRange, 256, 4096, 1, kRsaPub, {}, K::kRsa, false},
    ObjectTypeInfo{TEE_TYPE_RSA_KEYPAIR, R::kRange, 256, 4096, 1, kRsaPair, kRsaCrt, K::kRsa, true},
    ObjectTypeInfo{TEE_TYPE_DSA_PUBLIC_KEY, R::kDsa, 512, 3072, 64, kDsaPub, {}, K::kDsa, false},
    ObjectTypeInfo{TEE_TYPE_DSA_KEYPAIR, R::kDsa, 512, 3072, 64, kDsaPair, {}, K::kDsa, true},
    ObjectTypeInfo{TEE_TYPE_DH_KEYPAIR, R::kRange, 256, 2048, 1, kDhPair, kDhOpt, K::kDh, true},
    ObjectTypeInfo{TEE_TYPE_ECDSA_PUBLIC_KEY, R::kEcc, 192, 521, 1, kEccPub, {}, K::kEcc, false},
    ObjectTypeInfo{TEE_TYPE_ECDSA_KEYPAIR, R::kEcc, 192, 521, 1, kEccPair, {}, K::kEcc, true},
    ObjectTypeInfo{TEE_TYPE_ECDH_PUBLIC_KEY, R::kEcc, 192, 521, 1, kEccPub, {}, K::kEcc, false},
    ObjectTypeInfo{TEE_TYPE_ECDH_KEYPAIR, R::kEcc, 192, 521, 1, kEccPair, {}, K::kEcc, true},
    ObjectTypeInfo{TEE_TYPE_SM2_DSA_PUBLIC_KEY, R::kRange, 256, 256, 1, kSm2Pub, kSm2Opt, K::kSm2, false},
    ObjectTypeInfo{TEE_TYPE_SM2_DSA_KEYPAIR, R::kRange, 256, 256, 1, kSm2Pair, kSm2Opt, K::kSm2, true},
    ObjectTypeInfo{TEE_TYPE_SM2_PKE_PUBLIC_KEY, R::kRange, 256, 256, 1, kSm2Pub, kSm2Opt, K::kSm2, false},
    ObjectTypeInfo{TEE_TYPE_SM2_PKE_KEYPAIR, R::kRange, 256, 256, 1, kSm2Pair, kSm2Opt, K::kSm2, true},
    ObjectTypeInfo{TEE_TYPE_ED25519_PUBLIC_KEY, R::kRange, 256, 256, 1, kEd25519Pub, {}, K::kEd25519, false},
    ObjectTypeInfo{TEE_TYPE_ED25519_KEYPAIR, R::kRange, 256, 256, 1, kEd25519Pair, {}, K::kEd25519, true},
    ObjectTypeInfo{TEE_TYPE_X25519_PUBLIC_KEY, R::kRange, 256, 256, 1, kX25519Pub, {}, K::kX25519, false},
    ObjectTypeInfo{TEE_TYPE_X25519_KEYPAIR, R::kRange, 256, 256, 1, kX25519Pair, {}, K::kX25519, true},
    ObjectTypeInfo{TEE_TYPE_X448_PUBLIC_KEY, R::kRange, 448, 448, 1, kX448Pub, {}, K::kX448, false},
    ObjectTypeInfo{TEE_TYPE_X448_KEYPAIR, R::kRange, 448, 448, 1, kX448Pair, {}, K::kX448, true},
};

}  // namespace

const ObjectTypeInfo* find_object_type(uint32_t type) noexcept {
  for (const auto& t : kTypes) {
    if (t.type == type) return &t;
  }
  return nullptr;
}

uint32_t with_des_parity(uint32_t type, uint32_t bits) noexcept {
  if (type == TEE_TYPE_DES && bits == 56) return 64;
  if (type == TEE_TYPE_DES3 && (bits == 112 || bits == 168)) return bits / 7 * 8;
  return bits;
}

bool key_size_valid(const ObjectTypeInfo& t, uint32_t bits) noexcept {
  switch (t.rule) {
    case KeySizeRule::kAes:
      return bits == 128 || bits == 192 || bits == 256;
    case KeySizeRule::kDes3:
      return bits == 128 || bits == 192;
    case KeySizeRule::kEcc:
      return bits == 192 || bits == 224 || bits == 256 || bits == 384 || bits == 521;
    case KeySizeRule::kDsa:
      return (bits >= 512 && bits <= 1024 && bits % 64 == 0) || bits == 2048 || bits == 3072;
    case KeySizeRule::kRange:
      return bits >= t.min_bits && bits <= t.max_bits && (bits - t.min_bits) % t.step == 0;
  }
  return false;
}

}  // namespace swtee::ta::crypto
