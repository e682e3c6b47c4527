// GP TEE Internal Core API, message digests (GP 1.3.1 §6.3), including
// TEE_DigestExtract. OpenSSL 3.0's EVP_DigestFinalXOF squeezes only once, so
// extraction squeezes a duplicate of the absorbed state and keeps the
// produced output, growing it geometrically (linear total cost).
#include <algorithm>
#include <climits>
#include <cstring>

#include "ta_runtime/crypto/crypto_panic.h"
#include "ta_runtime/crypto/operation.h"
#include "tee_internal_api.h"

using namespace swtee::ta::crypto;

namespace {

// Upper bound on the output one SHAKE operation extracts.
constexpr size_t kMaxXofOutput = size_t{64} << 20;

bool digest_update(Operation& op, const void* chunk, size_t len) noexcept {
  const auto* p = static_cast<const uint8_t*>(chunk);
  while (len != 0) {
    const size_t n = std::min<size_t>(len, size_t{1} << 30);
    if (EVP_DigestUpdate(op.md_ctx, p, n) != 1) return false;
    p += n;
    len -= n;
  }
  return true;
}

// Makes op.xof_out hold at least `need` bytes of output of the absorbed input.
TEE_Result produce(Operation& op, size_t need) noexcept {
  if (op.xof_out.size() >= need) return TEE_SUCCESS;
  if (op.alg->engine == Engine::kDigest) {
    // Fixed-size digest: finalize once; there is nothing beyond it.
    if (!op.xof_out.empty()) return TEE_SUCCESS;
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(op.md_ctx, md, &n) != 1) return TEE_ERROR_GENERIC;
    const bool ok = op.xof_out.assign(md, n);
    OPENSSL_cleanse(md, sizeof(md));
    return ok ? TEE_SUCCESS : TEE_ERROR_OUT_OF_MEMORY;
  }
  if (need > kMaxXofOutput) return TEE_ERROR_OUT_OF_MEMORY;
  const size_t want = std::min(kMaxXofOutput, std::max({need, 2 * op.xof_out.size(), size_t{256}}));
  EVP_MD_CTX* dup = EVP_MD_CTX_new();
  if (dup == nullptr) return TEE_ERROR_OUT_OF_MEMORY;
  // The prefix already handed out is reproduced identically: XOF output is
  // a deterministic function of the absorbed input.
  SecureBytes out;
  TEE_Result r = TEE_SUCCESS;
  if (!out.resize(want)) {
    r = TEE_ERROR_OUT_OF_MEMORY;
  } else if (EVP_MD_CTX_copy_ex(dup, op.md_ctx) != 1 || EVP_DigestFinalXOF(dup, out.data(), want) != 1) {
    r = TEE_ERROR_GENERIC;
  } else {
    op.xof_out = std::move(out);
  }
  EVP_MD_CTX_free(dup);
  return r;
}

// DoFinal after TEE_DigestExtract, as OP-TEE's state machine has it: no
// more input (a chunk panics); a fixed-size digest hands out what is left
// of it (at most *hash_len bytes, never SHORT_BUFFER), an XOF goes on
// squeezing *hash_len bytes. Then the operation starts over.
template <typename SizeT>
TEE_Result final_after_extract(Operation& op, size_t chunk_len, void* hash, SizeT* hash_len,
                               const char* func) noexcept {
  if (chunk_len != 0) crypto_panic(func, "input after TEE_DigestExtract");
  const size_t want = static_cast<size_t>(*hash_len);
  check_buffer(hash, want, func);
  size_t need = 0;
  if (__builtin_add_overflow(op.extract_pos, want, &need)) crypto_panic(func, "length overflow");
  const TEE_Result r = produce(op, need);
  if (r != TEE_SUCCESS) crypto_panic(func, "digest final failed", r);
  const size_t avail = op.xof_out.size() - std::min(op.xof_out.size(), op.extract_pos);
  const size_t n = std::min(avail, want);
  if (n != 0) std::memcpy(hash, op.xof_out.data() + op.extract_pos, n);
  *hash_len = static_cast<SizeT>(n);
  mark_finished(op);
  return TEE_SUCCESS;
}

