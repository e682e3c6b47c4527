#include "ta_runtime/crypto/object_types.h"

#include <array>

namespace swtee::ta::crypto {
namespace {

constexpr uint32_t kSecretAttrs[] = {TEE_ATTR_SECRET_VALUE};
constexpr uint32_t kHkdfAttrs[] = {TEE_ATTR_HKDF_IKM};
constexpr uint32_t kConcatAttrs[] = {TEE_ATTR_CONCAT_KDF_Z};
constexpr uint32_t kPbkdf2Attrs[] = {TEE_ATTR_PBKDF2_PASSWORD};

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
};

}  // namespace

const ObjectTypeInfo* find_object_type(uint32_t type) noexcept {
  for (const auto& t : kTypes) {
    if (t.type == type) return &t;
  }
  return nullptr;
}

bool key_size_valid(const ObjectTypeInfo& t, uint32_t bits) noexcept {
  switch (t.rule) {
    case KeySizeRule::kAes:
      return bits == 128 || bits == 192 || bits == 256;
    case KeySizeRule::kDes3:
      return bits == 128 || bits == 192;
    case KeySizeRule::kRange:
      return bits >= t.min_bits && bits <= t.max_bits && (bits - t.min_bits) % t.step == 0;
  }
  return false;
}

}  // namespace swtee::ta::crypto
