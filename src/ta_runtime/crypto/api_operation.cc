// GP TEE Internal Core API, generic operation functions (GP 1.3.1 §6.2).
#include <cstring>

#include "ta_runtime/crypto/asym_key.h"
#include "ta_runtime/crypto/asym_op.h"
#include "ta_runtime/crypto/crypto_panic.h"
#include "ta_runtime/crypto/engine_setup.h"
#include "ta_runtime/crypto/evp_cache.h"
#include "ta_runtime/crypto/object.h"
#include "ta_runtime/crypto/operation.h"
#include "tee_internal_api.h"

using namespace swtee::ta::crypto;

namespace {

bool mode_valid(const AlgInfo& a, uint32_t mode) noexcept {
  switch (a.op_class) {
    case TEE_OPERATION_DIGEST:
      return mode == TEE_MODE_DIGEST;
    case TEE_OPERATION_MAC:
      return mode == TEE_MODE_MAC;
    case TEE_OPERATION_CIPHER:
    case TEE_OPERATION_AE:
      return mode == TEE_MODE_ENCRYPT || mode == TEE_MODE_DECRYPT;
    case TEE_OPERATION_KEY_DERIVATION:
      return mode == TEE_MODE_DERIVE;
    case TEE_OPERATION_ASYMMETRIC_SIGNATURE:
      return mode == TEE_MODE_SIGN || mode == TEE_MODE_VERIFY;
    case TEE_OPERATION_ASYMMETRIC_CIPHER:
      return mode == TEE_MODE_ENCRYPT || mode == TEE_MODE_DECRYPT;
    default:
      return false;
  }
}

uint32_t usage_for(uint32_t mode) noexcept {
  switch (mode) {
    case TEE_MODE_ENCRYPT:
      return TEE_USAGE_ENCRYPT;
    case TEE_MODE_DECRYPT:
      return TEE_USAGE_DECRYPT;
    case TEE_MODE_MAC:
      return TEE_USAGE_MAC;
    case TEE_MODE_SIGN:
      return TEE_USAGE_SIGN;
    case TEE_MODE_VERIFY:
      return TEE_USAGE_VERIFY;
    case TEE_MODE_DERIVE:
      return TEE_USAGE_DERIVE;
    default:
      return 0;
  }
}

// Validates `key` for `op` (panicking as GP requires) and returns its secret.
const SecureBytes& checked_key(const Operation& op, TEE_ObjectHandle key, const char* func) noexcept {
  const Object* k = object_or_panic(key, func);
  if (!k->initialized()) crypto_panic(func, "key object not initialized");
  if (k->type->type != op.alg->key_type) crypto_panic(func, "key type does not match the algorithm");
  if (k->key_size > op.max_key_size) crypto_panic(func, "key larger than the operation's maxKeySize");
  if ((k->usage & op.required_usage) != op.required_usage)
    crypto_panic(func, "key usage does not allow the operation");
  const SecureBytes* s = k->secret();
  if (s == nullptr) crypto_panic(func, "key has no secret value");
  return *s;
}

// As checked_key, for an asymmetric algorithm (a public key is enough to
// verify or encrypt).
const Object& checked_asym_key(const Operation& op, TEE_ObjectHandle key, const char* func) noexcept {
  const Object* k = object_or_panic(key, func);
  if (!k->initialized()) crypto_panic(func, "key object not initialized");
  if (!asym_key_fits(op, *k)) crypto_panic(func, "key type or curve does not match the algorithm");
  if (k->key_size > op.max_key_size) crypto_panic(func, "key larger than the operation's maxKeySize");
  if ((k->usage & op.required_usage) != op.required_usage)
    crypto_panic(func, "key usage does not allow the operation");
  return *k;
}

void clear_keys(Operation& op) noexcept {
  asym_clear_key(op);
  op.key1.wipe();
  op.key2.wipe();
  op.key_size = 0;
  op.key2_size = 0;
  op.handle_state &= ~TEE_HANDLE_FLAG_KEY_SET;
}

// TEE_OperationInfo.digestLength as OP-TEE reports it: the hash size for
// the DSA/ECDSA ids its TEE_ALG_GET_DIGEST_SIZE lists, the tag length (bytes)
// of the last successful TEE_AEInit, otherwise the digest/MAC size.
uint32_t info_digest_len(const Operation& op) noexcept {
  switch (op.alg->id) {
    case TEE_ALG_DSA_SHA1:
    case TEE_ALG_DSA_SHA224:
    case TEE_ALG_DSA_SHA256:
    case TEE_ALG_ECDSA_SHA1:
    case TEE_ALG_ECDSA_SHA224:
    case TEE_ALG_ECDSA_SHA256:
    case TEE_ALG_ECDSA_SHA384:
    case TEE_ALG_ECDSA_SHA512: {
      const EVP_MD* md = fetch_md(op.alg->md);
      return md != nullptr ? static_cast<uint32_t>(EVP_MD_get_size(md)) : 0;
    }
    default:
      return op.alg->op_class == TEE_OPERATION_AE ? op.tag_len : op.alg->out_len;
  }
}

// libutee's TEE_GetOperationInfo reports no key size or usage for a two-key
// operation (TEE_GetOperationInfoMultiple has them per key).
void fill_info(const Operation& op, TEE_OperationInfo* info) noexcept {
  info->algorithm = op.alg->id;
  info->operationClass = op.alg->op_class;
  info->mode = op.mode;
  info->digestLength = info_digest_len(op);
  info->maxKeySize = op.max_key_size;
  info->keySize = op.two_keys() ? 0 : op.info_key_size;
  info->requiredKeyUsage = op.two_keys() ? 0 : op.required_usage;
  info->handleState = op.handle_state;
}

// As libutee's TEE_GetOperationInfoMultiple: *operationSize is only read; a
// buffer without room for the header panics, one without room for the keys
// is zeroed and answered SHORT_BUFFER.
template <typename SizeT>
TEE_Result info_multiple(TEE_OperationHandle operation, TEE_OperationInfoMultiple* out, SizeT* size,
                         const char* func) noexcept {
  const Operation* op = operation_or_panic(operation, func);
  if (out == nullptr || size == nullptr) crypto_panic(func, "NULL argument");
  if (*size < sizeof(TEE_OperationInfoMultiple)) crypto_panic(func, "buffer smaller than the header");
  std::memset(out, 0, *size);
  const uint32_t nkeys = !op->keyed() ? 0 : (op->two_keys() ? 2 : 1);
  const size_t need = sizeof(TEE_OperationInfoMultiple) + nkeys * sizeof(TEE_OperationInfoKey);
  if (*size < need) return TEE_ERROR_SHORT_BUFFER;
  out->algorithm = op->alg->id;
  out->operationClass = op->alg->op_class;
  out->mode = op->mode;
  out->digestLength = info_digest_len(*op);
  out->maxKeySize = op->max_key_size;
  out->handleState = op->handle_state;
  out->operationState = op->op_state;
  out->numberOfKeys = nkeys;
  if (nkeys >= 1) out->keyInformation[0] = {op->key_size, op->required_usage};
  if (nkeys == 2) out->keyInformation[1] = {op->key2_size, op->required_usage};
  return TEE_SUCCESS;
}

}  // namespace

