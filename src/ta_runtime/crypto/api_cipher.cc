// GP TEE Internal Core API, symmetric ciphers (GP 1.3.1 §6.4): any split of
// the input gives the one-shot result; SHORT_BUFFER reports the size needed
// and consumes nothing.
#include <algorithm>
#include <climits>
#include <cstring>

#include "ta_runtime/crypto/block_modes.h"
#include "ta_runtime/crypto/crypto_panic.h"
#include "ta_runtime/crypto/operation.h"
#include "tee_internal_api.h"

using namespace swtee::ta::crypto;

namespace {

constexpr size_t kMaxEvpChunk = size_t{1} << 30;

bool evp_update(EVP_CIPHER_CTX* ctx, const uint8_t* in, size_t len, uint8_t* out, size_t* written) noexcept {
  *written = 0;
  while (len != 0) {
    const size_t n = std::min(len, kMaxEvpChunk);
    int w = 0;
    if (EVP_CipherUpdate(ctx, out + *written, &w, in, static_cast<int>(n)) != 1) return false;
    *written += static_cast<size_t>(w);
    in += n;
    len -= n;
  }
  return true;
}

size_t block_size(const Operation& op) noexcept {
  return op.alg->mode == BlockMode::kCtr ? 1 : family_block_size(op.alg->family);
}

// Output of an EVP update of `in` bytes (OpenSSL's own block buffering).
size_t evp_update_size(const Operation& op, size_t in) noexcept {
  const size_t bs = block_size(op);
  const size_t total = op.pending + in;
  if (op.alg->pkcs5 && !op.encrypting()) {
    // Decrypting with padding keeps the last whole block for the final.
    if (total == 0) return 0;
    return total - (total % bs == 0 ? bs : total % bs);
  }
  return total - total % bs;
}

size_t update_size(const Operation& op, size_t in) noexcept {
  switch (op.alg->engine) {
    case Engine::kCipher:
      return evp_update_size(op, in);
    case Engine::kCts:
    case Engine::kXts:
      return holdback_update_size(op, in);
    case Engine::kDigest:
    case Engine::kXof:
    case Engine::kHmac:
    case Engine::kCmac:
    case Engine::kCbcMac:
    case Engine::kGcm:
    case Engine::kCcm:
    case Engine::kHkdf:
    case Engine::kConcatKdf:
    case Engine::kPbkdf2:
    case Engine::kAsym:
      return 0;  // not cipher-class engines
  }
}

template <typename SizeT>
TEE_Result cipher_update(TEE_OperationHandle operation, const void* src, size_t src_len, void* dst,
                         SizeT* dst_len, const char* func) noexcept {
  Operation& op = active_op(operation, TEE_OPERATION_CIPHER, func);
  check_buffer(src, src_len, func);
  if (dst_len == nullptr) crypto_panic(func, "destLen is NULL");
  const size_t need = update_size(op, src_len);
  if (*dst_len < need) {
    *dst_len = static_cast<SizeT>(need);
    return TEE_ERROR_SHORT_BUFFER;
  }
  check_buffer(dst, need, func);
  const auto* in = static_cast<const uint8_t*>(src);
  auto* out = static_cast<uint8_t*>(dst);
  size_t written = 0;
  if (op.alg->engine == Engine::kCipher) {
    if (!evp_update(op.cctx, in, src_len, out, &written) || written != need)
      crypto_panic(func, "cipher update failed", TEE_ERROR_GENERIC);
    op.pending = (op.pending + src_len) - need;
  } else {
    if (!cts_xts_update(op, in, src_len, out)) crypto_panic(func, "cipher update failed", TEE_ERROR_GENERIC);
    written = need;
  }
  op.total += src_len;
  *dst_len = static_cast<SizeT>(written);
  return TEE_SUCCESS;
}

template <typename SizeT>
TEE_Result cipher_final(TEE_OperationHandle operation, const void* src, size_t src_len, void* dst,
                        SizeT* dst_len, const char* func) noexcept {
  Operation& op = active_op(operation, TEE_OPERATION_CIPHER, func);
  check_buffer(src, src_len, func);
  if (dst_len == nullptr) crypto_panic(func, "destLen is NULL");
  const auto* in = static_cast<const uint8_t*>(src);
  auto* out = static_cast<uint8_t*>(dst);
  if (op.alg->engine == Engine::kCipher) {
    const size_t bs = block_size(op);
    const size_t total = op.pending + src_len;
    size_t need = total;
    if (op.alg->pkcs5 && op.encrypting()) {
      need = total - total % bs + bs;
    } else if (total % bs != 0) {
      // NOPAD: libutee's TEE_CipherDoFinal panics (BAD_PARAMETERS) when the
      // caller did not supply whole blocks.
      if (!op.alg->pkcs5) crypto_panic(func, "NOPAD input is not a multiple of the block size");
      return TEE_ERROR_BAD_PARAMETERS;  // a truncated padded ciphertext
    }
    if (*dst_len < need) {
      *dst_len = static_cast<SizeT>(need);
      return TEE_ERROR_SHORT_BUFFER;
    }
    check_buffer(dst, need, func);
    size_t written = 0;
    if (!evp_update(op.cctx, in, src_len, out, &written))
      crypto_panic(func, "cipher update failed", TEE_ERROR_GENERIC);
    int fin = 0;
    if (EVP_CipherFinal_ex(op.cctx, out + written, &fin) != 1) {
      // Only a padded decryption can fail here: the padding is malformed.
      OPENSSL_cleanse(out, written);
      mark_finished(op);
      return TEE_ERROR_BAD_PARAMETERS;
    }
    *dst_len = static_cast<SizeT>(written + static_cast<size_t>(fin));
    mark_finished(op);
    return TEE_SUCCESS;
  }
  // CTS / XTS: everything that is left comes out now.
  const size_t total = op.hold_len + src_len;
  if (op.total + src_len != 0 && op.total + src_len < 16) return TEE_ERROR_BAD_PARAMETERS;
  if (*dst_len < total) {
    *dst_len = static_cast<SizeT>(total);
    return TEE_ERROR_SHORT_BUFFER;
  }
  check_buffer(dst, total, func);
  const size_t first = holdback_update_size(op, src_len);
  if (!cts_xts_update(op, in, src_len, out)) crypto_panic(func, "cipher update failed", TEE_ERROR_GENERIC);
  size_t last = 0;
  bool bad_length = false;
  if (!cts_xts_final(op, out + first, &last, &bad_length))
    crypto_panic(func, "cipher final failed", TEE_ERROR_GENERIC);
  if (bad_length) return TEE_ERROR_BAD_PARAMETERS;
  *dst_len = static_cast<SizeT>(first + last);
  mark_finished(op);
  return TEE_SUCCESS;
}

void cipher_init(TEE_OperationHandle operation, const void* iv, size_t iv_len, const char* func) noexcept {
  Operation& op = op_of_class(operation, TEE_OPERATION_CIPHER, func);
  if ((op.handle_state & TEE_HANDLE_FLAG_KEY_SET) == 0) crypto_panic(func, "no key set");
  check_buffer(iv, iv_len, func);
  // libutee's TEE_CipherInit panics on an IV for the ECB NOPAD algorithms.
  if (iv != nullptr && iv_len != 0 && op.alg->mode == BlockMode::kEcb && op.alg->engine == Engine::kCipher &&
      !op.alg->pkcs5)
    crypto_panic(func, "an ECB algorithm takes no IV");
  reset_operation_state(op);
  const bool needs_iv = op.alg->mode != BlockMode::kEcb || op.alg->engine == Engine::kXts;
  const auto* ivp = static_cast<const uint8_t*>(iv);
  if (op.alg->engine == Engine::kCipher) {
    if (needs_iv) {
      const auto want = static_cast<size_t>(EVP_CIPHER_CTX_get_iv_length(op.cctx));
      if (iv_len != want) crypto_panic(func, "IV length does not match the algorithm");
    } else {
      ivp = nullptr;
    }
    if (EVP_CipherInit_ex2(op.cctx, nullptr, nullptr, ivp, -1, nullptr) != 1)
      crypto_panic(func, "cipher init failed", TEE_ERROR_GENERIC);
  } else {
    if (iv_len != 16) crypto_panic(func, "IV length must be 16");
    if (!cts_xts_init(op, ivp)) crypto_panic(func, "cipher init failed", TEE_ERROR_GENERIC);
  }
  mark_initialized(op);
}

}  // namespace

