// The state behind a TEE_OperationHandle, and the GP operation state
// machine helpers shared by the per-class API files. Handles are validated
// against the live set on every call; a bad handle panics.
#pragma once

#include <openssl/evp.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "ta_runtime/crypto/alg_table.h"
#include "ta_runtime/crypto/object.h"
#include "ta_runtime/crypto/secure_bytes.h"
#include "tee_internal_api.h"

namespace swtee::ta::crypto {

struct Operation {
  Operation() = default;
  ~Operation();
  Operation(const Operation&) = delete;
  Operation& operator=(const Operation&) = delete;

  const AlgInfo* alg = nullptr;
  uint32_t mode = 0;
  uint32_t max_key_size = 0;
  uint32_t key_size = 0;  // bits of key 1 (0: no key)
  // TEE_OperationInfo.keySize: as OP-TEE's libutee, the size of the last key
  // set; clearing the key (TEE_SetOperationKey(op, NULL)) keeps it.
  uint32_t info_key_size = 0;
  uint32_t required_usage = 0;
  uint32_t handle_state = 0;  // TEE_HANDLE_FLAG_*
  uint32_t op_state = TEE_OPERATION_STATE_INITIAL;

  SecureBytes key1, key2;
  uint32_t key2_size = 0;

  // OpenSSL contexts, allocated with the operation (so later calls do not
  // fail for lack of memory) and reused across Init/Final.
  EVP_MD_CTX* md_ctx = nullptr;     // digests
  EVP_CIPHER_CTX* cctx = nullptr;   // cipher, AE, CBC-MAC, CTS bulk, XTS key1
  EVP_CIPHER_CTX* cctx2 = nullptr;  // CTS last-blocks ECB, XTS key2 (tweak)
  EVP_MAC_CTX* mac_ctx = nullptr;   // HMAC, CMAC

  // Streaming state of the block engines.
  size_t pending = 0;     // bytes inside OpenSSL's partial block (kCipher, kCbcMac)
  uint64_t total = 0;     // bytes fed since Init
  uint8_t hold[32] = {};  // CTS/XTS hold-back (last 17..32 bytes)
  size_t hold_len = 0;
  uint8_t chain[16] = {};  // CTS chaining value, CBC-MAC last block
  uint8_t tweak[16] = {};  // XTS current tweak

  // Digest extraction (TEE_DigestExtract): output produced so far.
  SecureBytes xof_out;
  size_t extract_pos = 0;

  // AE.
  uint32_t tag_len = 0;  // bytes
  size_t aad_decl = 0, payload_decl = 0;
  bool ae_data_started = false;
  bool ccm_started = false;  // B0 and the AAD are in the CBC-MAC (ccm_stream.h)
  SecureBytes ccm_nonce, ccm_aad, ccm_data;

  // Asymmetric (Engine::kAsym): the key as OpenSSL sees it, built once at
  // TEE_SetOperationKey, and a context initialised for the mode there (so
  // a sign/verify/encrypt/decrypt call neither rebuilds nor re-fetches).
  EVP_PKEY* pkey = nullptr;
  EVP_PKEY_CTX* pctx = nullptr;
  std::vector<Attr> akey;  // DH: the key pair's attributes (BIGNUM path)

  [[nodiscard]] bool keyed() const noexcept { return alg->op_class != TEE_OPERATION_DIGEST; }
  [[nodiscard]] bool two_keys() const noexcept { return alg->engine == Engine::kXts; }
  [[nodiscard]] bool encrypting() const noexcept { return mode == TEE_MODE_ENCRYPT; }
};

inline constexpr size_t kMaxOperations = 1024;

Operation* new_operation() noexcept;
void delete_operation(Operation* op) noexcept;
// The handle a TA sees for a live operation.
TEE_OperationHandle handle_of(const Operation* op) noexcept;
Operation* operation_or_panic(TEE_OperationHandle h, const char* func) noexcept;

// The live operation of class `op_class`, panicking on a bad handle or class.
Operation& op_of_class(TEE_OperationHandle h, uint32_t op_class, const char* func) noexcept;
// As op_of_class, and additionally requires the operation to be initialized
// (Init called, or a digest) and not extracting.
Operation& active_op(TEE_OperationHandle h, uint32_t op_class, const char* func) noexcept;

// Back to the initial state: keeps the key, forgets any data.
void reset_operation_state(Operation& op) noexcept;
// Marks Init done.
void mark_initialized(Operation& op) noexcept;
// After a successful final: initial state, needs Init again (digests stay ready).
void mark_finished(Operation& op) noexcept;

// Size checks on caller-supplied in/out length pointers.
void check_buffer(const void* p, size_t len, const char* func) noexcept;

}  // namespace swtee::ta::crypto
