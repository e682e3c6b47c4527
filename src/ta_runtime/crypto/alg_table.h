// The GP algorithms this TEE implements, one row each: operation class,
// engine, cipher family/mode, key type, OpenSSL digest. Algorithms not in the
// table (or whose OpenSSL primitive is missing at run time) are reported as
// unsupported by TEE_IsAlgorithmSupported and TEE_AllocateOperation.
#pragma once

#include <openssl/evp.h>

#include <cstddef>
#include <cstdint>

#include "tee_internal_api.h"

namespace swtee::ta::crypto {

enum class Engine : uint8_t {
  kDigest,     // EVP_MD, fixed-size output
  kXof,        // EVP_MD, SHAKE: extendable output
  kCipher,     // EVP_CIPHER ECB/CBC/CTR (NOPAD or PKCS5)
  kCts,        // CBC + ciphertext stealing (CS3, RFC 3962), own streaming
  kXts,        // XTS over ECB, own streaming (equal keys allowed)
  kHmac,       // EVP_MAC HMAC
  kCmac,       // EVP_MAC CMAC
  kCbcMac,     // CBC, last block (NOPAD or PKCS5)
  kGcm,        // EVP_CIPHER GCM
  kCcm,        // EVP_CIPHER CCM, input buffered (OpenSSL takes one update)
  kHkdf,       // EVP_KDF HKDF (OP-TEE TEE_ALG_HKDF_*_DERIVE_KEY)
  kConcatKdf,  // EVP_KDF SSKDF = SP 800-56A concatenation KDF
  kPbkdf2,     // EVP_KDF PBKDF2
  kAsym,       // EVP_PKEY (or BIGNUM for DH): see AlgInfo::scheme
};

// The asymmetric scheme of an Engine::kAsym algorithm.
enum class Scheme : uint8_t {
  kNone,
  kRsaPkcs1Sign,  // RSASSA-PKCS1-v1_5 (md null: the bare OP-TEE variant)
  kRsaPss,        // RSASSA-PSS, MGF1 with the same hash
  kRsaPkcs1Enc,   // RSAES-PKCS1-v1_5
  kRsaOaep,       // RSAES-OAEP (MGF1 hash: the same, or TEE_ATTR_RSA_OAEP_MGF_HASH)
  kRsaNopad,      // raw RSA
  kDsa,           // r || s, each |q| bytes
  kEcdsa,         // r || s, each |n| bytes
  kEd25519,       // pure Ed25519 (RFC 8032); ctx/ph: see README
  kSm2Dsa,        // SM2 signature over a caller-computed SM3 digest, r || s
  kSm2Pke,        // SM2 encryption, C1 || C3 || C2
  kEcdh,          // shared x-coordinate
  kDh,            // g^xy mod p (BIGNUM)
  kX25519,
  kX448,
};

enum class Family : uint8_t { kNone, kAes, kDes, kDes3, kSm4 };
enum class BlockMode : uint8_t { kNone, kEcb, kCbc, kCtr };

struct AlgInfo {
  uint32_t id;
  uint32_t op_class;  // TEE_OPERATION_*
  Engine engine;
  Family family;
  BlockMode mode;     // for kCipher; the bulk primitive for the others
  bool pkcs5;         // kCipher / kCbcMac padding
  uint32_t key_type;  // TEE_TYPE_*; 0 for digests
  const char* md;     // OpenSSL digest name (digests, HMAC)
  uint32_t out_len;   // digest/MAC size in bytes; 0 for XOF, ciphers, asymmetric
  Scheme scheme = Scheme::kNone;
  uint32_t curve = 0;  // kEcdsa/kEcdh: the only curve allowed (GP 1.1 ids); 0 = any
};

// True when `element` (TEE_IsAlgorithmSupported) names something the
// algorithm can run with: a curve for ECC algorithms, NONE otherwise.
bool alg_element_ok(const AlgInfo& a, uint32_t element) noexcept;

// nullptr for an algorithm outside the table.
const AlgInfo* find_alg(uint32_t id) noexcept;

// True when OpenSSL provides everything the algorithm needs.
bool alg_available(const AlgInfo& a) noexcept;

size_t family_block_size(Family f) noexcept;

// The OpenSSL cipher for a family/mode and key size (bits); nullptr when the
// combination is invalid or the provider lacks it.
const EVP_CIPHER* family_cipher(Family f, BlockMode m, uint32_t key_bits) noexcept;

// Default key size (bits) used to probe availability of a family.
uint32_t family_probe_bits(Family f) noexcept;

}  // namespace swtee::ta::crypto