extern "C" {

TEE_Result TEE_IsAlgorithmSupported(uint32_t algId, uint32_t element) {
  const AlgInfo* a = find_alg(algId);
  if (a == nullptr || !alg_element_ok(*a, element)) return TEE_ERROR_NOT_SUPPORTED;
  return alg_available(*a) ? TEE_SUCCESS : TEE_ERROR_NOT_SUPPORTED;
}

TEE_Result TEE_AllocateOperation(TEE_OperationHandle* operation, uint32_t algorithm, uint32_t mode,
                                 uint32_t maxKeySize) {
  if (operation == nullptr) SWTEE_CRYPTO_PANIC("operation is NULL");
  *operation = TEE_HANDLE_NULL;
  const AlgInfo* a = find_alg(algorithm);
  if (a == nullptr || !mode_valid(*a, mode) || !alg_available(*a)) return TEE_ERROR_NOT_SUPPORTED;
  if (a->op_class != TEE_OPERATION_DIGEST) {
    maxKeySize = with_des_parity(a->key_type, maxKeySize);
    const ObjectTypeInfo* t = find_object_type(a->key_type);
    if (t == nullptr || !key_size_valid(*t, maxKeySize)) return TEE_ERROR_NOT_SUPPORTED;
    // GP 1.1 curve-bound ids (ECDSA_P256, ...) take keys of that curve only.
    if (a->curve != 0) {
      const CurveInfo* c = find_curve(a->curve);
      if (c == nullptr || c->bits != maxKeySize) return TEE_ERROR_NOT_SUPPORTED;
    }
  }
  Operation* op = new_operation();
  if (op == nullptr) return TEE_ERROR_OUT_OF_MEMORY;
  op->alg = a;
  op->mode = mode;
  op->max_key_size = a->op_class == TEE_OPERATION_DIGEST ? 0 : maxKeySize;
  op->required_usage = usage_for(mode);
  if (a->op_class == TEE_OPERATION_DIGEST) op->handle_state |= TEE_HANDLE_FLAG_INITIALIZED;
  if (op->two_keys()) op->handle_state |= TEE_HANDLE_FLAG_EXPECT_TWO_KEYS;
  if (!engine_alloc(*op)) {
    delete_operation(op);
    return TEE_ERROR_OUT_OF_MEMORY;
  }
  *operation = handle_of(op);
  return TEE_SUCCESS;
}

void TEE_FreeOperation(TEE_OperationHandle operation) {
  if (operation == TEE_HANDLE_NULL) return;
  delete_operation(operation_or_panic(operation, __func__));
}

void TEE_GetOperationInfo(TEE_OperationHandle operation, TEE_OperationInfo* operationInfo) {
  const Operation* op = operation_or_panic(operation, __func__);
  if (operationInfo == nullptr) SWTEE_CRYPTO_PANIC("operationInfo is NULL");
  fill_info(*op, operationInfo);
}

TEE_Result TEE_GetOperationInfoMultiple(TEE_OperationHandle operation, TEE_OperationInfoMultiple* info,
                                        size_t* operationSize) {
  return info_multiple(operation, info, operationSize, __func__);
}

TEE_Result __GP11_TEE_GetOperationInfoMultiple(TEE_OperationHandle operation, TEE_OperationInfoMultiple* info,
                                               uint32_t* operationSize) {
  return info_multiple(operation, info, operationSize, __func__);
}

void TEE_ResetOperation(TEE_OperationHandle operation) {
  Operation* op = operation_or_panic(operation, __func__);
  if (op->keyed() && (op->handle_state & TEE_HANDLE_FLAG_KEY_SET) == 0) SWTEE_CRYPTO_PANIC("no key set");
  reset_operation_state(*op);
}

TEE_Result TEE_SetOperationKey(TEE_OperationHandle operation, TEE_ObjectHandle key) {
  Operation* op = operation_or_panic(operation, __func__);
  if (!op->keyed()) SWTEE_CRYPTO_PANIC("operation takes no key");
  if (op->two_keys()) SWTEE_CRYPTO_PANIC("algorithm needs TEE_SetOperationKey2");
  // libutee's (GP 1.3) TEE_SetOperationKey panics on an initialized operation.
  if ((op->handle_state & TEE_HANDLE_FLAG_INITIALIZED) != 0) SWTEE_CRYPTO_PANIC("operation is initialized");
  reset_operation_state(*op);
  if (key == TEE_HANDLE_NULL) {
    clear_keys(*op);
    return TEE_SUCCESS;
  }
  if (op->alg->engine == Engine::kAsym) {
    const Object& k = checked_asym_key(*op, key, __func__);
    clear_keys(*op);
    const TEE_Result r = asym_set_key(*op, k);
    if (r == TEE_ERROR_OUT_OF_MEMORY) return r;
    if (r != TEE_SUCCESS) SWTEE_CRYPTO_PANIC_CODE("the crypto library refused the key", r);
    op->key_size = k.key_size;
    op->info_key_size = k.key_size;
    op->handle_state |= TEE_HANDLE_FLAG_KEY_SET;
    return TEE_SUCCESS;
  }
  const SecureBytes& secret = checked_key(*op, key, __func__);
  clear_keys(*op);
  if (!op->key1.assign(secret.data(), secret.size())) return TEE_ERROR_OUT_OF_MEMORY;
  op->key_size = lookup_object(key)->key_size;
  if (!engine_apply_key(*op)) {
    clear_keys(*op);
    SWTEE_CRYPTO_PANIC_CODE("the crypto library refused the key", TEE_ERROR_GENERIC);
  }
  op->info_key_size = op->key_size;
  op->handle_state |= TEE_HANDLE_FLAG_KEY_SET;
  return TEE_SUCCESS;
}

TEE_Result TEE_SetOperationKey2(TEE_OperationHandle operation, TEE_ObjectHandle key1, TEE_ObjectHandle key2) {
  Operation* op = operation_or_panic(operation, __func__);
  // GP 1.3 lists TEE_ERROR_SECURITY for one key given twice; libutee checks
  // it before anything else.
  if (key1 != TEE_HANDLE_NULL && key1 == key2) return TEE_ERROR_SECURITY;
  if (!op->two_keys()) SWTEE_CRYPTO_PANIC("algorithm takes one key");
  if (op->op_state != TEE_OPERATION_STATE_INITIAL) SWTEE_CRYPTO_PANIC("operation not in initial state");
  reset_operation_state(*op);
  if (key1 == TEE_HANDLE_NULL && key2 == TEE_HANDLE_NULL) {
    clear_keys(*op);
    return TEE_SUCCESS;
  }
  if (key1 == TEE_HANDLE_NULL || key2 == TEE_HANDLE_NULL) SWTEE_CRYPTO_PANIC("only one key is NULL");
  const SecureBytes& s1 = checked_key(*op, key1, __func__);
  const SecureBytes& s2 = checked_key(*op, key2, __func__);
  const uint32_t bits1 = lookup_object(key1)->key_size;
  const uint32_t bits2 = lookup_object(key2)->key_size;
  if (bits1 != bits2) SWTEE_CRYPTO_PANIC("the two keys differ in size");
  clear_keys(*op);
  if (!op->key1.assign(s1.data(), s1.size()) || !op->key2.assign(s2.data(), s2.size())) {
    clear_keys(*op);
    return TEE_ERROR_OUT_OF_MEMORY;
  }
  op->key_size = bits1;
  op->info_key_size = bits1;
  op->key2_size = bits2;
  if (!engine_apply_key(*op)) {
    clear_keys(*op);
    SWTEE_CRYPTO_PANIC_CODE("the crypto library refused the key", TEE_ERROR_GENERIC);
  }
  op->handle_state |= TEE_HANDLE_FLAG_KEY_SET;
  return TEE_SUCCESS;
}

void TEE_CopyOperation(TEE_OperationHandle dstOperation, TEE_OperationHandle srcOperation) {
  Operation* dst = operation_or_panic(dstOperation, __func__);
  const Operation* src = operation_or_panic(srcOperation, __func__);
  if (dst == src) return;
  if (dst->alg != src->alg || dst->mode != src->mode)
    SWTEE_CRYPTO_PANIC("operations differ in algorithm or mode");
  if (src->key_size > dst->max_key_size) SWTEE_CRYPTO_PANIC("source key larger than destination maxKeySize");
  if (!dst->key1.assign(src->key1.data(), src->key1.size()) ||
      !dst->key2.assign(src->key2.data(), src->key2.size()) ||
      !dst->xof_out.assign(src->xof_out.data(), src->xof_out.size()) ||
      !dst->ccm_nonce.assign(src->ccm_nonce.data(), src->ccm_nonce.size()) ||
      !dst->ccm_aad.assign(src->ccm_aad.data(), src->ccm_aad.size()) ||
      !dst->ccm_data.assign(src->ccm_data.data(), src->ccm_data.size()) || !engine_copy(*dst, *src)) {
    SWTEE_CRYPTO_PANIC_CODE("copy failed", TEE_ERROR_OUT_OF_MEMORY);
  }
  dst->key_size = src->key_size;
  dst->info_key_size = src->info_key_size;
  dst->key2_size = src->key2_size;
  dst->handle_state = src->handle_state;
  dst->op_state = src->op_state;
  dst->pending = src->pending;
  dst->total = src->total;
  std::memcpy(dst->hold, src->hold, sizeof(dst->hold));
  dst->hold_len = src->hold_len;
  std::memcpy(dst->chain, src->chain, sizeof(dst->chain));
  std::memcpy(dst->tweak, src->tweak, sizeof(dst->tweak));
  dst->extract_pos = src->extract_pos;
  dst->tag_len = src->tag_len;
  dst->aad_decl = src->aad_decl;
  dst->payload_decl = src->payload_decl;
  dst->ae_data_started = src->ae_data_started;
  dst->ccm_started = src->ccm_started;
}

}  // extern "C"
