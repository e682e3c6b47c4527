// GP TEE Internal Core API, MACs (GP 1.3.1 §6.5): HMAC and CMAC through
// EVP_MAC, CBC-MAC (NOPAD / PKCS5) as the last block of a CBC encryption.
#include <openssl/crypto.h>

#include <algorithm>
#include <cstring>

#include "ta_runtime/crypto/crypto_panic.h"
#include "ta_runtime/crypto/operation.h"
#include "tee_internal_api.h"

using namespace swtee::ta::crypto;

namespace {

constexpr size_t kScratch = 4096;

bool cbc_mac_feed(Operation& op, const uint8_t* in, size_t len) noexcept {
  uint8_t scratch[kScratch + 16];
  const size_t bs = family_block_size(op.alg->family);
  while (len != 0) {
    const size_t n = std::min(len, kScratch);
    int w = 0;
    if (EVP_CipherUpdate(op.cctx, scratch, &w, in, static_cast<int>(n)) != 1) return false;
    if (w >= static_cast<int>(bs)) std::memcpy(op.chain, scratch + w - bs, bs);
    in += n;
    len -= n;
  }
  return true;
}

bool mac_update(Operation& op, const void* chunk, size_t len) noexcept {
  const auto* p = static_cast<const uint8_t*>(chunk);
  if (len == 0) return true;
  bool ok = false;
  switch (op.alg->engine) {
    case Engine::kHmac:
    case Engine::kCmac:
      ok = EVP_MAC_update(op.mac_ctx, p, len) == 1;
      break;
    case Engine::kCbcMac:
      ok = cbc_mac_feed(op, p, len);
      break;
    case Engine::kDigest:
    case Engine::kXof:
    case Engine::kCipher:
    case Engine::kCts:
    case Engine::kXts:
    case Engine::kGcm:
    case Engine::kCcm:
    case Engine::kHkdf:
    case Engine::kConcatKdf:
    case Engine::kPbkdf2:
    case Engine::kAsym:
      ok = false;  // not MAC-class engines
      break;
  }
  op.total += len;
  return ok;
}

// Completes the MAC into `out` (op.alg->out_len bytes).
bool mac_final(Operation& op, uint8_t* out) noexcept {
  const size_t size = op.alg->out_len;
  if (op.alg->engine != Engine::kCbcMac) {
    size_t n = 0;
    return EVP_MAC_final(op.mac_ctx, out, &n, size) == 1 && n == size;
  }
  const size_t bs = family_block_size(op.alg->family);
  if (op.alg->pkcs5) {
    uint8_t pad[16];
    const size_t p = bs - static_cast<size_t>(op.total % bs);
    std::memset(pad, static_cast<int>(p), p);
    if (!cbc_mac_feed(op, pad, p)) return false;
  }
  std::memcpy(out, op.chain, size);
  return true;
}

void mac_init(TEE_OperationHandle operation, const void* iv, size_t iv_len, const char* func) noexcept {
  Operation& op = op_of_class(operation, TEE_OPERATION_MAC, func);
  if ((op.handle_state & TEE_HANDLE_FLAG_KEY_SET) == 0) crypto_panic(func, "no key set");
  check_buffer(iv, iv_len, func);
  reset_operation_state(op);
  bool ok = false;
  switch (op.alg->engine) {
    case Engine::kHmac:
    case Engine::kCmac:
      // Keyed at SetOperationKey; a keyless init restarts with that key.
      ok = EVP_MAC_init(op.mac_ctx, nullptr, 0, nullptr) == 1;
      break;
    case Engine::kCbcMac: {
      const size_t bs = family_block_size(op.alg->family);
      uint8_t zero[16] = {};
      // The IV is optional; when given it must be one block.
      if (iv_len != 0 && iv_len != bs) crypto_panic(func, "IV length must be one block");
      const uint8_t* ivp = iv_len != 0 ? static_cast<const uint8_t*>(iv) : zero;
      ok = EVP_CipherInit_ex2(op.cctx, nullptr, nullptr, ivp, 1, nullptr) == 1;
      std::memcpy(op.chain, ivp, bs);
      break;
    }
    case Engine::kDigest:
    case Engine::kXof:
    case Engine::kCipher:
    case Engine::kCts:
    case Engine::kXts:
    case Engine::kGcm:
    case Engine::kCcm:
    case Engine::kHkdf:
    case Engine::kConcatKdf:
    case Engine::kPbkdf2:
    case Engine::kAsym:
      ok = false;
      break;
  }
  if (!ok) crypto_panic(func, "MAC init failed", TEE_ERROR_GENERIC);
  mark_initialized(op);
}

void update(TEE_OperationHandle operation, const void* chunk, size_t len, const char* func) noexcept {
  Operation& op = active_op(operation, TEE_OPERATION_MAC, func);
  check_buffer(chunk, len, func);
  if (!mac_update(op, chunk, len)) crypto_panic(func, "MAC update failed", TEE_ERROR_GENERIC);
}

// The common part of ComputeFinal/CompareFinal: feeds `message` and finishes
// into `out`. A NOPAD CBC-MAC over no block or over a partial one panics:
// OP-TEE's crypto_cbc_mac_final answers BAD_STATE, which libutee's
// TEE_MACComputeFinal turns into a panic.
TEE_Result finish(Operation& op, const void* message, size_t len, uint8_t* out, const char* func) noexcept {
  if (op.alg->engine == Engine::kCbcMac && !op.alg->pkcs5) {
    const uint64_t total = op.total + len;
    if (total == 0 || total % family_block_size(op.alg->family) != 0)
      crypto_panic(func, "NOPAD CBC-MAC input is not a whole number of blocks", TEE_ERROR_BAD_STATE);
  }
  if (!mac_update(op, message, len) || !mac_final(op, out))
    crypto_panic(func, "MAC final failed", TEE_ERROR_GENERIC);
  mark_finished(op);
  return TEE_SUCCESS;
}

template <typename SizeT>
TEE_Result compute_final(TEE_OperationHandle operation, const void* message, size_t len, void* mac,
                         SizeT* mac_len, const char* func) noexcept {
  Operation& op = active_op(operation, TEE_OPERATION_MAC, func);
  check_buffer(message, len, func);
  if (mac_len == nullptr) crypto_panic(func, "macLen is NULL");
  const size_t size = op.alg->out_len;
  if (*mac_len < size) {
    *mac_len = static_cast<SizeT>(size);
    return TEE_ERROR_SHORT_BUFFER;
  }
  check_buffer(mac, size, func);
  uint8_t out[EVP_MAX_MD_SIZE];
  const TEE_Result r = finish(op, message, len, out, func);
  if (r == TEE_SUCCESS) {
    std::memcpy(mac, out, size);
    *mac_len = static_cast<SizeT>(size);
  }
  OPENSSL_cleanse(out, sizeof(out));
  return r;
}

TEE_Result compare_final(TEE_OperationHandle operation, const void* message, size_t len, const void* mac,
                         size_t mac_len, const char* func) noexcept {
  Operation& op = active_op(operation, TEE_OPERATION_MAC, func);
  check_buffer(message, len, func);
  check_buffer(mac, mac_len, func);
  uint8_t out[EVP_MAX_MD_SIZE];
  TEE_Result r = finish(op, message, len, out, func);
  if (r == TEE_SUCCESS) {
    const size_t size = op.alg->out_len;
    // Constant time in the content; the length is public.
    if (mac_len != size || CRYPTO_memcmp(out, mac, size) != 0) r = TEE_ERROR_MAC_INVALID;
  }
  OPENSSL_cleanse(out, sizeof(out));
  return r;
}

}  // namespace