extern "C" {

void TEE_CipherInit(TEE_OperationHandle operation, const void* IV, size_t IVLen) {
  cipher_init(operation, IV, IVLen, __func__);
}

void __GP11_TEE_CipherInit(TEE_OperationHandle operation, const void* IV, uint32_t IVLen) {
  cipher_init(operation, IV, IVLen, __func__);
}

TEE_Result TEE_CipherUpdate(TEE_OperationHandle operation, const void* srcData, size_t srcLen, void* destData,
                            size_t* destLen) {
  return cipher_update(operation, srcData, srcLen, destData, destLen, __func__);
}

TEE_Result __GP11_TEE_CipherUpdate(TEE_OperationHandle operation, const void* srcData, uint32_t srcLen,
                                   void* destData, uint32_t* destLen) {
  return cipher_update(operation, srcData, srcLen, destData, destLen, __func__);
}

TEE_Result TEE_CipherDoFinal(TEE_OperationHandle operation, const void* srcData, size_t srcLen,
                             void* destData, size_t* destLen) {
  return cipher_final(operation, srcData, srcLen, destData, destLen, __func__);
}

TEE_Result __GP11_TEE_CipherDoFinal(TEE_OperationHandle operation, const void* srcData, uint32_t srcLen,
                                    void* destData, uint32_t* destLen) {
  return cipher_final(operation, srcData, srcLen, destData, destLen, __func__);
}

}  // extern "C"
