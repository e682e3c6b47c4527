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
constexpr uint32_t kSig = TEE_OPERATION_ASYMMETRIC_SIGNATURE;
constexpr uint32_t kAc = TEE_OPERATION_ASYMMETRIC_CIPHER;

using E = Engine;
using F = Family;
using B = BlockMode;
using S = Scheme;

constexpr AlgInfo asym(uint32_t id, uint32_t cls, uint32_t key_type, const char* md, Scheme s,
                       uint32_t curve = 0) {
  return AlgInfo{id, cls, E::kAsym, F::kNone, B::kNone, false, key_type, md, 0, s, curve};
}

constexpr uint32_t kRsa = TEE_TYPE_RSA_KEYPAIR;
constexpr uint32_t kEcdsaKey = TEE_TYPE_ECDSA_KEYPAIR;
constexpr uint32_t kEcdhKey = TEE_TYPE_ECDH_KEYPAIR;

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
    // GP 1.3.1 HKDF: the hash is a TEE_DeriveKey parameter (default SHA-256).
    AlgInfo{TEE_ALG_HKDF, kKdf, E::kHkdf, F::kNone, B::kNone, false, TEE_TYPE_HKDF, "SHA2-256", 0},
    // RSA signatures.
    asym(TEE_ALG_RSASSA_PKCS1_V1_5_MD5, kSig, kRsa, "MD5", S::kRsaPkcs1Sign),
    asym(TEE_ALG_RSASSA_PKCS1_V1_5_SHA1, kSig, kRsa, "SHA1", S::kRsaPkcs1Sign),
    asym(TEE_ALG_RSASSA_PKCS1_V1_5_SHA224, kSig, kRsa, "SHA2-224", S::kRsaPkcs1Sign),
    asym(TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, kSig, kRsa, "SHA2-256", S::kRsaPkcs1Sign),
    asym(TEE_ALG_RSASSA_PKCS1_V1_5_SHA384, kSig, kRsa, "SHA2-384", S::kRsaPkcs1Sign),
    asym(TEE_ALG_RSASSA_PKCS1_V1_5_SHA512, kSig, kRsa, "SHA2-512", S::kRsaPkcs1Sign),
    asym(TEE_ALG_RSASSA_PKCS1_V1_5_MD5SHA1, kSig, kRsa, "MD5-SHA1", S::kRsaPkcs1Sign),
    asym(TEE_ALG_RSASSA_PKCS1_V1_5_SHA3_224, kSig, kRsa, "SHA3-224", S::kRsaPkcs1Sign),
    asym(TEE_ALG_RSASSA_PKCS1_V1_5_SHA3_256, kSig, kRsa, "SHA3-256", S::kRsaPkcs1Sign),
    asym(TEE_ALG_RSASSA_PKCS1_V1_5_SHA3_384, kSig, kRsa, "SHA3-384", S::kRsaPkcs1Sign),
    asym(TEE_ALG_RSASSA_PKCS1_V1_5_SHA3_512, kSig, kRsa, "SHA3-512", S::kRsaPkcs1Sign),
    asym(TEE_ALG_RSASSA_PKCS1_V1_5, kSig, kRsa, nullptr, S::kRsaPkcs1Sign),
    asym(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_MD5, kSig, kRsa, "MD5", S::kRsaPss),
    asym(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA1, kSig, kRsa, "SHA1", S::kRsaPss),
    asym(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA224, kSig, kRsa, "SHA2-224", S::kRsaPss),
    asym(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256, kSig, kRsa, "SHA2-256", S::kRsaPss),
    asym(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA384, kSig, kRsa, "SHA2-384", S::kRsaPss),
    asym(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA512, kSig, kRsa, "SHA2-512", S::kRsaPss),
    asym(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA3_224, kSig, kRsa, "SHA3-224", S::kRsaPss),
    asym(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA3_256, kSig, kRsa, "SHA3-256", S::kRsaPss),
    asym(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA3_384, kSig, kRsa, "SHA3-384", S::kRsaPss),
    asym(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA3_512, kSig, kRsa, "SHA3-512", S::kRsaPss),
    // RSA encryption.
    asym(TEE_ALG_RSAES_PKCS1_V1_5, kAc, kRsa, nullptr, S::kRsaPkcs1Enc),
    asym(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_MD5, kAc, kRsa, "MD5", S::kRsaOaep),
    asym(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA1, kAc, kRsa, "SHA1", S::kRsaOaep),
    asym(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA224, kAc, kRsa, "SHA2-224", S::kRsaOaep),
    asym(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, kAc, kRsa, "SHA2-256", S::kRsaOaep),
    asym(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA384, kAc, kRsa, "SHA2-384", S::kRsaOaep),
    asym(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA512, kAc, kRsa, "SHA2-512", S::kRsaOaep),
    asym(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA3_224, kAc, kRsa, "SHA3-224", S::kRsaOaep),
    asym(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA3_256, kAc, kRsa, "SHA3-256", S::kRsaOaep),
    asym(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA3_384, kAc, kRsa, "SHA3-384", S::kRsaOaep),
    asym(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA3_512, kAc, kRsa, "SHA3-512", S::kRsaOaep),
    asym(TEE_ALG_RSA_NOPAD, kAc, kRsa, nullptr, S::kRsaNopad),
    // DSA.
    asym(TEE_ALG_DSA_SHA1, kSig, TEE_TYPE_DSA_KEYPAIR, "SHA1", S::kDsa),
    asym(TEE_ALG_DSA_SHA224, kSig, TEE_TYPE_DSA_KEYPAIR, "SHA2-224", S::kDsa),
    asym(TEE_ALG_DSA_SHA256, kSig, TEE_TYPE_DSA_KEYPAIR, "SHA2-256", S::kDsa),
    asym(TEE_ALG_DSA_SHA3_224, kSig, TEE_TYPE_DSA_KEYPAIR, "SHA3-224", S::kDsa),
    asym(TEE_ALG_DSA_SHA3_256, kSig, TEE_TYPE_DSA_KEYPAIR, "SHA3-256", S::kDsa),
    asym(TEE_ALG_DSA_SHA3_384, kSig, TEE_TYPE_DSA_KEYPAIR, "SHA3-384", S::kDsa),
    asym(TEE_ALG_DSA_SHA3_512, kSig, TEE_TYPE_DSA_KEYPAIR, "SHA3-512", S::kDsa),
    // ECDSA: GP 1.3.1 ids (any curve) and OP-TEE's GP 1.1 ABI ids (one curve).
    asym(TEE_ALG_ECDSA_SHA1, kSig, kEcdsaKey, "SHA1", S::kEcdsa),
    asym(TEE_ALG_ECDSA_SHA224, kSig, kEcdsaKey, "SHA2-224", S::kEcdsa),
    asym(TEE_ALG_ECDSA_SHA256, kSig, kEcdsaKey, "SHA2-256", S::kEcdsa),
    asym(TEE_ALG_ECDSA_SHA384, kSig, kEcdsaKey, "SHA2-384", S::kEcdsa),
    asym(TEE_ALG_ECDSA_SHA512, kSig, kEcdsaKey, "SHA2-512", S::kEcdsa),
    asym(TEE_ALG_ECDSA_SHA3_224, kSig, kEcdsaKey, "SHA3-224", S::kEcdsa),
    asym(TEE_ALG_ECDSA_SHA3_256, kSig, kEcdsaKey, "SHA3-256", S::kEcdsa),
    asym(TEE_ALG_ECDSA_SHA3_384, kSig, kEcdsaKey, "SHA3-384", S::kEcdsa),
    asym(TEE_ALG_ECDSA_SHA3_512, kSig, kEcdsaKey, "SHA3-512", S::kEcdsa),
    asym(__OPTEE_ALG_ECDSA_P192, kSig, kEcdsaKey, "SHA1", S::kEcdsa, TEE_ECC_CURVE_NIST_P192),
    asym(__OPTEE_ALG_ECDSA_P224, kSig, kEcdsaKey, "SHA2-224", S::kEcdsa, TEE_ECC_CURVE_NIST_P224),
    asym(__OPTEE_ALG_ECDSA_P256, kSig, kEcdsaKey, "SHA2-256", S::kEcdsa, TEE_ECC_CURVE_NIST_P256),
    asym(__OPTEE_ALG_ECDSA_P384, kSig, kEcdsaKey, "SHA2-384", S::kEcdsa, TEE_ECC_CURVE_NIST_P384),
    asym(__OPTEE_ALG_ECDSA_P521, kSig, kEcdsaKey, "SHA2-512", S::kEcdsa, TEE_ECC_CURVE_NIST_P521),
    // EdDSA and SM2.
    asym(TEE_ALG_ED25519, kSig, TEE_TYPE_ED25519_KEYPAIR, nullptr, S::kEd25519),
    asym(TEE_ALG_SM2_DSA_SM3, kSig, TEE_TYPE_SM2_DSA_KEYPAIR, "SM3", S::kSm2Dsa),
    asym(TEE_ALG_SM2_PKE, kAc, TEE_TYPE_SM2_PKE_KEYPAIR, "SM3", S::kSm2Pke),
    // Shared-secret derivations.
    asym(TEE_ALG_ECDH_DERIVE_SHARED_SECRET, kKdf, kEcdhKey, nullptr, S::kEcdh),
    asym(__OPTEE_ALG_ECDH_P192, kKdf, kEcdhKey, nullptr, S::kEcdh, TEE_ECC_CURVE_NIST_P192),
    asym(__OPTEE_ALG_ECDH_P224, kKdf, kEcdhKey, nullptr, S::kEcdh, TEE_ECC_CURVE_NIST_P224),
    asym(__OPTEE_ALG_ECDH_P256, kKdf, kEcdhKey, nullptr, S::kEcdh, TEE_ECC_CURVE_NIST_P256),
    asym(__OPTEE_ALG_ECDH_P384, kKdf, kEcdhKey, nullptr, S::kEcdh, TEE_ECC_CURVE_NIST_P384),
    asym(__OPTEE_ALG_ECDH_P521, kKdf, kEcdhKey, nullptr, S::kEcdh, TEE_ECC_CURVE_NIST_P521),
    asym(TEE_ALG_DH_DERIVE_SHARED_SECRET, kKdf, TEE_TYPE_DH_KEYPAIR, nullptr, S::kDh),
    asym(TEE_ALG_X25519, kKdf, TEE_TYPE_X25519_KEYPAIR, nullptr, S::kX25519),
    asym(TEE_ALG_X448, kKdf, TEE_TYPE_X448_KEYPAIR, nullptr, S::kX448),
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
    case Engine::kAsym:
      return a.md == nullptr || fetch_md(a.md) != nullptr;
    case Engine::kHkdf:
    case Engine::kConcatKdf:
    case Engine::kPbkdf2:
      return fetch_md(a.md) != nullptr && fetch_kdf(a.engine == Engine::kHkdf     ? "HKDF"
                                                    : a.engine == Engine::kPbkdf2 ? "PBKDF2"
                                                                                  : "SSKDF") != nullptr;
  }
  return false;
}

bool alg_element_ok(const AlgInfo& a, uint32_t element) noexcept {
  switch (a.scheme) {
    case Scheme::kEcdsa:
    case Scheme::kEcdh:
      if (a.curve != 0) return element == a.curve || element == TEE_CRYPTO_ELEMENT_NONE;
      return element >= TEE_ECC_CURVE_NIST_P192 && element <= TEE_ECC_CURVE_NIST_P521;
    case Scheme::kEd25519:
    case Scheme::kX25519:
      return element == TEE_CRYPTO_ELEMENT_NONE || element == TEE_ECC_CURVE_25519;
    case Scheme::kSm2Dsa:
    case Scheme::kSm2Pke:
      return element == TEE_CRYPTO_ELEMENT_NONE || element == TEE_ECC_CURVE_SM2;
    case Scheme::kNone:
    case Scheme::kRsaPkcs1Sign:
    case Scheme::kRsaPss:
    case Scheme::kRsaPkcs1Enc:
    case Scheme::kRsaOaep:
    case Scheme::kRsaNopad:
    case Scheme::kDsa:
    case Scheme::kDh:
    case Scheme::kX448:
      return element == TEE_CRYPTO_ELEMENT_NONE;
  }
  return false;
}

}  // namespace swtee::ta::crypto
