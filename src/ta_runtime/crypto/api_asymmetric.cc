// GP TEE Internal Core API, asymmetric operations (GP 1.3.1 §6.8):
// RSA (PKCS#1 v1.5, PSS, OAEP, raw), DSA, ECDSA, Ed25519, SM2 signatures and
// SM2 encryption on the EVP_PKEY built at TEE_SetOperationKey. GP's
// fixed-width r || s and C1 || C3 || C2 formats are converted to and from
// OpenSSL's DER here. Every exported function is noexcept.
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "ta_runtime/crypto/crypto_panic.h"
#include "ta_runtime/crypto/der.h"
#include "ta_runtime/crypto/evp_cache.h"
#include "ta_runtime/crypto/operation.h"
#include "ta_runtime/crypto/ossl_ptr.h"
#include "tee_internal_api.h"

using namespace swtee::ta::crypto;

namespace {

constexpr size_t kSm2Coord = 32;
constexpr size_t kSm2Hash = 32;  // SM3
// Largest DER signature OpenSSL produces for the keys here (P-521, DSA-3072).
constexpr size_t kMaxDerSig = 160;

// One caller attribute, as seen by these functions (no copy of buffers).
struct Param {
  uint32_t id = 0;
  uint32_t a = 0;
  const uint8_t* buf = nullptr;
  size_t len = 0;
};

struct Params {
  std::vector<Param> list;
  [[nodiscard]] const Param* find(uint32_t id) const noexcept {
    for (const auto& p : list) {
      if (p.id == id) return &p;
    }
    return nullptr;
  }
};

template <typename AttrT>
Params view(const AttrT* params, uint32_t count, const char* func) noexcept {
  if (count != 0 && params == nullptr) crypto_panic(func, "params is NULL");
  Params out;
  out.list.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    Param p;
    p.id = params[i].attributeID;
    if (attr_is_value(p.id)) {
      p.a = params[i].content.value.a;
    } else {
      p.buf = static_cast<const uint8_t*>(params[i].content.ref.buffer);
      p.len = params[i].content.ref.length;
      if (p.len != 0 && p.buf == nullptr) crypto_panic(func, "NULL attribute buffer");
    }
    out.list.push_back(p);
  }
  return out;
}

// Every parameter must be one the algorithm defines.
bool params_allowed(const Params& ps, std::initializer_list<uint32_t> ids) noexcept {
  for (const auto& p : ps.list) {
    bool known = false;
    for (uint32_t id : ids) known = known || p.id == id;
    if (!known) return false;
  }
  return true;
}

TEE_Result fail(TEE_Result r) noexcept {
  ERR_clear_error();  // OpenSSL's queue must not grow with rejected input
  return r;
}

Operation& keyed_op(TEE_OperationHandle h, uint32_t cls, uint32_t mode, const char* func) noexcept {
  Operation& op = op_of_class(h, cls, func);
  if (op.mode != mode) crypto_panic(func, "operation mode does not allow this call");
  if ((op.handle_state & TEE_HANDLE_FLAG_KEY_SET) == 0) crypto_panic(func, "no key set");
  return op;
}

size_t md_size(const Operation& op) noexcept {
  const EVP_MD* md = op.alg->md != nullptr ? fetch_md(op.alg->md) : nullptr;
  return md != nullptr ? static_cast<size_t>(EVP_MD_get_size(md)) : 0;
}

// Half the width of a GP r || s signature: |q| for DSA, |n| for (EC/SM2)DSA.
size_t sig_half(const Operation& op) noexcept {
  if (op.alg->scheme == Scheme::kDsa) {
    BIGNUM* q = nullptr;
    if (EVP_PKEY_get_bn_param(op.pkey, OSSL_PKEY_PARAM_FFC_Q, &q) != 1) return 0;
    const size_t n = static_cast<size_t>(BN_num_bytes(q));
    BN_free(q);
    return n;
  }
  return (static_cast<size_t>(EVP_PKEY_get_bits(op.pkey)) + 7) / 8;
}

bool uses_rs(Scheme s) noexcept { return s == Scheme::kDsa || s == Scheme::kEcdsa || s == Scheme::kSm2Dsa; }

