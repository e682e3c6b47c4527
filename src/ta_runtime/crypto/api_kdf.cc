// GP TEE Internal Core API, TEE_DeriveKey (GP 1.3.1 §6.9): GP's own HKDF
// (TEE_ALG_HKDF), OP-TEE's KDF extensions: HKDF (RFC 5869), Concat KDF
// (SP 800-56A, = OpenSSL SSKDF) and PBKDF2 (RFC 8018), and the key
// agreements (ECDH, DH, X25519, X448; asym_op.cc). The result is the SECRET_VALUE of the derived
// GENERIC_SECRET object. TEE_DeriveKey returns nothing, so every failure the
// spec does not list is a panic.
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <vector>

#include "ta_runtime/crypto/asym_op.h"
#include "ta_runtime/crypto/crypto_panic.h"
#include "ta_runtime/crypto/evp_cache.h"
#include "ta_runtime/crypto/object.h"
#include "ta_runtime/crypto/operation.h"
#include "tee_internal_api.h"

using namespace swtee::ta::crypto;

namespace {

// Upper bound on one PBKDF2 iteration count (RFC 6070's longest case is 2^24).
constexpr uint32_t kMaxPbkdf2Iterations = 1u << 26;

struct KdfParams {
  const void* salt = nullptr;
  size_t salt_len = 0;
  const void* info = nullptr;
  size_t info_len = 0;
  uint32_t out_len = 0;
  bool have_out_len = false;
  uint32_t iterations = 0;
  bool have_iterations = false;
  const char* md = nullptr;  // GP HKDF: TEE_ATTR_HKDF_HASH_ALGORITHM
};

// The OpenSSL digest of a GP digest algorithm id (fixed-size digests only).
const char* digest_name(uint32_t alg, const char* func) noexcept {
  const AlgInfo* d = find_alg(alg);
  if (d == nullptr || d->engine != Engine::kDigest || d->id == TEE_ALG_MD5SHA1)
    crypto_panic(func, "HKDF hash algorithm not supported");
  return d->md;
}

template <typename AttrT>
KdfParams collect(const Operation& op, const AttrT* params, uint32_t count, const char* func) noexcept {
  if (count != 0 && params == nullptr) crypto_panic(func, "params is NULL");
  KdfParams k;
  for (uint32_t i = 0; i < count; ++i) {
    const AttrT& a = params[i];
    const bool value = (a.attributeID & TEE_ATTR_FLAG_VALUE) != 0;
    if (!value && a.content.ref.length != 0 && a.content.ref.buffer == nullptr)
      crypto_panic(func, "NULL attribute buffer");
    switch (a.attributeID) {
      case TEE_ATTR_HKDF_SALT:
      case __OPTEE_TEE_ATTR_HKDF_SALT:
      case TEE_ATTR_PBKDF2_SALT:
        k.salt = a.content.ref.buffer;
        k.salt_len = a.content.ref.length;
        break;
      case TEE_ATTR_HKDF_INFO:
      case __OPTEE_TEE_ATTR_HKDF_INFO:
      case TEE_ATTR_CONCAT_KDF_OTHER_INFO:
        k.info = a.content.ref.buffer;
        k.info_len = a.content.ref.length;
        break;
      case TEE_ATTR_HKDF_OKM_LENGTH:
      case TEE_ATTR_CONCAT_KDF_DKM_LENGTH:
      case TEE_ATTR_PBKDF2_DKM_LENGTH:
        k.out_len = a.content.value.a;
        k.have_out_len = true;
        break;
      case TEE_ATTR_PBKDF2_ITERATION_COUNT:
        k.iterations = a.content.value.a;
        k.have_iterations = true;
        break;
      case TEE_ATTR_HKDF_HASH_ALGORITHM:
        if (op.alg->id != TEE_ALG_HKDF) crypto_panic(func, "attribute not defined for this derivation");
        k.md = digest_name(a.content.value.a, func);
        break;
      case TEE_ATTR_KDF_KEY_SIZE:
        if (op.alg->id != TEE_ALG_HKDF) crypto_panic(func, "attribute not defined for this derivation");
        k.out_len = a.content.value.a;
        k.have_out_len = true;
        break;
      default:
        crypto_panic(func, "attribute not defined for this derivation");
    }
  }
  return k;
}

bool run_kdf(const Operation& op, const KdfParams& k, uint8_t* out) noexcept {
  const Engine e = op.alg->engine;
  const char* kdf_name = e == Engine::kHkdf ? "HKDF" : (e == Engine::kPbkdf2 ? "PBKDF2" : "SSKDF");
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(fetch_kdf(kdf_name));
  if (ctx == nullptr) return false;
  OSSL_PARAM p[8];
  size_t n = 0;
  int pkcs5 = 1;  // no SP 800-132 lower bounds: GP/RFC 6070 allow small inputs
  uint64_t iter = k.iterations;
  uint8_t empty = 0;
  const char* md = k.md != nullptr ? k.md : op.alg->md;
  p[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(md), 0);
  auto* key = const_cast<uint8_t*>(op.key1.data());
  if (e == Engine::kPbkdf2) {
    p[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, key, op.key1.size());
    p[n++] = OSSL_PARAM_construct_octet_string(
        OSSL_KDF_PARAM_SALT, k.salt_len != 0 ? const_cast<void*>(k.salt) : &empty, k.salt_len);
    p[n++] = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_ITER, &iter);
    p[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_PKCS5, &pkcs5);
  } else {
    p[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, key, op.key1.size());
    if (k.salt_len != 0 && e == Engine::kHkdf)
      p[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<void*>(k.salt), k.salt_len);
    if (k.info_len != 0)
      p[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<void*>(k.info), k.info_len);
  }
  p[n] = OSSL_PARAM_construct_end();
  const bool ok = EVP_KDF_derive(ctx, out, k.out_len, p) == 1;
  EVP_KDF_CTX_free(ctx);
  return ok;
}

