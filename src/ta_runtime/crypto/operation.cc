#include "ta_runtime/crypto/operation.h"

#include "ta_runtime/crypto/crypto_panic.h"
#include "ta_runtime/handle_registry.h"

namespace swtee::ta::crypto {
namespace {

using OperationRegistry = HandleRegistry<Operation, kMaxOperations, HandleTag::kOperation>;

OperationRegistry& registry() {
  static auto* r = new OperationRegistry;  // never destroyed: handles may outlive statics
  return *r;
}

}  // namespace

Operation::~Operation() {
  EVP_MD_CTX_free(md_ctx);
  EVP_CIPHER_CTX_free(cctx);
  EVP_CIPHER_CTX_free(cctx2);
  EVP_MAC_CTX_free(mac_ctx);
  EVP_PKEY_CTX_free(pctx);
  EVP_PKEY_free(pkey);
  OPENSSL_cleanse(hold, sizeof(hold));
  OPENSSL_cleanse(chain, sizeof(chain));
  OPENSSL_cleanse(tweak, sizeof(tweak));
}

Operation* new_operation() noexcept { return registry().create(); }

void delete_operation(Operation* op) noexcept { registry().destroy(op); }

TEE_OperationHandle handle_of(const Operation* op) noexcept {
  return registry().handle_of<TEE_OperationHandle>(op);
}

Operation* operation_or_panic(TEE_OperationHandle h, const char* func) noexcept {
  if (Operation* op = registry().lookup(static_cast<const void*>(h))) return op;
  crypto_panic(func, "invalid operation handle");
}

Operation& op_of_class(TEE_OperationHandle h, uint32_t op_class, const char* func) noexcept {
  Operation* op = operation_or_panic(h, func);
  if (op->alg->op_class != op_class) crypto_panic(func, "operation of the wrong class");
  return *op;
}

Operation& active_op(TEE_OperationHandle h, uint32_t op_class, const char* func) noexcept {
  Operation& op = op_of_class(h, op_class, func);
  if ((op.handle_state & TEE_HANDLE_FLAG_INITIALIZED) == 0) crypto_panic(func, "operation not initialized");
  if (op.op_state == TEE_OPERATION_STATE_EXTRACTING) crypto_panic(func, "operation is extracting");
  return op;
}

void reset_operation_state(Operation& op) noexcept {
  op.op_state = TEE_OPERATION_STATE_INITIAL;
  op.pending = 0;
  op.total = 0;
  op.hold_len = 0;
  OPENSSL_cleanse(op.hold, sizeof(op.hold));
  op.xof_out.clear();
  op.extract_pos = 0;
  op.ae_data_started = false;
  op.ccm_aad.clear();
  op.ccm_data.clear();
  op.ccm_started = false;
  op.handle_state &= ~TEE_HANDLE_FLAG_EXTRACTING;
  // Asymmetric operations have no Init, so (as on OP-TEE) they never get
  // TEE_HANDLE_FLAG_INITIALIZED; KEY_SET is what makes them usable.
  if (op.keyed()) {
    op.handle_state &= ~TEE_HANDLE_FLAG_INITIALIZED;
  } else {
    (void)EVP_DigestInit_ex2(op.md_ctx, nullptr, nullptr);
    op.handle_state |= TEE_HANDLE_FLAG_INITIALIZED;
  }
}

void mark_initialized(Operation& op) noexcept {
  op.handle_state |= TEE_HANDLE_FLAG_INITIALIZED;
  op.op_state = TEE_OPERATION_STATE_ACTIVE;
}

void mark_finished(Operation& op) noexcept { reset_operation_state(op); }

void check_buffer(const void* p, size_t len, const char* func) noexcept {
  if (p == nullptr && len != 0) crypto_panic(func, "NULL buffer with a non-zero length");
}

}  // namespace swtee::ta::crypto