extern "C" {

void TEE_MACInit(TEE_OperationHandle operation, const void* IV, size_t IVLen) {
  mac_init(operation, IV, IVLen, __func__);
}

void __GP11_TEE_MACInit(TEE_OperationHandle operation, const void* IV, uint32_t IVLen) {
  mac_init(operation, IV, IVLen, __func__);
}

void TEE_MACUpdate(TEE_OperationHandle operation, const void* chunk, size_t chunkSize) {
  update(operation, chunk, chunkSize, __func__);
}

void __GP11_TEE_MACUpdate(TEE_OperationHandle operation, const void* chunk, uint32_t chunkSize) {
  update(operation, chunk, chunkSize, __func__);
}

TEE_Result TEE_MACComputeFinal(TEE_OperationHandle operation, const void* message, size_t messageLen,
                               void* mac, size_t* macLen) {
  return compute_final(operation, message, messageLen, mac, macLen, __func__);
}

TEE_Result __GP11_TEE_MACComputeFinal(TEE_OperationHandle operation, const void* message, uint32_t messageLen,
                                      void* mac, uint32_t* macLen) {
  return compute_final(operation, message, messageLen, mac, macLen, __func__);
}

TEE_Result TEE_MACCompareFinal(TEE_OperationHandle operation, const void* message, size_t messageLen,
                               const void* mac, size_t macLen) {
  return compare_final(operation, message, messageLen, mac, macLen, __func__);
}

TEE_Result __GP11_TEE_MACCompareFinal(TEE_OperationHandle operation, const void* message, uint32_t messageLen,
                                      const void* mac, uint32_t macLen) {
  return compare_final(operation, message, messageLen, mac, macLen, __func__);
}

}  // extern "C"