// The digest length each scheme accepts, as OP-TEE's core checks it:
// RSASSA with a hash: exactly the hash size (crypto_acipher_rsassa_sign /
// syscall_asymm_verify: BAD_PARAMETERS); DSA signing: the hash size capped at
// |q| (crypto_acipher_dsa_sign: SECURITY); DSA verifying: the hash size or
// |q| (syscall_asymm_verify: BAD_PARAMETERS); ECDSA: any length (the ECC code
// truncates to the order, as OpenSSL does); EdDSA signs the message; the
// bare RSASSA-PKCS1-v1_5 signs whatever DigestInfo the caller built.
TEE_Result check_digest_len(const Operation& op, size_t len, bool sign) noexcept {
  const size_t hash = md_size(op);
  switch (op.alg->scheme) {
    case Scheme::kEcdsa:
      return TEE_SUCCESS;
    case Scheme::kDsa: {
      const size_t q = sig_half(op);
      if (sign) return len == std::min(hash, q) ? TEE_SUCCESS : TEE_ERROR_SECURITY;
      return len == hash || len == q ? TEE_SUCCESS : TEE_ERROR_BAD_PARAMETERS;
    }
    default:
      return hash == 0 || len == hash ? TEE_SUCCESS : TEE_ERROR_BAD_PARAMETERS;
  }
}

// ECDSA takes an empty digest (a zero "hash"); OpenSSL gets a real pointer.
const uint8_t* digest_bytes(const void* digest) noexcept {
  static constexpr uint8_t kNone = 0;
  return digest != nullptr ? static_cast<const uint8_t*>(digest) : &kNone;
}

// libutee's TEE_AsymmetricSignDigest lets only SUCCESS and SHORT_BUFFER
// through, its VerifyDigest only SUCCESS and SIGNATURE_INVALID; anything
// else the core answers panics the TA. NOT_SUPPORTED stays a return value
// here (Ed25519ctx/ph, which this OpenSSL cannot do; see README).
TEE_Result sign_result(TEE_Result r, const char* func) noexcept {
  if (r == TEE_SUCCESS || r == TEE_ERROR_SHORT_BUFFER || r == TEE_ERROR_NOT_SUPPORTED) return r;
  crypto_panic(func, "signing refused the digest, parameters or key", r);
}

TEE_Result verify_result(TEE_Result r, const char* func) noexcept {
  if (r == TEE_SUCCESS || r == TEE_ERROR_SIGNATURE_INVALID || r == TEE_ERROR_NOT_SUPPORTED) return r;
  crypto_panic(func, "verification refused the digest, signature length or parameters", r);
}

TEE_Result eddsa_params(const Params& ps) noexcept {
  if (!params_allowed(ps, {TEE_ATTR_EDDSA_CTX, TEE_ATTR_EDDSA_PREHASH})) return TEE_ERROR_BAD_PARAMETERS;
  const Param* ctx = ps.find(TEE_ATTR_EDDSA_CTX);
  const Param* ph = ps.find(TEE_ATTR_EDDSA_PREHASH);
  if (ctx != nullptr && ctx->len > 255) return TEE_ERROR_BAD_PARAMETERS;
  // Ed25519ctx / Ed25519ph need OSSL_SIGNATURE_PARAM_INSTANCE (OpenSSL 3.2);
  // this OpenSSL 3.0 would silently sign pure Ed25519 instead.
  if ((ctx != nullptr && ctx->len != 0) || (ph != nullptr && ph->a != 0)) return TEE_ERROR_NOT_SUPPORTED;
  return TEE_SUCCESS;
}

TEE_Result set_pss_salt(Operation& op, const Params& ps) noexcept {
  if (!params_allowed(ps, {TEE_ATTR_RSA_PSS_SALT_LENGTH})) return TEE_ERROR_BAD_PARAMETERS;
  const Param* salt = ps.find(TEE_ATTR_RSA_PSS_SALT_LENGTH);
  const size_t len = salt != nullptr ? salt->a : md_size(op);
  if (len > static_cast<size_t>(EVP_PKEY_get_size(op.pkey))) return TEE_ERROR_BAD_PARAMETERS;
  return EVP_PKEY_CTX_set_rsa_pss_saltlen(op.pctx, static_cast<int>(len)) == 1 ? TEE_SUCCESS
                                                                               : TEE_ERROR_BAD_PARAMETERS;
}

