#include "ta_runtime/crypto/alg_table.h"

#include <array>
#include <cstdio>

#include "ta_runtime/crypto/evp_cache.h"

namespace swtee::ta::crypto {
namespace {

constexpr uint32_t kC = TEE_OPERATION_CIPHER;
constexpr uint32_t kM = TEE_OPERATION_MAC;
constexpr uint32_t kAE = TEE_OPERATION_AE;
constexpr uint32_t kD = TEE_OPERATION_DIGEST;
constexpr uint32_t kKdf = TEE_OPERATION_KEY_DERIVATION;

using E = Engine;
using F = Family;
using B = BlockMode;

constexpr std::array kAlgs = {
    // Digests.
    AlgInfo{TEE_ALG_MD5, kD, E::kDigest, F::kNone, B::kNone, false, 0, "MD5", 16},
    AlgInfo{TEE_ALG_SHA1, kD, E::kDigest, F::kNone, B::kNone, false, 0, "SHA1", 20},
    AlgInfo{TEE_ALG_SHA224, kD, E::kDigest, F::kNone, B::kNone, false, 0, "SHA2-224", 28},
    AlgInfo{TEE_ALG_SHA256, kD, E::kDigest, F::kNone, B::kNone, false, 0, "SHA2-256", 32},
    AlgInfo{TEE_ALG_SHA384, kD, E::kDigest, F::kNone, B::kNone, false, 0, "SHA2-384", 48},
    AlgInfo{TEE_ALG_SHA512, kD, E::kDigest, F::kNone, B::kNone, false, 0, "SHA2-512", 64},
    AlgInfo{TEE_ALG_SM3, kD, E::kDigest, F::kNone, B::kNone, false, 0, "SM3", 32},
    AlgInfo{TEE_ALG_SHA3_224, kD, E::kDigest, F::kNone, B::kNone, false, 0, "SHA3-224", 28},
    AlgInfo{TEE_ALG_SHA3_256, kD, E::kDigest, F::kNone, B::kNone, false, 0, "SHA3-256", 32},
    AlgInfo{TEE_ALG_SHA3_384, kD, E::kDigest, F::kNone, B::kNone, false, 0, "SHA3-384", 48},
    AlgInfo{TEE_ALG_SHA3_512, kD, E::kDigest, F::kNone, B::kNone, false, 0, "SHA3-512", 64},
    AlgInfo{TEE_ALG_MD5SHA1, kD, E::kDigest, F::kNone, B::kNone, false, 0, "MD5-SHA1", 36},
    AlgInfo{TEE_ALG_SHAKE128, kD, E::kXof, F::kNone, B::kNone, false, 0, "SHAKE-128", 0},
    AlgInfo{TEE_ALG_SHAKE256, kD, E::kXof, F::kNone, B::kNone, false, 0, "SHAKE-256", 0},
    // HMAC.
    AlgInfo{TEE_ALG_HMAC_MD5, kM, E::kHmac, F::kNone, B::kNone, false, TEE_TYPE_HMAC_MD5, "MD5", 16},
    AlgInfo{TEE_ALG_HMAC_SHA1, kM, E::kHmac, F::kNone, B::kNone, false, TEE_TYPE_HMAC_SHA1, "SHA1", 20},
    AlgInfo{TEE_ALG_HMAC_SHA224, kM, E::kHmac, F::kNone, B::kNone, false, TEE_TYPE_HMAC_SHA224, "SHA2-224",
            28},
    AlgInfo{TEE_ALG_HMAC_SHA256, kM, E::kHmac, F::kNone, B::kNone, false, TEE_TYPE_HMAC_SHA256, "SHA2-256",
            32},
    AlgInfo{TEE_ALG_HMAC_SHA384, kM, E::kHmac, F::kNone, B::kNone, false, TEE_TYPE_HMAC_SHA384, "SHA2-384",
            48},
    AlgInfo{TEE_ALG_HMAC_SHA512, kM, E::kHmac, F::kNone, B::kNone, false, TEE_TYPE_HMAC_SHA512, "SHA2-512",
            64},
    AlgInfo{TEE_ALG_HMAC_SM3, kM, E::kHmac, F::kNone, B::kNone, false, TEE_TYPE_HMAC_SM3, "SM3", 32},
    AlgInfo{TEE_ALG_HMAC_SHA3_224, kM, E::kHmac, F::kNone, B::kNone, false, TEE_TYPE_HMAC_SHA3_224,
            "SHA3-224", 28},
    AlgInfo{TEE_ALG_HMAC_SHA3_256, kM, E::kHmac, F::kNone, B::kNone, false, TEE_TYPE_HMAC_SHA3_256,
            "SHA3-256", 32},
    AlgInfo{TEE_ALG_HMAC_SHA3_384, kM, E::kHmac, F::kNone, B::kNone, false, TEE_TYPE_HMAC_SHA3_384,
            "SHA3-384", 48},
    AlgInfo{TEE_ALG_HMAC_SHA3_512, kM, E::kHmac, F::kNone, B::kNone, false, TEE_TYPE_HMAC_SHA3_512,
            "SHA3-512", 64},
    // Block-cipher MACs.
    AlgInfo{TEE_ALG_AES_CMAC, kM, E::kCmac, F::kAes, B::kCbc, false, TEE_TYPE_AES, nullptr, 16},
    AlgInfo{TEE_ALG_DES3_CMAC, kM, E::kCmac, F::kDes3, B::kCbc, false, TEE_TYPE_DES3, nullptr, 8},
    AlgInfo{TEE_ALG_AES_CBC_MAC_NOPAD, kM, E::kCbcMac, F::kAes, B::kCbc, false, TEE_TYPE_AES, nullptr, 16},
    AlgInfo{TEE_ALG_AES_CBC_MAC_PKCS5, kM, E::kCbcMac, F::kAes, B::kCbc, true, TEE_TYPE_AES, nullptr, 16},
    AlgInfo{TEE_ALG_DES_CBC_MAC_NOPAD, kM, E::kCbcMac, F::kDes, B::kCbc, false, TEE_TYPE_DES, nullptr, 8},
    AlgInfo{TEE_ALG_DES_CBC_MAC_PKCS5, kM, E::kCbcMac, F::kDes, B::kCbc, true, TEE_TYPE_DES, nullptr, 8},
    AlgInfo{TEE_ALG_DES3_CBC_MAC_NOPAD, kM, E::kCbcMac, F::kDes3, B::kCbc, false, TEE_TYPE_DES3, nullptr, 8},
    AlgInfo{TEE_ALG_DES3_CBC_MAC_PKCS5, kM, E::kCbcMac, F::kDes3, B::kCbc, true, TEE_TYPE_DES3, nullptr, 8},
    // Ciphers.
    AlgInfo{TEE_ALG_AES_ECB_NOPAD, kC, E::kCipher, F::kAes, B::kEcb, false, TEE_TYPE_AES, nullptr, 0},
    AlgInfo{TEE_ALG_AES_CBC_NOPAD, kC, E::kCipher, F::kAes, B::kCbc, false, TEE_TYPE_AES, nullptr, 0},
    AlgInfo{TEE_ALG_AES_CTR, kC, E::kCipher, F::kAes, B::kCtr, false, TEE_TYPE_AES, nullptr, 0},
    AlgInfo{TEE_ALG_AES_CTS, kC, E::kCts, F::kAes, B::kCbc, false, TEE_TYPE_AES, nullptr, 0},
    AlgInfo{TEE_ALG_AES_XTS, kC, E::kXts, F::kAes, B::kEcb, false, TEE_TYPE_AES, nullptr, 0},
    AlgInfo{TEE_ALG_DES_ECB_NOPAD, kC, E::kCipher, F::kDes, B::kEcb, false, TEE_TYPE_DES, nullptr, 0},
    AlgInfo{TEE_ALG_DES_CBC_NOPAD, kC, E::kCipher, F::kDes, B::kCbc, false, TEE_TYPE_DES, nullptr, 0},
    AlgInfo{TEE_ALG_DES3_ECB_NOPAD, kC, E::kCipher, F::kDes3, B::kEcb, false, TEE_TYPE_DES3, nullptr, 0},
    AlgInfo{TEE_ALG_DES3_CBC_NOPAD, kC, E::kCipher, F::kDes3, B::kCbc, false, TEE_TYPE_DES3, nullptr, 0},
    AlgInfo{TEE_ALG_SM4_ECB_NOPAD, kC, E::kCipher, F::kSm4, B::kEcb, false, TEE_TYPE_SM4, nullptr, 0},
    AlgInfo{TEE_ALG_SM4_CBC_NOPAD, kC, E::kCipher, F::kSm4, B::kCbc, false, TEE_TYPE_SM4, nullptr, 0},
    AlgInfo{TEE_ALG_SM4_CTR, kC, E::kCipher, F::kSm4, B::kCtr, false, TEE_TYPE_SM4, nullptr, 0},
    AlgInfo{TEE_ALG_SM4_ECB_PKCS5, kC, E::kCipher, F::kSm4, B::kEcb, true, TEE_TYPE_SM4, nullptr, 0},
    AlgInfo{TEE_ALG_SM4_CBC_PKCS5, kC, E::kCipher, F::kSm4, B::kCbc, true, TEE_TYPE_SM4, nullptr, 0},
    AlgInfo{TEE_ALG_SM4_XTS, kC, E::kXts, F::kSm4, B::kEcb, false, TEE_TYPE_SM4, nullptr, 0},
    // Authenticated encryption.
    AlgInfo{TEE_ALG_AES_GCM, kAE, E::kGcm, F::kAes, B::kNone, false, TEE_TYPE_AES, nullptr, 0},
    AlgInfo{TEE_ALG_AES_CCM, kAE, E::kCcm, F::kAes, B::kNone, false, TEE_TYPE_AES, nullptr, 0},
    // Key derivation (OP-TEE extension ids).
    AlgInfo{TEE_ALG_HKDF_MD5_DERIVE_KEY, kKdf, E::kHkdf, F::kNone, B::kNone, false, TEE_TYPE_HKDF_IKM, "MD5",
            0},
    AlgInfo{TEE_ALG_HKDF_SHA1_DERIVE_KEY, kKdf, E::kHkdf, F::kNone, B::kNone, false, TEE_TYPE_HKDF_IKM,
            "SHA1", 0},
    AlgInfo{TEE_ALG_HKDF_SHA224_DERIVE_KEY, kKdf, E::kHkdf, F::kNone, B::kNone, false, TEE_TYPE_HKDF_IKM,
            "SHA2-224", 0},
    AlgInfo{TEE_ALG_HKDF_SHA256_DERIVE_KEY, kKdf, E::kHkdf, F::kNone, B::kNone, false, TEE_TYPE_HKDF_IKM,
            "SHA2-256", 0},
    AlgInfo{TEE_ALG_HKDF_SHA384_DERIVE_KEY, kKdf, E::kHkdf, F::kNone, B::kNone, false, TEE_TYPE_HKDF_IKM,
            "SHA2-384", 0},
    AlgInfo{TEE_ALG_HKDF_SHA512_DERIVE_KEY, kKdf, E::kHkdf, F::kNone, B::kNone, false, TEE_TYPE_HKDF_IKM,
            "SHA2-512", 0},
    AlgInfo{TEE_ALG_CONCAT_KDF_SHA1_DERIVE_KEY, kKdf, E::kConcatKdf, F::kNone, B::kNone, false,
            TEE_TYPE_CONCAT_KDF_Z, "SHA1", 0},
    AlgInfo{TEE_ALG_CONCAT_KDF_SHA224_DERIVE_KEY, kKdf, E::kConcatKdf, F::kNone, B::kNone, false,
            TEE_TYPE_CONCAT_KDF_Z, "SHA2-224", 0},
    AlgInfo{TEE_ALG_CONCAT_KDF_SHA256_DERIVE_KEY, kKdf, E::kConcatKdf, F::kNone, B::kNone, false,
            TEE_TYPE_CONCAT_KDF_Z, "SHA2-256", 0},
    AlgInfo{TEE_ALG_CONCAT_KDF_SHA384_DERIVE_KEY, kKdf, E::kConcatKdf, F::kNone, B::kNone, false,
            TEE_TYPE_CONCAT_KDF_Z, "SHA2-384", 0},
    AlgInfo{TEE_ALG_CONCAT_KDF_SHA512_DERIVE_KEY, kKdf, E::kConcatKdf, F::kNone, B::kNone, false,
            TEE_TYPE_CONCAT_KDF_Z, "SHA2-512", 0},
    AlgInfo{TEE_ALG_PBKDF2_HMAC_SHA1_DERIVE_KEY, kKdf, E::kPbkdf2, F::kNone, B::kNone, false,
            TEE_TYPE_PBKDF2_PASSWORD, "SHA1", 0},
    AlgInfo{TEE_ALG_PBKDF2_HMAC_SHA224_DERIVE_KEY, kKdf, E::kPbkdf2, F::kNone, B::kNone, false,
            TEE_TYPE_PBKDF2_PASSWORD, "SHA2-224", 0},
    AlgInfo{TEE_ALG_PBKDF2_HMAC_SHA256_DERIVE_KEY, kKdf, E::kPbkdf2, F::kNone, B::kNone, false,
            TEE_TYPE_PBKDF2_PASSWORD, "SHA2-256", 0},
    AlgInfo{TEE_ALG_PBKDF2_HMAC_SHA384_DERIVE_KEY, kKdf, E::kPbkdf2, F::kNone, B::kNone, false,
            TEE_TYPE_PBKDF2_PASSWORD, "SHA2-384", 0},
    AlgInfo{TEE_ALG_PBKDF2_HMAC_SHA512_DERIVE_KEY, kKdf, E::kPbkdf2, F::kNone, B::kNone, false,
            TEE_TYPE_PBKDF2_PASSWORD, "SHA2-512", 0},
    AlgInfo{TEE_ALG_PBKDF2_HMAC_SM3_DERIVE_KEY, kKdf, E::kPbkdf2, F::kNone, B::kNone, false,
            TEE_TYPE_PBKDF2_PASSWORD, "SM3", 0},
};

}  // namespace

const AlgInfo* find_alg(uint32_t id) noexcept {
  for (const auto& a : kAlgs) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

size_t family_block_size(Family f) noexcept {
  switch (f) {
    case Family::kAes:
    case Family::kSm4:
      return 16;
    case Family::kDes:
    case Family::kDes3:
      return 8;
    case Family::kNone:
      return 1;
  }
  return 1;
}

uint32_t family_probe_bits(Family f) noexcept {
  switch (f) {
    case Family::kAes:
    case Family::kSm4:
      return 128;
    case Family::kDes:
      return 64;
    case Family::kDes3:
      return 192;
    case Family::kNone:
      return 0;
  }
  return 0;
}

const EVP_CIPHER* family_cipher(Family f, BlockMode m, uint32_t key_bits) noexcept {
  const char* mode = nullptr;
  switch (m) {
    case BlockMode::kEcb:
      mode = "ECB";
      break;
    case BlockMode::kCbc:
      mode = "CBC";
      break;
    case BlockMode::kCtr:
      mode = "CTR";
      break;
    case BlockMode::kNone:
      return nullptr;
  }
  char name[32];
  switch (f) {
    case Family::kAes:
      if (key_bits != 128 && key_bits != 192 && key_bits != 256) return nullptr;
      std::snprintf(name, sizeof(name), "AES-%u-%s", key_bits, mode);
      break;
    case Family::kSm4:
      if (key_bits != 128) return nullptr;
      std::snprintf(name, sizeof(name), "SM4-%s", mode);
      break;
    case Family::kDes:
      if (key_bits != 64 || m == BlockMode::kCtr) return nullptr;
      std::snprintf(name, sizeof(name), "DES-%s", mode);
      break;
    case Family::kDes3:
      if ((key_bits != 128 && key_bits != 192) || m == BlockMode::kCtr) return nullptr;
      std::snprintf(name, sizeof(name), "%s-%s", key_bits == 128 ? "DES-EDE" : "DES-EDE3", mode);
      break;
    case Family::kNone:
      return nullptr;
  }
  return fetch_cipher(name);
}

bool alg_available(const AlgInfo& a) noexcept {
  switch (a.engine) {
    case Engine::kDigest:
    case Engine::kXof:
    case Engine::kHmac:
      return fetch_md(a.md) != nullptr && (a.engine != Engine::kHmac || fetch_mac("HMAC") != nullptr);
    case Engine::kCmac:
      return fetch_mac("CMAC") != nullptr &&
             family_cipher(a.family, BlockMode::kCbc, family_probe_bits(a.family));
    case Engine::kCipher:
    case Engine::kCbcMac:
      return family_cipher(a.family, a.mode, family_probe_bits(a.family)) != nullptr;
    case Engine::kCts:
      return family_cipher(a.family, BlockMode::kCbc, family_probe_bits(a.family)) != nullptr &&
             family_cipher(a.family, BlockMode::kEcb, family_probe_bits(a.family)) != nullptr;
    case Engine::kXts:
      return family_cipher(a.family, BlockMode::kEcb, family_probe_bits(a.family)) != nullptr;
    case Engine::kGcm:
      return fetch_cipher("AES-128-GCM") != nullptr;
    case Engine::kCcm:
      return fetch_cipher("AES-128-CCM") != nullptr;
    case Engine::kHkdf:
    case Engine::kConcatKdf:
    case Engine::kPbkdf2:
      return fetch_md(a.md) != nullptr && fetch_kdf(a.engine == Engine::kHkdf     ? "HKDF"
                                                    : a.engine == Engine::kPbkdf2 ? "PBKDF2"
                                                                                  : "SSKDF") != nullptr;
  }
  return false;
}

}  // namespace swtee::ta::crypto
