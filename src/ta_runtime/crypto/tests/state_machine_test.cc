// The GP operation state machine: allocation rules, key checks and usage
// enforcement, the spec's panic cases, info queries, copy.
#include <gtest/gtest.h>

#include "ta_runtime/crypto/tests/test_util.h"
#include "ta_runtime/dispatcher.h"

namespace swtee::ta::crypto::testing {
namespace {

TEST(OperationState, AllocateRejectsUnsupported) {
  TEE_OperationHandle op = TEE_HANDLE_NULL;
  EXPECT_EQ(TEE_AllocateOperation(&op, TEE_ALG_AES_CBC_NOPAD, TEE_MODE_SIGN, 128), TEE_ERROR_NOT_SUPPORTED);
  EXPECT_EQ(TEE_AllocateOperation(&op, TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 100),
            TEE_ERROR_NOT_SUPPORTED);
  EXPECT_EQ(TEE_AllocateOperation(&op, 0x12345678, TEE_MODE_ENCRYPT, 128), TEE_ERROR_NOT_SUPPORTED);
  EXPECT_EQ(TEE_AllocateOperation(&op, TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, TEE_MODE_SIGN, 128),
            TEE_ERROR_NOT_SUPPORTED);  // below GP's RSA minimum
  EXPECT_EQ(TEE_AllocateOperation(&op, TEE_ALG_SM2_KEP, TEE_MODE_DERIVE, 256), TEE_ERROR_NOT_SUPPORTED);
  EXPECT_EQ(TEE_IsAlgorithmSupported(TEE_ALG_AES_GCM, TEE_CRYPTO_ELEMENT_NONE), TEE_SUCCESS);
  EXPECT_EQ(TEE_IsAlgorithmSupported(TEE_ALG_DES_CBC_NOPAD, TEE_CRYPTO_ELEMENT_NONE), TEE_SUCCESS);
  EXPECT_EQ(TEE_IsAlgorithmSupported(TEE_ALG_ECDSA_SHA256, TEE_ECC_CURVE_NIST_P256), TEE_SUCCESS);
  EXPECT_EQ(TEE_IsAlgorithmSupported(TEE_ALG_AES_GCM, TEE_ECC_CURVE_NIST_P256), TEE_ERROR_NOT_SUPPORTED);
  EXPECT_EQ(TEE_IsAlgorithmSupported(TEE_ALG_X25519, TEE_ECC_CURVE_25519), TEE_SUCCESS);
  EXPECT_EQ(TEE_IsAlgorithmSupported(TEE_ALG_ED448, TEE_CRYPTO_ELEMENT_NONE), TEE_ERROR_NOT_SUPPORTED);
}

TEST(OperationState, InfoReflectsKeyAndInit) {
  TEE_OperationHandle op = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateOperation(&op, TEE_ALG_AES_XTS, TEE_MODE_DECRYPT, 256), TEE_SUCCESS);
  TEE_OperationInfo info{};
  TEE_GetOperationInfo(op, &info);
  EXPECT_EQ(info.operationClass, static_cast<uint32_t>(TEE_OPERATION_CIPHER));
  // Two-key operation: libutee's TEE_GetOperationInfo zeroes keySize and
  // requiredKeyUsage (TEE_GetOperationInfoMultiple has them per key).
  EXPECT_EQ(info.requiredKeyUsage, 0u);
  EXPECT_EQ(info.keySize, 0u);
  EXPECT_EQ(info.handleState, static_cast<uint32_t>(TEE_HANDLE_FLAG_EXPECT_TWO_KEYS));
  uint8_t buf[sizeof(TEE_OperationInfoMultiple) + 2 * sizeof(TEE_OperationInfoKey)];
  auto* multi = reinterpret_cast<TEE_OperationInfoMultiple*>(buf);
  // As libutee: *operationSize is only read; room for one key of two is
  // SHORT_BUFFER, less than the header panics.
  size_t size = sizeof(TEE_OperationInfoMultiple) + sizeof(TEE_OperationInfoKey);
  ASSERT_EQ(TEE_GetOperationInfoMultiple(op, multi, &size), TEE_ERROR_SHORT_BUFFER);
  EXPECT_EQ(size, sizeof(TEE_OperationInfoMultiple) + sizeof(TEE_OperationInfoKey));
  size = sizeof(TEE_OperationInfoMultiple) - 1;
  EXPECT_EXIT((void)TEE_GetOperationInfoMultiple(op, multi, &size), kPanicked, "TEE_Panic");
  size = sizeof(buf);
  TEE_ObjectHandle k1 = make_key(TEE_TYPE_AES, Bytes(32, 1)), k2 = make_key(TEE_TYPE_AES, Bytes(32, 2));
  ASSERT_EQ(TEE_SetOperationKey2(op, k1, k2), TEE_SUCCESS);
  const Bytes iv(16, 0);
  TEE_CipherInit(op, iv.data(), iv.size());
  ASSERT_EQ(TEE_GetOperationInfoMultiple(op, multi, &size), TEE_SUCCESS);
  EXPECT_EQ(size, sizeof(buf));
  EXPECT_EQ(multi->numberOfKeys, 2u);
  EXPECT_EQ(multi->keyInformation[1].keySize, 256u);
  EXPECT_EQ(multi->operationState, static_cast<uint32_t>(TEE_OPERATION_STATE_ACTIVE));
  EXPECT_EQ(multi->handleState & (TEE_HANDLE_FLAG_KEY_SET | TEE_HANDLE_FLAG_INITIALIZED),
            static_cast<uint32_t>(TEE_HANDLE_FLAG_KEY_SET | TEE_HANDLE_FLAG_INITIALIZED));
  TEE_ResetOperation(op);
  TEE_GetOperationInfo(op, &info);
  EXPECT_EQ(info.handleState & TEE_HANDLE_FLAG_INITIALIZED, 0u);
  TEE_FreeTransientObject(k1);
  TEE_FreeTransientObject(k2);
  TEE_FreeOperation(op);
}

// GP 1.3 lists TEE_ERROR_SECURITY for TEE_SetOperationKey2 with one handle
// twice (libutee checks it first); two handles holding equal keys are fine.
TEST(OperationState, SetOperationKey2SameHandleIsSecurityError) {
  TEE_OperationHandle op = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateOperation(&op, TEE_ALG_AES_XTS, TEE_MODE_ENCRYPT, 256), TEE_SUCCESS);
  TEE_ObjectHandle k = make_key(TEE_TYPE_AES, Bytes(16, 1)), same = make_key(TEE_TYPE_AES, Bytes(16, 1));
  EXPECT_EQ(TEE_SetOperationKey2(op, k, k), TEE_ERROR_SECURITY);
  TEE_OperationInfo info{};
  TEE_GetOperationInfo(op, &info);
  EXPECT_EQ(info.handleState & TEE_HANDLE_FLAG_KEY_SET, 0u);
  EXPECT_EQ(TEE_SetOperationKey2(op, k, same), TEE_SUCCESS);
  TEE_FreeTransientObject(k);
  TEE_FreeTransientObject(same);
  TEE_FreeOperation(op);
}

