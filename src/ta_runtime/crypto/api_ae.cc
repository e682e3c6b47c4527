// GP TEE Internal Core API, authenticated encryption (GP 1.3.1 §6.6).
// GCM streams through OpenSSL. CCM streams through ccm_stream.h: as on
// OP-TEE, each AEUpdate hands out the whole 16-byte blocks it completes and
// holds the rest; the AAD (bounded by the declared AADLen) is gathered
// until the first payload byte, since CCM's MAC starts with its length.
#include <openssl/core_names.h>
#include <openssl/params.h>

#include <algorithm>
#include <climits>
#include <cstring>

#include "ta_runtime/crypto/ccm_stream.h"
#include "ta_runtime/crypto/crypto_panic.h"
#include "ta_runtime/crypto/evp_cache.h"
#include "ta_runtime/crypto/operation.h"
#include "tee_internal_api.h"

using namespace swtee::ta::crypto;

namespace {

// Upper bound on the AAD CCM gathers per message.
constexpr size_t kMaxCcmAad = size_t{64} << 20;
constexpr size_t kMaxEvpChunk = size_t{1} << 30;

bool gcm_tag_len_ok(uint32_t bits) noexcept {
  return bits == 128 || bits == 120 || bits == 112 || bits == 104 || bits == 96;
}
bool ccm_tag_len_ok(uint32_t bits) noexcept { return bits >= 32 && bits <= 128 && bits % 16 == 0; }

bool is_ccm(const Operation& op) noexcept { return op.alg->engine == Engine::kCcm; }

bool evp_update(EVP_CIPHER_CTX* ctx, const uint8_t* in, size_t len, uint8_t* out, size_t* written) noexcept {
  *written = 0;
  while (len != 0) {
    const size_t n = std::min(len, kMaxEvpChunk);
    int w = 0;
    if (EVP_CipherUpdate(ctx, out == nullptr ? nullptr : out + *written, &w, in, static_cast<int>(n)) != 1)
      return false;
    *written += static_cast<size_t>(w);
    in += n;
    len -= n;
  }
  return true;
}

TEE_Result ae_init(TEE_OperationHandle operation, const void* nonce, size_t nonce_len, uint32_t tag_bits,
                   size_t aad_len, size_t payload_len, const char* func) noexcept {
  Operation& op = op_of_class(operation, TEE_OPERATION_AE, func);
  if ((op.handle_state & TEE_HANDLE_FLAG_KEY_SET) == 0) crypto_panic(func, "no key set");
  // libutee's TEE_AEInit: a NULL nonce, or an operation that has taken
  // payload since its last Init/final (state ACTIVE), panics.
  if (nonce == nullptr) crypto_panic(func, "nonce is NULL");
  if (op.op_state != TEE_OPERATION_STATE_INITIAL) crypto_panic(func, "operation is active; reset it first");
  reset_operation_state(op);
  if (is_ccm(op)) {
    if (!ccm_tag_len_ok(tag_bits)) return TEE_ERROR_NOT_SUPPORTED;
    if (nonce_len < 7 || nonce_len > 13) return TEE_ERROR_BAD_PARAMETERS;
    if (aad_len > kMaxCcmAad) return TEE_ERROR_OUT_OF_MEMORY;
    if (!op.ccm_nonce.assign(nonce, nonce_len) || !op.ccm_aad.reserve(aad_len) || !op.ccm_data.reserve(16)) {
      return TEE_ERROR_OUT_OF_MEMORY;
    }
    if (!ccm_start(op)) return TEE_ERROR_NOT_SUPPORTED;
  } else {
    if (!gcm_tag_len_ok(tag_bits)) return TEE_ERROR_NOT_SUPPORTED;
    if (nonce_len == 0) return TEE_ERROR_BAD_PARAMETERS;
    size_t ivlen = nonce_len;
    OSSL_PARAM params[] = {OSSL_PARAM_construct_size_t(OSSL_CIPHER_PARAM_AEAD_IVLEN, &ivlen),
                           OSSL_PARAM_construct_end()};
    if (EVP_CIPHER_CTX_set_params(op.cctx, params) != 1 ||
        EVP_CipherInit_ex2(op.cctx, nullptr, nullptr, static_cast<const uint8_t*>(nonce), -1, nullptr) != 1) {
      return TEE_ERROR_NOT_SUPPORTED;
    }
  }
  op.tag_len = tag_bits / 8;
  op.aad_decl = aad_len;
  op.payload_decl = payload_len;
  // As on OP-TEE, Init leaves the operation state INITIAL; payload makes it ACTIVE.
  op.handle_state |= TEE_HANDLE_FLAG_INITIALIZED;
  return TEE_SUCCESS;
}

// GP 1.3 TEE_AEUpdateAAD panics once the operation is ACTIVE; the GP 1.1
// one makes it ACTIVE (both as libutee does).
void update_aad(TEE_OperationHandle operation, const void* aad, size_t len, bool gp11,
                const char* func) noexcept {
  Operation& op = active_op(operation, TEE_OPERATION_AE, func);
  check_buffer(aad, len, func);
  if (op.ae_data_started) crypto_panic(func, "AAD after payload data");
  if (!gp11 && op.op_state != TEE_OPERATION_STATE_INITIAL) crypto_panic(func, "operation is active");
  if (gp11) op.op_state = TEE_OPERATION_STATE_ACTIVE;
  if (len == 0) return;
  if (is_ccm(op)) {
    if (op.ccm_aad.size() + len > op.aad_decl) crypto_panic(func, "more AAD than declared in TEE_AEInit");
    if (!op.ccm_aad.append(aad, len)) crypto_panic(func, "out of memory", TEE_ERROR_OUT_OF_MEMORY);
    return;
  }
  size_t w = 0;
  if (!evp_update(op.cctx, static_cast<const uint8_t*>(aad), len, nullptr, &w))
    crypto_panic(func, "AAD update failed", TEE_ERROR_GENERIC);
}

// Payload makes the operation ACTIVE (libutee's TEE_AEUpdate).
void mark_payload(Operation& op, size_t src_len) noexcept {
  if (src_len == 0) return;
  op.ae_data_started = true;
  op.op_state = TEE_OPERATION_STATE_ACTIVE;
}

template <typename SizeT>
TEE_Result ae_update(TEE_OperationHandle operation, const void* src, size_t src_len, void* dst,
                     SizeT* dst_len, const char* func) noexcept {
  Operation& op = active_op(operation, TEE_OPERATION_AE, func);
  check_buffer(src, src_len, func);
  if (dst_len == nullptr) crypto_panic(func, "destLen is NULL");
  if (is_ccm(op)) {
    if (op.total + op.ccm_data.size() + src_len > op.payload_decl) return TEE_ERROR_BAD_PARAMETERS;
    const size_t need = ccm_update_size(op, src_len);
    if (*dst_len < need) {
      *dst_len = static_cast<SizeT>(need);
      return TEE_ERROR_SHORT_BUFFER;
    }
    check_buffer(dst, need, func);
    if (!ccm_update(op, static_cast<const uint8_t*>(src), src_len, static_cast<uint8_t*>(dst)))
      crypto_panic(func, "CCM update failed", TEE_ERROR_GENERIC);
    mark_payload(op, src_len);
    *dst_len = static_cast<SizeT>(need);
    return TEE_SUCCESS;
  }
  if (*dst_len < src_len) {
    *dst_len = static_cast<SizeT>(src_len);
    return TEE_ERROR_SHORT_BUFFER;
  }
  check_buffer(dst, src_len, func);
  size_t w = 0;
  if (!evp_update(op.cctx, static_cast<const uint8_t*>(src), src_len, static_cast<uint8_t*>(dst), &w) ||
      w != src_len) {
    crypto_panic(func, "AE update failed", TEE_ERROR_GENERIC);
  }
  mark_payload(op, src_len);
  *dst_len = static_cast<SizeT>(w);
  return TEE_SUCCESS;
}

// Output size of the final call.
size_t final_size(const Operation& op, size_t src_len) noexcept {
  return is_ccm(op) ? op.ccm_data.size() + src_len : src_len;
}

template <typename SizeT>
TEE_Result encrypt_final(TEE_OperationHandle operation, const void* src, size_t src_len, void* dst,
                         SizeT* dst_len, void* tag, SizeT* tag_len, const char* func) noexcept {
  Operation& op = active_op(operation, TEE_OPERATION_AE, func);
  if (!op.encrypting()) crypto_panic(func, "operation is not in encrypt mode");
  check_buffer(src, src_len, func);
  if (dst_len == nullptr || tag_len == nullptr) crypto_panic(func, "NULL length pointer");
  const size_t need = final_size(op, src_len);
  // As libutee's TEE_AEEncryptFinal: only a length that is too short is updated.
  if (*dst_len < need || *tag_len < op.tag_len) {
    if (*dst_len < need) *dst_len = static_cast<SizeT>(need);
    if (*tag_len < op.tag_len) *tag_len = static_cast<SizeT>(op.tag_len);
    return TEE_ERROR_SHORT_BUFFER;
  }
  check_buffer(dst, need, func);
  check_buffer(tag, op.tag_len, func);
  auto* out = static_cast<uint8_t*>(dst);
  uint8_t t[16];
  if (is_ccm(op)) {
    if (op.total + op.ccm_data.size() + src_len != op.payload_decl || op.ccm_aad.size() != op.aad_decl)
      return TEE_ERROR_BAD_PARAMETERS;
    const size_t blocks = ccm_update_size(op, src_len);
    if (!ccm_update(op, static_cast<const uint8_t*>(src), src_len, out) || !ccm_finish(op, out + blocks, t))
      crypto_panic(func, "CCM encryption failed", TEE_ERROR_GENERIC);
  } else {
    size_t w = 0;
    int fin = 0;
    if (!evp_update(op.cctx, static_cast<const uint8_t*>(src), src_len, out, &w) ||
        EVP_CipherFinal_ex(op.cctx, out + w, &fin) != 1 ||
        EVP_CIPHER_CTX_ctrl(op.cctx, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(op.tag_len), t) != 1) {
      crypto_panic(func, "GCM encryption failed", TEE_ERROR_GENERIC);
    }
  }
  std::memcpy(tag, t, op.tag_len);
  *tag_len = static_cast<SizeT>(op.tag_len);
  *dst_len = static_cast<SizeT>(need);
  mark_finished(op);
  return TEE_SUCCESS;
}

template <typename SizeT>
TEE_Result decrypt_final(TEE_OperationHandle operation, const void* src, size_t src_len, void* dst,
                         SizeT* dst_len, const void* tag, size_t tag_len, const char* func) noexcept {
  Operation& op = active_op(operation, TEE_OPERATION_AE, func);
  if (op.encrypting()) crypto_panic(func, "operation is not in decrypt mode");
  check_buffer(src, src_len, func);
  check_buffer(tag, tag_len, func);
  if (dst_len == nullptr) crypto_panic(func, "destLen is NULL");
  const size_t need = final_size(op, src_len);
  if (*dst_len < need) {
    *dst_len = static_cast<SizeT>(need);
    return TEE_ERROR_SHORT_BUFFER;
  }
  check_buffer(dst, need, func);
  auto* out = static_cast<uint8_t*>(dst);
  if (tag_len != op.tag_len) {
    mark_finished(op);
    return TEE_ERROR_MAC_INVALID;
  }
  uint8_t t[16];
  std::memcpy(t, tag, tag_len);
  TEE_Result r = TEE_SUCCESS;
  if (is_ccm(op)) {
    if (op.total + op.ccm_data.size() + src_len != op.payload_decl || op.ccm_aad.size() != op.aad_decl)
      return TEE_ERROR_BAD_PARAMETERS;
    const size_t blocks = ccm_update_size(op, src_len);
    uint8_t computed[16];
    if (!ccm_update(op, static_cast<const uint8_t*>(src), src_len, out) ||
        !ccm_finish(op, out + blocks, computed))
      crypto_panic(func, "CCM decryption failed", TEE_ERROR_GENERIC);
    if (CRYPTO_memcmp(computed, t, tag_len) != 0) {
      // What the updates handed out cannot be taken back (as on OP-TEE);
      // the final part is wiped.
      OPENSSL_cleanse(out, need);
      r = TEE_ERROR_MAC_INVALID;
    }
  } else {
    size_t w = 0;
    int fin = 0;
    if (!evp_update(op.cctx, static_cast<const uint8_t*>(src), src_len, out, &w) ||
        EVP_CIPHER_CTX_ctrl(op.cctx, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(tag_len), t) != 1) {
      crypto_panic(func, "GCM decryption failed", TEE_ERROR_GENERIC);
    }
    if (EVP_CipherFinal_ex(op.cctx, out + w, &fin) != 1) {
      OPENSSL_cleanse(out, need);
      r = TEE_ERROR_MAC_INVALID;
    }
  }
  // A wrong tag leaves *destLen and the operation as they were (libutee's
  // TEE_AEDecryptFinal returns the core's MAC_INVALID before either update).
  if (r != TEE_SUCCESS) return r;
  *dst_len = static_cast<SizeT>(need);
  mark_finished(op);
  return r;
}

}  // namespace