TEE_Result check_sig_params(Operation& op, const Params& ps) noexcept {
  switch (op.alg->scheme) {
    case Scheme::kRsaPss:
      return set_pss_salt(op, ps);
    case Scheme::kEd25519:
      return eddsa_params(ps);
    case Scheme::kRsaPkcs1Sign:
      // OP-TEE accepts (and ignores) a PSS salt length here; so do we.
      return params_allowed(ps, {TEE_ATTR_RSA_PSS_SALT_LENGTH}) ? TEE_SUCCESS : TEE_ERROR_BAD_PARAMETERS;
    case Scheme::kDsa:
    case Scheme::kEcdsa:
    case Scheme::kSm2Dsa:
      return params_allowed(ps, {}) ? TEE_SUCCESS : TEE_ERROR_BAD_PARAMETERS;
    case Scheme::kNone:
    case Scheme::kRsaPkcs1Enc:
    case Scheme::kRsaOaep:
    case Scheme::kRsaNopad:
    case Scheme::kSm2Pke:
    case Scheme::kEcdh:
    case Scheme::kDh:
    case Scheme::kX25519:
    case Scheme::kX448:
      return TEE_ERROR_BAD_PARAMETERS;
  }
  return TEE_ERROR_BAD_PARAMETERS;
}

size_t signature_size(const Operation& op) noexcept {
  if (op.alg->scheme == Scheme::kEd25519) return 64;
  if (uses_rs(op.alg->scheme)) return 2 * sig_half(op);
  return static_cast<size_t>(EVP_PKEY_get_size(op.pkey));
}

template <typename AttrT, typename SizeT>
TEE_Result try_sign(TEE_OperationHandle h, const AttrT* params, uint32_t count, const void* digest,
                    size_t digest_len, void* signature, SizeT* signature_len, const char* func) noexcept {
  Operation& op = keyed_op(h, TEE_OPERATION_ASYMMETRIC_SIGNATURE, TEE_MODE_SIGN, func);
  check_buffer(digest, digest_len, func);
  if (signature_len == nullptr) crypto_panic(func, "signatureLen is NULL");
  const Params ps = view(params, count, func);
  TEE_Result r = check_sig_params(op, ps);
  if (r != TEE_SUCCESS) return fail(r);
  r = check_digest_len(op, digest_len, true);
  if (r != TEE_SUCCESS) return r;
  const size_t need = signature_size(op);
  if (need == 0) crypto_panic(func, "key without a signature size", TEE_ERROR_GENERIC);
  if (*signature_len < need) {
    *signature_len = static_cast<SizeT>(need);
    return TEE_ERROR_SHORT_BUFFER;
  }
  check_buffer(signature, need, func);
  auto* out = static_cast<uint8_t*>(signature);
  const uint8_t* in = digest_bytes(digest);
  size_t len = need;
  if (op.alg->scheme == Scheme::kEd25519) {
    if (EVP_DigestSignInit_ex(op.md_ctx, nullptr, nullptr, nullptr, nullptr, op.pkey, nullptr) != 1 ||
        EVP_DigestSign(op.md_ctx, out, &len, in, digest_len) != 1)
      return fail(TEE_ERROR_GENERIC);
  } else if (uses_rs(op.alg->scheme)) {
    uint8_t der[kMaxDerSig];
    size_t der_len = sizeof(der);
    if (EVP_PKEY_sign(op.pctx, der, &der_len, in, digest_len) != 1) return fail(TEE_ERROR_BAD_PARAMETERS);
    if (!der_sig_to_raw({der, der_len}, need / 2, out)) return fail(TEE_ERROR_GENERIC);
  } else if (EVP_PKEY_sign(op.pctx, out, &len, in, digest_len) != 1) {
    return fail(TEE_ERROR_BAD_PARAMETERS);  // e.g. a salt or DigestInfo too long for the modulus
  }
  *signature_len = static_cast<SizeT>(len);
  return TEE_SUCCESS;
}