// TEE_OperationInfo as OP-TEE's libutee keeps it: keySize survives clearing
// the key; digestLength is the hash size for DSA/ECDSA and the tag length
// (bytes) after TEE_AEInit.
TEST(OperationState, InfoKeySizeAndDigestLengthAsOpTee) {
  TEE_OperationHandle op = make_op(TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, TEE_TYPE_AES, Bytes(24, 3));
  TEE_OperationInfo info{};
  TEE_GetOperationInfo(op, &info);
  EXPECT_EQ(info.keySize, 192u);
  ASSERT_EQ(TEE_SetOperationKey(op, TEE_HANDLE_NULL), TEE_SUCCESS);
  TEE_GetOperationInfo(op, &info);
  EXPECT_EQ(info.keySize, 192u);
  EXPECT_EQ(info.handleState & TEE_HANDLE_FLAG_KEY_SET, 0u);
  uint8_t buf[sizeof(TEE_OperationInfoMultiple) + sizeof(TEE_OperationInfoKey)];
  auto* multi = reinterpret_cast<TEE_OperationInfoMultiple*>(buf);
  size_t size = sizeof(buf);
  ASSERT_EQ(TEE_GetOperationInfoMultiple(op, multi, &size), TEE_SUCCESS);
  EXPECT_EQ(multi->keyInformation[0].keySize, 0u);  // the key object itself is empty
  TEE_FreeOperation(op);

  struct D {
    uint32_t alg, max_bits, digest_len;
  };
  for (const D& d :
       {D{TEE_ALG_DSA_SHA1, 1024, 20}, D{TEE_ALG_DSA_SHA256, 2048, 32}, D{TEE_ALG_ECDSA_SHA1, 192, 20},
        D{TEE_ALG_ECDSA_SHA384, 384, 48}, D{TEE_ALG_ECDSA_SHA512, 521, 64}, D{__OPTEE_ALG_ECDSA_P256, 256, 0},
        D{TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, 2048, 0}}) {
    ASSERT_EQ(TEE_AllocateOperation(&op, d.alg, TEE_MODE_VERIFY, d.max_bits), TEE_SUCCESS)
        << std::hex << d.alg;
    TEE_GetOperationInfo(op, &info);
    EXPECT_EQ(info.digestLength, d.digest_len) << std::hex << d.alg;
    size = sizeof(buf);
    ASSERT_EQ(TEE_GetOperationInfoMultiple(op, multi, &size), TEE_SUCCESS);
    EXPECT_EQ(multi->digestLength, d.digest_len);
    TEE_FreeOperation(op);
  }

  op = make_op(TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, TEE_TYPE_AES, Bytes(16, 4));
  TEE_GetOperationInfo(op, &info);
  EXPECT_EQ(info.digestLength, 0u);
  const Bytes nonce(12, 5);
  ASSERT_EQ(TEE_AEInit(op, nonce.data(), nonce.size(), 104, 0, 0), TEE_SUCCESS);
  TEE_GetOperationInfo(op, &info);
  EXPECT_EQ(info.digestLength, 13u);
  TEE_FreeOperation(op);
}