template <typename SizeT>
TEE_Result digest_final(TEE_OperationHandle operation, const void* chunk, size_t chunk_len, void* hash,
                        SizeT* hash_len, const char* func) noexcept {
  Operation& extracting = op_of_class(operation, TEE_OPERATION_DIGEST, func);
  if (extracting.op_state == TEE_OPERATION_STATE_EXTRACTING) {
    check_buffer(chunk, chunk_len, func);
    if (hash_len == nullptr) crypto_panic(func, "hashLen is NULL");
    return final_after_extract(extracting, chunk_len, hash, hash_len, func);
  }
  Operation& op = active_op(operation, TEE_OPERATION_DIGEST, func);
  check_buffer(chunk, chunk_len, func);
  if (hash_len == nullptr) crypto_panic(func, "hashLen is NULL");
  const bool xof = op.alg->engine == Engine::kXof;
  const size_t need = xof ? static_cast<size_t>(*hash_len) : op.alg->out_len;
  if (!xof && *hash_len < need) {
    *hash_len = static_cast<SizeT>(need);
    return TEE_ERROR_SHORT_BUFFER;
  }
  check_buffer(hash, need, func);
  if (!digest_update(op, chunk, chunk_len)) crypto_panic(func, "digest update failed", TEE_ERROR_GENERIC);
  if (xof) {
    if (need != 0 && EVP_DigestFinalXOF(op.md_ctx, static_cast<uint8_t*>(hash), need) != 1)
      crypto_panic(func, "XOF squeeze failed", TEE_ERROR_GENERIC);
  } else {
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(op.md_ctx, static_cast<uint8_t*>(hash), &n) != 1)
      crypto_panic(func, "digest final failed", TEE_ERROR_GENERIC);
  }
  *hash_len = static_cast<SizeT>(need);
  mark_finished(op);
  return TEE_SUCCESS;
}

void update(TEE_OperationHandle operation, const void* chunk, size_t chunk_len, const char* func) noexcept {
  Operation& op = active_op(operation, TEE_OPERATION_DIGEST, func);
  check_buffer(chunk, chunk_len, func);
  if (!digest_update(op, chunk, chunk_len)) crypto_panic(func, "digest update failed", TEE_ERROR_GENERIC);
  if (chunk_len != 0) op.op_state = TEE_OPERATION_STATE_ACTIVE;
}

}  // namespace

extern "C" {

void TEE_DigestUpdate(TEE_OperationHandle operation, const void* chunk, size_t chunkSize) {
  update(operation, chunk, chunkSize, __func__);
}

void __GP11_TEE_DigestUpdate(TEE_OperationHandle operation, const void* chunk, uint32_t chunkSize) {
  update(operation, chunk, chunkSize, __func__);
}

TEE_Result TEE_DigestDoFinal(TEE_OperationHandle operation, const void* chunk, size_t chunkLen, void* hash,
                             size_t* hashLen) {
  return digest_final(operation, chunk, chunkLen, hash, hashLen, __func__);
}

TEE_Result __GP11_TEE_DigestDoFinal(TEE_OperationHandle operation, const void* chunk, uint32_t chunkLen,
                                    void* hash, uint32_t* hashLen) {
  return digest_final(operation, chunk, chunkLen, hash, hashLen, __func__);
}

TEE_Result TEE_DigestExtract(TEE_OperationHandle operation, void* hash, size_t* hashLen) {
  Operation& op = op_of_class(operation, TEE_OPERATION_DIGEST, __func__);
  if ((op.handle_state & TEE_HANDLE_FLAG_INITIALIZED) == 0) SWTEE_CRYPTO_PANIC("operation not initialized");
  if (hashLen == nullptr) SWTEE_CRYPTO_PANIC("hashLen is NULL");
  check_buffer(hash, *hashLen, __func__);
  size_t need = 0;
  if (__builtin_add_overflow(op.extract_pos, *hashLen, &need)) SWTEE_CRYPTO_PANIC("length overflow");
  const TEE_Result r = produce(op, need);
  if (r != TEE_SUCCESS) return r;
  const size_t avail = op.xof_out.size() - std::min(op.xof_out.size(), op.extract_pos);
  const size_t n = std::min(avail, *hashLen);
  if (n != 0) std::memcpy(hash, op.xof_out.data() + op.extract_pos, n);
  op.extract_pos += n;
  *hashLen = n;
  op.op_state = TEE_OPERATION_STATE_EXTRACTING;
  op.handle_state |= TEE_HANDLE_FLAG_EXTRACTING;
  return TEE_SUCCESS;
}

}  // extern "C"