template <typename AttrT>
TEE_Result try_verify(TEE_OperationHandle h, const AttrT* params, uint32_t count, const void* digest,
                      size_t digest_len, const void* signature, size_t signature_len,
                      const char* func) noexcept {
  Operation& op = keyed_op(h, TEE_OPERATION_ASYMMETRIC_SIGNATURE, TEE_MODE_VERIFY, func);
  check_buffer(digest, digest_len, func);
  check_buffer(signature, signature_len, func);
  const Params ps = view(params, count, func);
  TEE_Result r = check_sig_params(op, ps);
  if (r != TEE_SUCCESS) return fail(r);
  r = check_digest_len(op, digest_len, false);
  if (r != TEE_SUCCESS) return r;
  const uint8_t* in = digest_bytes(digest);
  const auto* sig = static_cast<const uint8_t*>(signature);
  // OP-TEE's ECC verify refuses an r || s of another width (BAD_PARAMETERS).
  if (op.alg->scheme == Scheme::kEcdsa && signature_len != 2 * sig_half(op)) return TEE_ERROR_BAD_PARAMETERS;
  int ok = 0;
  if (op.alg->scheme == Scheme::kEd25519) {
    ok = EVP_DigestVerifyInit_ex(op.md_ctx, nullptr, nullptr, nullptr, nullptr, op.pkey, nullptr) == 1 &&
         EVP_DigestVerify(op.md_ctx, sig, signature_len, in, digest_len) == 1;
  } else if (uses_rs(op.alg->scheme)) {
    std::vector<uint8_t> der;
    ok = signature_len == 2 * sig_half(op) && raw_sig_to_der({sig, signature_len}, &der) &&
         EVP_PKEY_verify(op.pctx, der.data(), der.size(), in, digest_len) == 1;
  } else {
    ok = EVP_PKEY_verify(op.pctx, sig, signature_len, in, digest_len) == 1;
  }
  return ok ? TEE_SUCCESS : fail(TEE_ERROR_SIGNATURE_INVALID);
}

template <typename AttrT, typename SizeT>
TEE_Result sign_digest(TEE_OperationHandle h, const AttrT* params, uint32_t count, const void* digest,
                       size_t digest_len, void* signature, SizeT* signature_len, const char* func) noexcept {
  return sign_result(try_sign(h, params, count, digest, digest_len, signature, signature_len, func), func);
}

template <typename AttrT>
TEE_Result verify_digest(TEE_OperationHandle h, const AttrT* params, uint32_t count, const void* digest,
                         size_t digest_len, const void* signature, size_t signature_len,
                         const char* func) noexcept {
  return verify_result(try_verify(h, params, count, digest, digest_len, signature, signature_len, func),
                       func);
}

// OAEP per-call parameters: the label, and OP-TEE's MGF1 hash override (a
// 4-byte buffer holding a TEE_ALG_* digest id).
TEE_Result set_oaep(Operation& op, const Params& ps) noexcept {
  if (!params_allowed(ps, {TEE_ATTR_RSA_OAEP_LABEL, TEE_ATTR_RSA_OAEP_MGF_HASH}))
    return TEE_ERROR_BAD_PARAMETERS;
  const EVP_MD* mgf = fetch_md(op.alg->md);
  if (const Param* m = ps.find(TEE_ATTR_RSA_OAEP_MGF_HASH)) {
    uint32_t id = 0;
    if (m->len != sizeof(id)) return TEE_ERROR_BAD_PARAMETERS;
    std::memcpy(&id, m->buf, sizeof(id));
    const AlgInfo* d = find_alg(id);
    if (d == nullptr || d->engine != Engine::kDigest) return TEE_ERROR_BAD_PARAMETERS;
    mgf = fetch_md(d->md);
  }
  if (mgf == nullptr || EVP_PKEY_CTX_set_rsa_mgf1_md(op.pctx, mgf) != 1) return TEE_ERROR_BAD_PARAMETERS;
  const Param* label = ps.find(TEE_ATTR_RSA_OAEP_LABEL);
  void* copy = nullptr;
  size_t len = 0;
  if (label != nullptr && label->len != 0) {
    copy = OPENSSL_memdup(label->buf, label->len);
    if (copy == nullptr) return TEE_ERROR_OUT_OF_MEMORY;
    len = label->len;
  }
  if (EVP_PKEY_CTX_set0_rsa_oaep_label(op.pctx, copy, static_cast<int>(len)) != 1) {
    OPENSSL_free(copy);
    return TEE_ERROR_BAD_PARAMETERS;
  }
  return TEE_SUCCESS;
}