TEST(OperationState, KeyWithoutUsagePanics) {
  TEE_OperationHandle op = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateOperation(&op, TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 128), TEE_SUCCESS);
  TEE_ObjectHandle k = make_key(TEE_TYPE_AES, Bytes(16, 1));
  ASSERT_EQ(TEE_RestrictObjectUsage1(k, TEE_USAGE_DECRYPT), TEE_SUCCESS);
  EXPECT_EXIT((void)TEE_SetOperationKey(op, k), kPanicked, "TEE_Panic");
  TEE_FreeTransientObject(k);
  TEE_FreeOperation(op);
}

TEST(OperationState, WrongKeyTypeOrSizePanics) {
  TEE_OperationHandle op = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateOperation(&op, TEE_ALG_HMAC_SHA256, TEE_MODE_MAC, 256), TEE_SUCCESS);
  TEE_ObjectHandle aes = make_key(TEE_TYPE_AES, Bytes(16, 1));
  EXPECT_EXIT((void)TEE_SetOperationKey(op, aes), kPanicked, "TEE_Panic");
  TEE_ObjectHandle big = make_key(TEE_TYPE_HMAC_SHA256, Bytes(64, 1));
  EXPECT_EXIT((void)TEE_SetOperationKey(op, big), kPanicked, "TEE_Panic");
  TEE_FreeTransientObject(aes);
  TEE_FreeTransientObject(big);
  TEE_FreeOperation(op);
}

