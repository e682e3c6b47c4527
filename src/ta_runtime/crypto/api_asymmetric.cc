// GP TEE Internal Core API, asymmetric operations (GP 1.3.1 §6.7) and the
// DH/ECDH/X25519 derivations. Not implemented yet: TEE_AllocateOperation and
// TEE_IsAlgorithmSupported report every asymmetric algorithm as
// TEE_ERROR_NOT_SUPPORTED, so no valid handle of these classes can exist and
// each entry point panics on the handle it is given (as GP requires for an
// operation of the wrong class). Defined so TAs that reference them load.
#include "ta_runtime/crypto/crypto_panic.h"
#include "ta_runtime/crypto/operation.h"
#include "tee_internal_api.h"

using namespace swtee::ta::crypto;

extern "C" {

TEE_Result TEE_AsymmetricEncrypt(TEE_OperationHandle operation, const TEE_Attribute*, uint32_t, const void*,
                                 size_t, void*, size_t*) {
  (void)op_of_class(operation, TEE_OPERATION_ASYMMETRIC_CIPHER, __func__);
  SWTEE_CRYPTO_PANIC_CODE("asymmetric ciphers are not supported", TEE_ERROR_NOT_SUPPORTED);
}

TEE_Result TEE_AsymmetricDecrypt(TEE_OperationHandle operation, const TEE_Attribute*, uint32_t, const void*,
                                 size_t, void*, size_t*) {
  (void)op_of_class(operation, TEE_OPERATION_ASYMMETRIC_CIPHER, __func__);
  SWTEE_CRYPTO_PANIC_CODE("asymmetric ciphers are not supported", TEE_ERROR_NOT_SUPPORTED);
}

TEE_Result TEE_AsymmetricSignDigest(TEE_OperationHandle operation, const TEE_Attribute*, uint32_t,
                                    const void*, size_t, void*, size_t*) {
  (void)op_of_class(operation, TEE_OPERATION_ASYMMETRIC_SIGNATURE, __func__);
  SWTEE_CRYPTO_PANIC_CODE("signatures are not supported", TEE_ERROR_NOT_SUPPORTED);
}

TEE_Result TEE_AsymmetricVerifyDigest(TEE_OperationHandle operation, const TEE_Attribute*, uint32_t,
                                      const void*, size_t, const void*, size_t) {
  (void)op_of_class(operation, TEE_OPERATION_ASYMMETRIC_SIGNATURE, __func__);
  SWTEE_CRYPTO_PANIC_CODE("signatures are not supported", TEE_ERROR_NOT_SUPPORTED);
}

TEE_Result __GP11_TEE_AsymmetricEncrypt(TEE_OperationHandle operation, const __GP11_TEE_Attribute*, uint32_t,
                                        const void*, uint32_t, void*, uint32_t*) {
  (void)op_of_class(operation, TEE_OPERATION_ASYMMETRIC_CIPHER, __func__);
  SWTEE_CRYPTO_PANIC_CODE("asymmetric ciphers are not supported", TEE_ERROR_NOT_SUPPORTED);
}

TEE_Result __GP11_TEE_AsymmetricDecrypt(TEE_OperationHandle operation, const __GP11_TEE_Attribute*, uint32_t,
                                        const void*, uint32_t, void*, uint32_t*) {
  (void)op_of_class(operation, TEE_OPERATION_ASYMMETRIC_CIPHER, __func__);
  SWTEE_CRYPTO_PANIC_CODE("asymmetric ciphers are not supported", TEE_ERROR_NOT_SUPPORTED);
}

TEE_Result __GP11_TEE_AsymmetricSignDigest(TEE_OperationHandle operation, const __GP11_TEE_Attribute*,
                                           uint32_t, const void*, uint32_t, void*, uint32_t*) {
  (void)op_of_class(operation, TEE_OPERATION_ASYMMETRIC_SIGNATURE, __func__);
  SWTEE_CRYPTO_PANIC_CODE("signatures are not supported", TEE_ERROR_NOT_SUPPORTED);
}

TEE_Result __GP11_TEE_AsymmetricVerifyDigest(TEE_OperationHandle operation, const __GP11_TEE_Attribute*,
                                             uint32_t, const void*, uint32_t, const void*, uint32_t) {
  (void)op_of_class(operation, TEE_OPERATION_ASYMMETRIC_SIGNATURE, __func__);
  SWTEE_CRYPTO_PANIC_CODE("signatures are not supported", TEE_ERROR_NOT_SUPPORTED);
}

}  // extern "C"