// Raw RSA: GP passes numbers of up to the modulus size; OpenSSL wants exactly
// that size. The result loses its leading zeros (one kept for zero), as OP-TEE.
TEE_Result rsa_nopad(Operation& op, bool enc, const uint8_t* in, size_t in_len, SecureBytes* out) noexcept {
  const size_t k = static_cast<size_t>(EVP_PKEY_get_size(op.pkey));
  if (in_len > k) return TEE_ERROR_BAD_PARAMETERS;
  SecureBytes padded;
  if (!padded.resize(k) || !out->resize(k)) return TEE_ERROR_OUT_OF_MEMORY;
  if (in_len != 0) std::memcpy(padded.data() + (k - in_len), in, in_len);
  size_t n = k;
  const int r = enc ? EVP_PKEY_encrypt(op.pctx, out->data(), &n, padded.data(), k)
                    : EVP_PKEY_decrypt(op.pctx, out->data(), &n, padded.data(), k);
  if (r != 1 || n != k) return fail(TEE_ERROR_BAD_PARAMETERS);  // input >= modulus
  size_t lead = 0;
  while (lead + 1 < k && out->data()[lead] == 0) ++lead;
  std::memmove(out->data(), out->data() + lead, k - lead);
  return out->resize(k - lead) ? TEE_SUCCESS : TEE_ERROR_OUT_OF_MEMORY;
}

TEE_Result run_cipher(Operation& op, bool enc, const Params& ps, const uint8_t* in, size_t in_len,
                      SecureBytes* out) noexcept {
  const Scheme s = op.alg->scheme;
  if (s == Scheme::kRsaOaep) {
    const TEE_Result r = set_oaep(op, ps);
    if (r != TEE_SUCCESS) return fail(r);
  } else if (!params_allowed(ps, {})) {
    return TEE_ERROR_BAD_PARAMETERS;
  }
  if (s == Scheme::kRsaNopad) return rsa_nopad(op, enc, in, in_len, out);
  if (s == Scheme::kSm2Pke) {
    std::vector<uint8_t> der;
    if (!enc && !sm2_raw_to_der({in, in_len}, kSm2Coord, kSm2Hash, &der)) return TEE_ERROR_BAD_PARAMETERS;
    const uint8_t* src = enc ? in : der.data();
    const size_t src_len = enc ? in_len : der.size();
    size_t n = 0;
    const int sized = enc ? EVP_PKEY_encrypt(op.pctx, nullptr, &n, src, src_len)
                          : EVP_PKEY_decrypt(op.pctx, nullptr, &n, src, src_len);
    SecureBytes tmp;
    if (sized != 1) return fail(TEE_ERROR_BAD_PARAMETERS);
    if (!tmp.resize(n)) return TEE_ERROR_OUT_OF_MEMORY;
    const int r = enc ? EVP_PKEY_encrypt(op.pctx, tmp.data(), &n, src, src_len)
                      : EVP_PKEY_decrypt(op.pctx, tmp.data(), &n, src, src_len);
    // A ciphertext whose C3 does not match: CIPHERTEXT_INVALID, as OP-TEE.
    if (r != 1) return fail(enc ? TEE_ERROR_BAD_PARAMETERS : TEE_ERROR_CIPHERTEXT_INVALID);
    if (!enc) return out->assign(tmp.data(), n) ? TEE_SUCCESS : TEE_ERROR_OUT_OF_MEMORY;
    std::vector<uint8_t> raw;
    if (!sm2_der_to_raw({tmp.data(), n}, kSm2Coord, kSm2Hash, &raw)) return fail(TEE_ERROR_GENERIC);
    return out->assign(raw.data(), raw.size()) ? TEE_SUCCESS : TEE_ERROR_OUT_OF_MEMORY;
  }
  // RSAES-PKCS1-v1_5 / OAEP.
  const size_t k = static_cast<size_t>(EVP_PKEY_get_size(op.pkey));
  if (!out->resize(k)) return TEE_ERROR_OUT_OF_MEMORY;
  size_t n = k;
  const int r = enc ? EVP_PKEY_encrypt(op.pctx, out->data(), &n, in, in_len)
                    : EVP_PKEY_decrypt(op.pctx, out->data(), &n, in, in_len);
  // Decrypt: a padding failure is BAD_PARAMETERS (OP-TEE), never detail.
  if (r != 1) return fail(TEE_ERROR_BAD_PARAMETERS);
  return out->resize(n) ? TEE_SUCCESS : TEE_ERROR_OUT_OF_MEMORY;
}

// Output size an encryption needs (known before running it).
size_t encrypt_size(const Operation& op, size_t in_len) noexcept {
  if (op.alg->scheme == Scheme::kSm2Pke) return 1 + 2 * kSm2Coord + kSm2Hash + in_len;
  return static_cast<size_t>(EVP_PKEY_get_size(op.pkey));
}