// Key agreement: GP gives TEE_DeriveKey no result, so a rejected peer key
// (off the curve, out of range, low order) panics, as in OP-TEE.
template <typename AttrT>
void derive_shared(Operation& op, const AttrT* params, uint32_t count, Object& dst,
                   const char* func) noexcept {
  if (count != 0 && params == nullptr) crypto_panic(func, "params is NULL");
  std::vector<Attr> ps;
  for (uint32_t i = 0; i < count; ++i) {
    Attr at;
    at.id = params[i].attributeID;
    if (attr_is_value(at.id)) {
      at.a = params[i].content.value.a;
      at.b = params[i].content.value.b;
    } else {
      const size_t len = params[i].content.ref.length;
      if (len != 0 && params[i].content.ref.buffer == nullptr) crypto_panic(func, "NULL attribute buffer");
      if (!at.ref.assign(params[i].content.ref.buffer, len))
        crypto_panic(func, "out of memory", TEE_ERROR_OUT_OF_MEMORY);
    }
    ps.push_back(std::move(at));
  }
  const TEE_Result r = asym_derive(op, ps, dst);
  if (r != TEE_SUCCESS) crypto_panic(func, "shared secret derivation failed", r);
}

template <typename AttrT>
void derive(TEE_OperationHandle operation, const AttrT* params, uint32_t count, TEE_ObjectHandle derived,
            const char* func) noexcept {
  Operation& op = op_of_class(operation, TEE_OPERATION_KEY_DERIVATION, func);
  if ((op.handle_state & TEE_HANDLE_FLAG_KEY_SET) == 0) crypto_panic(func, "no key set");
  Object* dst = object_or_panic(derived, func);
  if ((dst->handle_flags & TEE_HANDLE_FLAG_PERSISTENT) != 0 || dst->initialized())
    crypto_panic(func, "derived key must be an uninitialized transient object");
  if (dst->type->type != TEE_TYPE_GENERIC_SECRET) crypto_panic(func, "derived key must be a GENERIC_SECRET");
  if (op.alg->engine == Engine::kAsym) {
    derive_shared(op, params, count, *dst, func);
    return;
  }
  const KdfParams k = collect(op, params, count, func);
  if (!k.have_out_len || k.out_len == 0) crypto_panic(func, "output length missing");
  if (static_cast<uint64_t>(k.out_len) * 8 > dst->max_size)
    crypto_panic(func, "output larger than the object");
  if (op.alg->engine == Engine::kPbkdf2 &&
      (!k.have_iterations || k.iterations == 0 || k.iterations > kMaxPbkdf2Iterations))
    crypto_panic(func, "bad PBKDF2 iteration count");
  Attr at;
  at.id = TEE_ATTR_SECRET_VALUE;
  if (!at.ref.resize(k.out_len)) crypto_panic(func, "out of memory", TEE_ERROR_OUT_OF_MEMORY);
  // HKDF caps the output at 255 hash blocks; OpenSSL enforces it.
  if (!run_kdf(op, k, at.ref.data())) crypto_panic(func, "key derivation failed", TEE_ERROR_BAD_PARAMETERS);
  dst->attrs.clear();
  dst->attrs.push_back(std::move(at));
  dst->key_size = k.out_len * 8;
  dst->handle_flags |= TEE_HANDLE_FLAG_INITIALIZED;
}

}  // namespace

extern "C" {

void TEE_DeriveKey(TEE_OperationHandle operation, const TEE_Attribute* params, uint32_t paramCount,
                   TEE_ObjectHandle derivedKey) {
  derive(operation, params, paramCount, derivedKey, __func__);
}

void __GP11_TEE_DeriveKey(TEE_OperationHandle operation, const __GP11_TEE_Attribute* params,
                          uint32_t paramCount, TEE_ObjectHandle derivedKey) {
  derive(operation, params, paramCount, derivedKey, __func__);
}

}  // extern "C"
