// Key derivation (OP-TEE extensions): RFC 5869 HKDF, RFC 6070 PBKDF2, Concat
// KDF against OpenSSL's SSKDF, and the derived-object contract.
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "ta_runtime/crypto/tests/test_util.h"
#include "ta_runtime/dispatcher.h"

namespace swtee::ta::crypto::testing {
namespace {

TEE_ObjectHandle key_of(uint32_t type, uint32_t attr, const Bytes& v) {
  TEE_ObjectHandle h = TEE_HANDLE_NULL;
  EXPECT_EQ(TEE_AllocateTransientObject(type, static_cast<uint32_t>(v.size() * 8), &h), TEE_SUCCESS);
  TEE_Attribute a;
  TEE_InitRefAttribute(&a, attr, v.data(), v.size());
  EXPECT_EQ(TEE_PopulateTransientObject(h, &a, 1), TEE_SUCCESS);
  return h;
}

Bytes derive(uint32_t alg, uint32_t type, uint32_t attr, const Bytes& secret,
             std::vector<TEE_Attribute> params, size_t out_len) {
  TEE_OperationHandle op = TEE_HANDLE_NULL;
  EXPECT_EQ(TEE_AllocateOperation(&op, alg, TEE_MODE_DERIVE, static_cast<uint32_t>(secret.size() * 8)),
            TEE_SUCCESS);
  TEE_ObjectHandle k = key_of(type, attr, secret);
  EXPECT_EQ(TEE_SetOperationKey(op, k), TEE_SUCCESS);
  TEE_ObjectHandle out = TEE_HANDLE_NULL;
  EXPECT_EQ(TEE_AllocateTransientObject(TEE_TYPE_GENERIC_SECRET, 4096, &out), TEE_SUCCESS);
  TEE_DeriveKey(op, params.data(), static_cast<uint32_t>(params.size()), out);
  Bytes r(out_len + 8);
  size_t n = r.size();
  EXPECT_EQ(TEE_GetObjectBufferAttribute(out, TEE_ATTR_SECRET_VALUE, r.data(), &n), TEE_SUCCESS);
  r.resize(n);
  TEE_ObjectInfo info{};
  EXPECT_EQ(TEE_GetObjectInfo1(out, &info), TEE_SUCCESS);
  EXPECT_EQ(info.objectSize, out_len * 8);
  TEE_FreeTransientObject(out);
  TEE_FreeTransientObject(k);
  TEE_FreeOperation(op);
  return r;
}

TEST(Kdf, HkdfRfc5869Case1) {
  const Bytes ikm(22, 0x0b), salt = hex("000102030405060708090a0b0c"), info = hex("f0f1f2f3f4f5f6f7f8f9");
  std::vector<TEE_Attribute> p(3);
  TEE_InitRefAttribute(&p[0], TEE_ATTR_HKDF_SALT, salt.data(), salt.size());
  TEE_InitRefAttribute(&p[1], TEE_ATTR_HKDF_INFO, info.data(), info.size());
  TEE_InitValueAttribute(&p[2], TEE_ATTR_HKDF_OKM_LENGTH, 42, 0);
  EXPECT_EQ(to_hex(derive(TEE_ALG_HKDF_SHA256_DERIVE_KEY, TEE_TYPE_HKDF_IKM, TEE_ATTR_HKDF_IKM, ikm, p, 42)),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  // OP-TEE's own salt/info ids give the same result.
  p[0].attributeID = __OPTEE_TEE_ATTR_HKDF_SALT;
  p[1].attributeID = __OPTEE_TEE_ATTR_HKDF_INFO;
  EXPECT_EQ(to_hex(derive(TEE_ALG_HKDF_SHA256_DERIVE_KEY, TEE_TYPE_HKDF_IKM, TEE_ATTR_HKDF_IKM, ikm, p, 42)),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

TEST(Kdf, Pbkdf2Rfc6070) {
  const Bytes pw = {'p', 'a', 's', 's', 'w', 'o', 'r', 'd'}, salt = {'s', 'a', 'l', 't'};
  struct Case {
    uint32_t iter;
    const char* dk;
  };
  for (const Case& c : {Case{1, "0c60c80f961f0e71f3a9b524af6012062fe037a6"},
                        Case{2, "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"},
                        Case{4096, "4b007901b765489abead49d926f721d065a429c1"}}) {
    std::vector<TEE_Attribute> p(3);
    TEE_InitRefAttribute(&p[0], TEE_ATTR_PBKDF2_SALT, salt.data(), salt.size());
    TEE_InitValueAttribute(&p[1], TEE_ATTR_PBKDF2_ITERATION_COUNT, c.iter, 0);
    TEE_InitValueAttribute(&p[2], TEE_ATTR_PBKDF2_DKM_LENGTH, 20, 0);
    EXPECT_EQ(to_hex(derive(TEE_ALG_PBKDF2_HMAC_SHA1_DERIVE_KEY, TEE_TYPE_PBKDF2_PASSWORD,
                            TEE_ATTR_PBKDF2_PASSWORD, pw, p, 20)),
              c.dk);
  }
}

TEST(Kdf, ConcatKdfMatchesSp80056aOneStep) {
  std::mt19937 rng(23);
  const Bytes z = random_bytes(32, rng), other = random_bytes(20, rng);
  std::vector<TEE_Attribute> p(2);
  TEE_InitRefAttribute(&p[0], TEE_ATTR_CONCAT_KDF_OTHER_INFO, other.data(), other.size());
  TEE_InitValueAttribute(&p[1], TEE_ATTR_CONCAT_KDF_DKM_LENGTH, 70, 0);
  const Bytes got =
      derive(TEE_ALG_CONCAT_KDF_SHA256_DERIVE_KEY, TEE_TYPE_CONCAT_KDF_Z, TEE_ATTR_CONCAT_KDF_Z, z, p, 70);
  // Reference: SHA-256(counter_be32 || Z || OtherInfo) blocks, concatenated.
  Bytes ref;
  for (uint32_t ctr = 1; ref.size() < 70; ++ctr) {
    Bytes in = {static_cast<uint8_t>(ctr >> 24), static_cast<uint8_t>(ctr >> 16),
                static_cast<uint8_t>(ctr >> 8), static_cast<uint8_t>(ctr)};
    in.insert(in.end(), z.begin(), z.end());
    in.insert(in.end(), other.begin(), other.end());
    uint8_t md[32];
    unsigned int n = 0;
    ASSERT_EQ(EVP_Digest(in.data(), in.size(), md, &n, EVP_sha256(), nullptr), 1);
    ref.insert(ref.end(), md, md + n);
  }
  ref.resize(70);
  EXPECT_EQ(got, ref);
}

TEST(Kdf, DerivedObjectContract) {
  TEE_OperationHandle op = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateOperation(&op, TEE_ALG_HKDF_SHA256_DERIVE_KEY, TEE_MODE_DERIVE, 256), TEE_SUCCESS);
  TEE_ObjectHandle k = key_of(TEE_TYPE_HKDF_IKM, TEE_ATTR_HKDF_IKM, Bytes(32, 1));
  ASSERT_EQ(TEE_SetOperationKey(op, k), TEE_SUCCESS);
  TEE_ObjectHandle small = TEE_HANDLE_NULL, aes = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateTransientObject(TEE_TYPE_GENERIC_SECRET, 128, &small), TEE_SUCCESS);
  ASSERT_EQ(TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &aes), TEE_SUCCESS);
  TEE_Attribute len;
  TEE_InitValueAttribute(&len, TEE_ATTR_HKDF_OKM_LENGTH, 32, 0);
  EXPECT_EXIT(TEE_DeriveKey(op, &len, 1, small), kPanicked, "TEE_Panic");     // larger than the object
  EXPECT_EXIT(TEE_DeriveKey(op, &len, 1, aes), kPanicked, "TEE_Panic");       // not GENERIC_SECRET
  EXPECT_EXIT(TEE_DeriveKey(op, nullptr, 0, small), kPanicked, "TEE_Panic");  // no length
  TEE_FreeTransientObject(small);
  TEE_FreeTransientObject(aes);
  TEE_FreeTransientObject(k);
  TEE_FreeOperation(op);
}

}  // namespace
}  // namespace swtee::ta::crypto::testing