TEST(OperationState, UseBeforeInitPanics) {
  TEE_OperationHandle op = make_op(TEE_ALG_AES_ECB_NOPAD, TEE_MODE_ENCRYPT, TEE_TYPE_AES, Bytes(16, 1));
  uint8_t in[16] = {}, out[16];
  size_t n = sizeof(out);
  EXPECT_EXIT((void)TEE_CipherUpdate(op, in, sizeof(in), out, &n), kPanicked, "TEE_Panic");
  // After DoFinal the operation needs Init again.
  TEE_CipherInit(op, nullptr, 0);
  ASSERT_EQ(TEE_CipherDoFinal(op, in, sizeof(in), out, &n), TEE_SUCCESS);
  EXPECT_EXIT((void)TEE_CipherUpdate(op, in, sizeof(in), out, &n), kPanicked, "TEE_Panic");
  TEE_FreeOperation(op);

  TEE_OperationHandle mac = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateOperation(&mac, TEE_ALG_AES_CMAC, TEE_MODE_MAC, 128), TEE_SUCCESS);
  EXPECT_EXIT(TEE_MACInit(mac, nullptr, 0), kPanicked, "TEE_Panic");  // no key
  EXPECT_EXIT(TEE_ResetOperation(mac), kPanicked, "TEE_Panic");       // no key
  TEE_FreeOperation(mac);
}

TEST(OperationState, SetKeyWhileActiveAndWrongClassPanic) {
  TEE_OperationHandle op = make_op(TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, TEE_TYPE_AES, Bytes(16, 1));
  const Bytes iv(16, 0);
  TEE_CipherInit(op, iv.data(), iv.size());
  TEE_ObjectHandle k = make_key(TEE_TYPE_AES, Bytes(16, 2));
  EXPECT_EXIT((void)TEE_SetOperationKey(op, k), kPanicked, "TEE_Panic");
  EXPECT_EXIT(TEE_DigestUpdate(op, "x", 1), kPanicked, "TEE_Panic");
  EXPECT_EXIT(TEE_CipherInit(op, iv.data(), 8), kPanicked, "TEE_Panic");  // wrong IV length
  TEE_FreeTransientObject(k);
  TEE_FreeOperation(op);
  EXPECT_EXIT(TEE_FreeOperation(op), kPanicked, "TEE_Panic");  // stale handle
  TEE_FreeOperation(TEE_HANDLE_NULL);
}

TEST(OperationState, CopyCarriesKeyAndProgress) {
  const Bytes key(16, 4), iv(16, 5), pt(64, 6);
  TEE_OperationHandle a = make_op(TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, TEE_TYPE_AES, key);
  TEE_OperationHandle b = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateOperation(&b, TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 256), TEE_SUCCESS);
  TEE_CipherInit(a, iv.data(), iv.size());
  uint8_t out1[64], out2[64];
  size_t n = sizeof(out1);
  ASSERT_EQ(TEE_CipherUpdate(a, pt.data(), 20, out1, &n), TEE_SUCCESS);
  TEE_CopyOperation(b, a);
  size_t m1 = sizeof(out1) - n, m2 = sizeof(out2);
  ASSERT_EQ(TEE_CipherDoFinal(a, pt.data() + 20, 44, out1 + n, &m1), TEE_SUCCESS);
  ASSERT_EQ(TEE_CipherDoFinal(b, pt.data() + 20, 44, out2, &m2), TEE_SUCCESS);
  EXPECT_EQ(Bytes(out1 + n, out1 + n + m1), Bytes(out2, out2 + m2));
  TEE_OperationHandle c = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateOperation(&c, TEE_ALG_AES_CBC_NOPAD, TEE_MODE_DECRYPT, 256), TEE_SUCCESS);
  EXPECT_EXIT(TEE_CopyOperation(c, a), kPanicked, "TEE_Panic");  // mode differs
  TEE_FreeOperation(a);
  TEE_FreeOperation(b);
  TEE_FreeOperation(c);
}

TEST(Random, FillsAndDiffers) {
  uint8_t a[64] = {}, b[64] = {};
  TEE_GenerateRandom(a, sizeof(a));
  TEE_GenerateRandom(b, sizeof(b));
  EXPECT_NE(Bytes(a, a + 64), Bytes(b, b + 64));
  TEE_GenerateRandom(nullptr, 0);
}

}  // namespace
}  // namespace swtee::ta::crypto::testing