template <typename AttrT, typename SizeT>
TEE_Result asym_cipher(TEE_OperationHandle h, bool enc, const AttrT* params, uint32_t count, const void* src,
                       size_t src_len, void* dst, SizeT* dst_len, const char* func) noexcept {
  Operation& op =
      keyed_op(h, TEE_OPERATION_ASYMMETRIC_CIPHER, enc ? TEE_MODE_ENCRYPT : TEE_MODE_DECRYPT, func);
  check_buffer(src, src_len, func);
  if (dst_len == nullptr) crypto_panic(func, "destLen is NULL");
  const Params ps = view(params, count, func);
  // Encryption output size is known up front: refuse early, nothing spent.
  if (enc && op.alg->scheme != Scheme::kRsaNopad && *dst_len < encrypt_size(op, src_len)) {
    *dst_len = static_cast<SizeT>(encrypt_size(op, src_len));
    return TEE_ERROR_SHORT_BUFFER;
  }
  SecureBytes out;
  const TEE_Result r = run_cipher(op, enc, ps, static_cast<const uint8_t*>(src), src_len, &out);
  if (r != TEE_SUCCESS) return r;
  if (*dst_len < out.size()) {
    *dst_len = static_cast<SizeT>(out.size());
    return TEE_ERROR_SHORT_BUFFER;
  }
  check_buffer(dst, out.size(), func);
  if (!out.empty()) std::memcpy(dst, out.data(), out.size());
  *dst_len = static_cast<SizeT>(out.size());
  return TEE_SUCCESS;
}

}  // namespace

extern "C" {

TEE_Result TEE_AsymmetricEncrypt(TEE_OperationHandle operation, const TEE_Attribute* params,
                                 uint32_t paramCount, const void* srcData, size_t srcLen, void* destData,
                                 size_t* destLen) {
  return asym_cipher(operation, true, params, paramCount, srcData, srcLen, destData, destLen, __func__);
}

TEE_Result TEE_AsymmetricDecrypt(TEE_OperationHandle operation, const TEE_Attribute* params,
                                 uint32_t paramCount, const void* srcData, size_t srcLen, void* destData,
                                 size_t* destLen) {
  return asym_cipher(operation, false, params, paramCount, srcData, srcLen, destData, destLen, __func__);
}

TEE_Result TEE_AsymmetricSignDigest(TEE_OperationHandle operation, const TEE_Attribute* params,
                                    uint32_t paramCount, const void* digest, size_t digestLen,
                                    void* signature, size_t* signatureLen) {
  return sign_digest(operation, params, paramCount, digest, digestLen, signature, signatureLen, __func__);
}

TEE_Result TEE_AsymmetricVerifyDigest(TEE_OperationHandle operation, const TEE_Attribute* params,
                                      uint32_t paramCount, const void* digest, size_t digestLen,
                                      const void* signature, size_t signatureLen) {
  return verify_digest(operation, params, paramCount, digest, digestLen, signature, signatureLen, __func__);
}

TEE_Result __GP11_TEE_AsymmetricEncrypt(TEE_OperationHandle operation, const __GP11_TEE_Attribute* params,
                                        uint32_t paramCount, const void* srcData, uint32_t srcLen,
                                        void* destData, uint32_t* destLen) {
  return asym_cipher(operation, true, params, paramCount, srcData, srcLen, destData, destLen, __func__);
}

TEE_Result __GP11_TEE_AsymmetricDecrypt(TEE_OperationHandle operation, const __GP11_TEE_Attribute* params,
                                        uint32_t paramCount, const void* srcData, uint32_t srcLen,
                                        void* destData, uint32_t* destLen) {
  return asym_cipher(operation, false, params, paramCount, srcData, srcLen, destData, destLen, __func__);
}

TEE_Result __GP11_TEE_AsymmetricSignDigest(TEE_OperationHandle operation, const __GP11_TEE_Attribute* params,
                                           uint32_t paramCount, const void* digest, uint32_t digestLen,
                                           void* signature, uint32_t* signatureLen) {
  return sign_digest(operation, params, paramCount, digest, digestLen, signature, signatureLen, __func__);
}

TEE_Result __GP11_TEE_AsymmetricVerifyDigest(TEE_OperationHandle operation,
                                             const __GP11_TEE_Attribute* params, uint32_t paramCount,
                                             const void* digest, uint32_t digestLen, const void* signature,
                                             uint32_t signatureLen) {
  return verify_digest(operation, params, paramCount, digest, digestLen, signature, signatureLen, __func__);
}

}  // extern "C"
