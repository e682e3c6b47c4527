#include "ta_runtime/crypto/engine_setup.h"

#include <openssl/core_names.h>
#include <openssl/params.h>

#include <cstdio>
#include <cstring>

#include "ta_runtime/crypto/evp_cache.h"

namespace swtee::ta::crypto {
namespace {

bool init_cipher(EVP_CIPHER_CTX* ctx, const EVP_CIPHER* c, const uint8_t* key, int enc, bool pad) noexcept {
  if (c == nullptr) return false;
  if (EVP_CipherInit_ex2(ctx, c, key, nullptr, enc, nullptr) != 1) return false;
  return EVP_CIPHER_CTX_set_padding(ctx, pad ? 1 : 0) == 1;
}

bool copy_cipher_ctx(EVP_CIPHER_CTX* dst, const EVP_CIPHER_CTX* src) noexcept {
  if (src == nullptr || dst == nullptr) return src == dst;
  if (EVP_CIPHER_CTX_get0_cipher(src) == nullptr) return EVP_CIPHER_CTX_reset(dst) == 1;
  return EVP_CIPHER_CTX_copy(dst, src) == 1;
}

}  // namespace

bool engine_alloc(Operation& op) noexcept {
  switch (op.alg->engine) {
    case Engine::kDigest:
    case Engine::kXof:
      op.md_ctx = EVP_MD_CTX_new();
      return op.md_ctx != nullptr && EVP_DigestInit_ex2(op.md_ctx, fetch_md(op.alg->md), nullptr) == 1;
    case Engine::kHmac:
    case Engine::kCmac:
      op.mac_ctx = EVP_MAC_CTX_new(fetch_mac(op.alg->engine == Engine::kHmac ? "HMAC" : "CMAC"));
      return op.mac_ctx != nullptr;
    case Engine::kCipher:
    case Engine::kCbcMac:
    case Engine::kGcm:
    case Engine::kCcm:
      op.cctx = EVP_CIPHER_CTX_new();
      return op.cctx != nullptr;
    case Engine::kCts:
    case Engine::kXts:
      op.cctx = EVP_CIPHER_CTX_new();
      op.cctx2 = EVP_CIPHER_CTX_new();
      return op.cctx != nullptr && op.cctx2 != nullptr;
    case Engine::kHkdf:
    case Engine::kConcatKdf:
    case Engine::kPbkdf2:
      return true;  // one EVP_KDF_CTX per TEE_DeriveKey
    case Engine::kAsym:
      return true;  // EVP_PKEY and its context come with the key (asym_op.cc)
  }
  return false;
}

bool engine_apply_key(Operation& op) noexcept {
  const AlgInfo& a = *op.alg;
  const int enc = op.encrypting() ? 1 : 0;
  switch (a.engine) {
    case Engine::kDigest:
    case Engine::kXof:
      return true;
    case Engine::kHmac:
    case Engine::kCmac: {
      // Digest/cipher and key are set once here; TEE_MACInit only restarts
      // (EVP_MAC_init with no key keeps it), so no per-message fetch.
      char cipher[24];
      OSSL_PARAM params[2];
      if (a.engine == Engine::kHmac) {
        params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(a.md), 0);
      } else {
        if (a.family == Family::kAes) {
          std::snprintf(cipher, sizeof(cipher), "AES-%u-CBC", op.key_size);
        } else {
          std::snprintf(cipher, sizeof(cipher), "%s", op.key_size == 128 ? "DES-EDE-CBC" : "DES-EDE3-CBC");
        }
        params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, cipher, 0);
      }
      params[1] = OSSL_PARAM_construct_end();
      return EVP_MAC_init(op.mac_ctx, op.key1.data(), op.key1.size(), params) == 1;
    }
    case Engine::kCipher:
      return init_cipher(op.cctx, family_cipher(a.family, a.mode, op.key_size), op.key1.data(), enc, a.pkcs5);
    case Engine::kCbcMac:
      return init_cipher(op.cctx, family_cipher(a.family, BlockMode::kCbc, op.key_size), op.key1.data(), 1,
                         false);
    case Engine::kCts:
      return init_cipher(op.cctx, family_cipher(a.family, BlockMode::kCbc, op.key_size), op.key1.data(), enc,
                         false) &&
             init_cipher(op.cctx2, family_cipher(a.family, BlockMode::kEcb, op.key_size), op.key1.data(), enc,
                         false);
    case Engine::kXts:
      return init_cipher(op.cctx, family_cipher(a.family, BlockMode::kEcb, op.key_size), op.key1.data(), enc,
                         false) &&
             init_cipher(op.cctx2, family_cipher(a.family, BlockMode::kEcb, op.key2_size), op.key2.data(), 1,
                         false);
    case Engine::kGcm: {
      char name[16];
      std::snprintf(name, sizeof(name), "AES-%u-GCM", op.key_size);
      return init_cipher(op.cctx, fetch_cipher(name), op.key1.data(), enc, false);
    }
    case Engine::kCcm:
      // CCM needs the nonce and tag lengths before the key: keyed at final.
      return op.key_size == 128 || op.key_size == 192 || op.key_size == 256;
    case Engine::kHkdf:
    case Engine::kConcatKdf:
    case Engine::kPbkdf2:
      return true;  // the key is read at TEE_DeriveKey
    case Engine::kAsym:
      return true;  // keyed by asym_set_key, never through here
  }
  return false;
}

bool engine_copy(Operation& dst, const Operation& src) noexcept {
  if (src.pkey != dst.pkey) {
    // Keys are immutable once built: share them.
    if (src.pkey != nullptr && EVP_PKEY_up_ref(src.pkey) != 1) return false;
    EVP_PKEY_free(dst.pkey);
    dst.pkey = src.pkey;
  }
  EVP_PKEY_CTX* pc = nullptr;
  if (src.pctx != nullptr && (pc = EVP_PKEY_CTX_dup(src.pctx)) == nullptr) return false;
  EVP_PKEY_CTX_free(dst.pctx);
  dst.pctx = pc;
  dst.akey = src.akey;
  if (src.alg->engine == Engine::kAsym) {
    // EdDSA's EVP_MD_CTX holds no state between calls: a fresh one will do.
    if (src.md_ctx != nullptr && dst.md_ctx == nullptr && (dst.md_ctx = EVP_MD_CTX_new()) == nullptr)
      return false;
  } else if (src.md_ctx != nullptr && EVP_MD_CTX_copy_ex(dst.md_ctx, src.md_ctx) != 1) {
    return false;
  }
  if (!copy_cipher_ctx(dst.cctx, src.cctx) || !copy_cipher_ctx(dst.cctx2, src.cctx2)) return false;
  if (src.mac_ctx != nullptr) {
    EVP_MAC_CTX* m = EVP_MAC_CTX_dup(src.mac_ctx);
    if (m == nullptr) return false;
    EVP_MAC_CTX_free(dst.mac_ctx);
    dst.mac_ctx = m;
  }
  return true;
}

}  // namespace swtee::ta::crypto