extern "C" {

TEE_Result TEE_AEInit(TEE_OperationHandle operation, const void* nonce, size_t nonceLen, uint32_t tagLen,
                      size_t AADLen, size_t payloadLen) {
  return ae_init(operation, nonce, nonceLen, tagLen, AADLen, payloadLen, __func__);
}

TEE_Result __GP11_TEE_AEInit(TEE_OperationHandle operation, const void* nonce, uint32_t nonceLen,
                             uint32_t tagLen, uint32_t AADLen, uint32_t payloadLen) {
  return ae_init(operation, nonce, nonceLen, tagLen, AADLen, payloadLen, __func__);
}

void TEE_AEUpdateAAD(TEE_OperationHandle operation, const void* AADdata, size_t AADdataLen) {
  update_aad(operation, AADdata, AADdataLen, false, __func__);
}

void __GP11_TEE_AEUpdateAAD(TEE_OperationHandle operation, const void* AADdata, uint32_t AADdataLen) {
  update_aad(operation, AADdata, AADdataLen, true, __func__);
}

TEE_Result TEE_AEUpdate(TEE_OperationHandle operation, const void* srcData, size_t srcLen, void* destData,
                        size_t* destLen) {
  return ae_update(operation, srcData, srcLen, destData, destLen, __func__);
}

TEE_Result __GP11_TEE_AEUpdate(TEE_OperationHandle operation, const void* srcData, uint32_t srcLen,
                               void* destData, uint32_t* destLen) {
  return ae_update(operation, srcData, srcLen, destData, destLen, __func__);
}

TEE_Result TEE_AEEncryptFinal(TEE_OperationHandle operation, const void* srcData, size_t srcLen,
                              void* destData, size_t* destLen, void* tag, size_t* tagLen) {
  return encrypt_final(operation, srcData, srcLen, destData, destLen, tag, tagLen, __func__);
}

TEE_Result __GP11_TEE_AEEncryptFinal(TEE_OperationHandle operation, const void* srcData, uint32_t srcLen,
                                     void* destData, uint32_t* destLen, void* tag, uint32_t* tagLen) {
  return encrypt_final(operation, srcData, srcLen, destData, destLen, tag, tagLen, __func__);
}

TEE_Result TEE_AEDecryptFinal(TEE_OperationHandle operation, const void* srcData, size_t srcLen,
                              void* destData, size_t* destLen, void* tag, size_t tagLen) {
  return decrypt_final(operation, srcData, srcLen, destData, destLen, tag, tagLen, __func__);
}

TEE_Result __GP11_TEE_AEDecryptFinal(TEE_OperationHandle operation, const void* srcData, uint32_t srcLen,
                                     void* destData, uint32_t* destLen, void* tag, uint32_t tagLen) {
  return decrypt_final(operation, srcData, srcLen, destData, destLen, tag, tagLen, __func__);
}

}  // extern "C"
