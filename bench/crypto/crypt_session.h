// The benchmark's client of the crypt TA (include/crypt_ta.h): a session,
// keyed operations and the bulk/asymmetric calls the benchmark times.
#pragma once

#include <tee_client_api.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace swtee::bench {

class CryptSession {
 public:
  CryptSession() = default;
  ~CryptSession();
  CryptSession(const CryptSession&) = delete;
  CryptSession& operator=(const CryptSession&) = delete;

  [[nodiscard]] TEEC_Result open();
  TEEC_Context* context() { return &ctx_; }

  // TEE_IsAlgorithmSupported(alg, 0) in the TA: a call with no crypto.
  [[nodiscard]] TEEC_Result is_supported(uint32_t alg);
  // TEE_AllocateOperation; *op is the TA-side id.
  [[nodiscard]] TEEC_Result alloc_op(uint32_t alg, uint32_t mode, uint32_t max_key_bits, uint32_t* op);
  // A generated key of type/bits (attrs: serialized crypt_ta.h attributes,
  // may be empty) set on op.
  [[nodiscard]] TEEC_Result generate_and_set(uint32_t op, uint32_t type, uint32_t bits,
                                             const std::vector<uint8_t>& attrs);
  // Both ops share one generated key pair (sign + verify).
  [[nodiscard]] TEEC_Result generate_and_set2(uint32_t op_a, uint32_t op_b, uint32_t type, uint32_t bits,
                                              const std::vector<uint8_t>& attrs);
  // CRYPT_CMD_BULK over registered memory: in [0, len) of `in`, result into
  // `out`, optional nonce/tag memory (`nonce_len` bytes of IV in it).
  [[nodiscard]] TEEC_Result bulk(uint32_t op, TEEC_SharedMemory* in, size_t len, TEEC_SharedMemory* out,
                                 size_t out_len, TEEC_SharedMemory* iv_tag, uint32_t nonce_len);
  // Asymmetric sign/verify of the first digest_len bytes of `digest`; the
  // signature lives in `sig` (sign: capacity in, length out in *sig_len).
  [[nodiscard]] TEEC_Result sign(uint32_t op, TEEC_SharedMemory* digest, size_t digest_len,
                                 TEEC_SharedMemory* sig, size_t* sig_len);
  [[nodiscard]] TEEC_Result verify(uint32_t op, TEEC_SharedMemory* digest, size_t digest_len,
                                   TEEC_SharedMemory* sig, size_t sig_len);

 private:
  TEEC_Result object(uint32_t type, uint32_t bits, const std::vector<uint8_t>& attrs, uint32_t* obj);
  TEEC_Result invoke(uint32_t cmd, TEEC_Operation* op);

  TEEC_Context ctx_{};
  TEEC_Session sess_{};
  bool ctx_open_ = false, sess_open_ = false;
};

// A serialized crypt_ta.h attribute list holding one value attribute.
std::vector<uint8_t> value_attr_blob(uint32_t id, uint32_t a, uint32_t b);

}  // namespace swtee::bench
