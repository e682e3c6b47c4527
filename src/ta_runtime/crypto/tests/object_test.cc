// Transient objects: allocation rules, populate/get, usage and extractability,
// key generation sizes, copy, reset, bad handles.
#include <gtest/gtest.h>

#include "ta_runtime/crypto/tests/test_util.h"
#include "ta_runtime/dispatcher.h"

namespace swtee::ta::crypto::testing {
namespace {

TEST(TransientObject, AllocateChecksTypeAndSize) {
  TEE_ObjectHandle h = TEE_HANDLE_NULL;
  EXPECT_EQ(TEE_AllocateTransientObject(TEE_TYPE_AES, 100, &h), TEE_ERROR_NOT_SUPPORTED);
  EXPECT_EQ(h, nullptr);
  EXPECT_EQ(TEE_AllocateTransientObject(0xA0FFFFFF, 128, &h), TEE_ERROR_NOT_SUPPORTED);
  EXPECT_EQ(TEE_AllocateTransientObject(TEE_TYPE_HMAC_SHA256, 128, &h), TEE_ERROR_NOT_SUPPORTED);
  ASSERT_EQ(TEE_AllocateTransientObject(TEE_TYPE_AES, 256, &h), TEE_SUCCESS);
  TEE_ObjectInfo info{};
  ASSERT_EQ(TEE_GetObjectInfo1(h, &info), TEE_SUCCESS);
  EXPECT_EQ(info.objectType, TEE_TYPE_AES);
  EXPECT_EQ(info.objectSize, 0u);
  EXPECT_EQ(info.maxObjectSize, 256u);
  EXPECT_EQ(info.objectUsage, 0xFFFFFFFFu);
  EXPECT_EQ(info.handleFlags & TEE_HANDLE_FLAG_INITIALIZED, 0u);
  TEE_FreeTransientObject(h);
}

TEST(TransientObject, PopulateAndReadBack) {
  const Bytes key = hex("000102030405060708090a0b0c0d0e0f");
  TEE_ObjectHandle h = make_key(TEE_TYPE_AES, key);
  TEE_ObjectInfo info{};
  ASSERT_EQ(TEE_GetObjectInfo1(h, &info), TEE_SUCCESS);
  EXPECT_EQ(info.objectSize, 128u);
  EXPECT_NE(info.handleFlags & TEE_HANDLE_FLAG_INITIALIZED, 0u);
  uint8_t buf[32];
  size_t size = 4;
  EXPECT_EQ(TEE_GetObjectBufferAttribute(h, TEE_ATTR_SECRET_VALUE, buf, &size), TEE_ERROR_SHORT_BUFFER);
  EXPECT_EQ(size, 16u);
  size = sizeof(buf);
  ASSERT_EQ(TEE_GetObjectBufferAttribute(h, TEE_ATTR_SECRET_VALUE, buf, &size), TEE_SUCCESS);
  EXPECT_EQ(Bytes(buf, buf + size), key);
  EXPECT_EQ(TEE_GetObjectBufferAttribute(h, TEE_ATTR_RSA_MODULUS, buf, &size), TEE_ERROR_ITEM_NOT_FOUND);
  TEE_ResetTransientObject(h);
  ASSERT_EQ(TEE_GetObjectInfo1(h, &info), TEE_SUCCESS);
  EXPECT_EQ(info.objectSize, 0u);
  // Uninitialized: OP-TEE's syscall answers BAD_PARAMETERS, libutee panics.
  EXPECT_EXIT((void)TEE_GetObjectBufferAttribute(h, TEE_ATTR_SECRET_VALUE, buf, &size), kPanicked,
              "TEE_Panic");
  uint32_t a = 0, b = 0;
  EXPECT_EXIT((void)TEE_GetObjectValueAttribute(h, TEE_ATTR_ECC_CURVE, &a, &b), kPanicked, "TEE_Panic");
  TEE_CloseObject(h);
}

TEST(TransientObject, PopulateRejectsBadSizes) {
  TEE_ObjectHandle h = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &h), TEE_SUCCESS);
  const Bytes big(32, 1);
  TEE_Attribute a;
  TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, big.data(), big.size());
  // Larger than the object can hold: a panic (GP 1.3.1, OP-TEE).
  EXPECT_EXIT((void)TEE_PopulateTransientObject(h, &a, 1), kPanicked, "TEE_Panic");
  const Bytes odd(10, 1);
  TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, odd.data(), odd.size());
  EXPECT_EQ(TEE_PopulateTransientObject(h, &a, 1), TEE_ERROR_BAD_PARAMETERS);
  TEE_ObjectInfo info{};
  ASSERT_EQ(TEE_GetObjectInfo1(h, &info), TEE_SUCCESS);
  EXPECT_EQ(info.handleFlags & TEE_HANDLE_FLAG_INITIALIZED, 0u);  // still usable
  TEE_FreeTransientObject(h);
}

TEST(TransientObject, NonExtractableSecretPanics) {
  TEE_ObjectHandle h = make_key(TEE_TYPE_AES, Bytes(16, 7));
  ASSERT_EQ(TEE_RestrictObjectUsage1(h, ~static_cast<uint32_t>(TEE_USAGE_EXTRACTABLE)), TEE_SUCCESS);
  uint8_t buf[16];
  size_t size = sizeof(buf);
  EXPECT_EXIT(TEE_GetObjectBufferAttribute(h, TEE_ATTR_SECRET_VALUE, buf, &size), kPanicked, "TEE_Panic");
  TEE_FreeTransientObject(h);
}

TEST(TransientObject, GenerateKeySizesAndDesParity) {
  TEE_ObjectHandle h = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateTransientObject(TEE_TYPE_HMAC_SHA256, 512, &h), TEE_SUCCESS);
  ASSERT_EQ(TEE_GenerateKey(h, 264, nullptr, 0), TEE_SUCCESS);
  TEE_ObjectInfo info{};
  ASSERT_EQ(TEE_GetObjectInfo1(h, &info), TEE_SUCCESS);
  EXPECT_EQ(info.objectSize, 264u);
  TEE_FreeTransientObject(h);

  ASSERT_EQ(TEE_AllocateTransientObject(TEE_TYPE_DES3, 192, &h), TEE_SUCCESS);
  ASSERT_EQ(TEE_GenerateKey(h, 192, nullptr, 0), TEE_SUCCESS);
  uint8_t k[24];
  size_t n = sizeof(k);
  ASSERT_EQ(TEE_GetObjectBufferAttribute(h, TEE_ATTR_SECRET_VALUE, k, &n), TEE_SUCCESS);
  ASSERT_EQ(n, 24u);
  for (uint8_t b : k) EXPECT_EQ(__builtin_popcount(b) % 2, 1);
  TEE_FreeTransientObject(h);

  ASSERT_EQ(TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &h), TEE_SUCCESS);
  EXPECT_EXIT((void)TEE_GenerateKey(h, 256, nullptr, 0), kPanicked, "TEE_Panic");
  TEE_FreeTransientObject(h);
}

TEST(TransientObject, CopyAttributesAndsUsage) {
  TEE_ObjectHandle src = make_key(TEE_TYPE_HMAC_SHA1, Bytes(20, 3));
  ASSERT_EQ(TEE_RestrictObjectUsage1(src, TEE_USAGE_MAC | TEE_USAGE_EXTRACTABLE), TEE_SUCCESS);
  TEE_ObjectHandle dst = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateTransientObject(TEE_TYPE_HMAC_SHA1, 256, &dst), TEE_SUCCESS);
  ASSERT_EQ(TEE_RestrictObjectUsage1(dst, TEE_USAGE_MAC | TEE_USAGE_ENCRYPT), TEE_SUCCESS);
  ASSERT_EQ(TEE_CopyObjectAttributes1(dst, src), TEE_SUCCESS);
  TEE_ObjectInfo info{};
  ASSERT_EQ(TEE_GetObjectInfo1(dst, &info), TEE_SUCCESS);
  EXPECT_EQ(info.objectSize, 160u);
  EXPECT_EQ(info.objectUsage, static_cast<uint32_t>(TEE_USAGE_MAC));
  TEE_ObjectHandle other = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateTransientObject(TEE_TYPE_AES, 256, &other), TEE_SUCCESS);
  EXPECT_EQ(TEE_CopyObjectAttributes1(other, src), TEE_ERROR_BAD_PARAMETERS);
  // Populating an initialized object panics.
  EXPECT_EXIT((void)TEE_CopyObjectAttributes1(dst, src), kPanicked, "TEE_Panic");
  TEE_FreeTransientObject(other);
  TEE_FreeTransientObject(dst);
  TEE_FreeTransientObject(src);
}

TEST(TransientObject, PopulateWithForeignAttributePanics) {
  TEE_ObjectHandle h = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &h), TEE_SUCCESS);
  const Bytes v(16, 1);
  TEE_Attribute a;
  TEE_InitRefAttribute(&a, TEE_ATTR_RSA_MODULUS, v.data(), v.size());
  EXPECT_EXIT((void)TEE_PopulateTransientObject(h, &a, 1), kPanicked, "TEE_Panic");
  EXPECT_EXIT((void)TEE_PopulateTransientObject(h, nullptr, 0), kPanicked,
              "TEE_Panic");  // missing SECRET_VALUE
  TEE_FreeTransientObject(h);
}

TEST(TransientObject, BadHandlesPanic) {
  TEE_ObjectHandle h = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &h), TEE_SUCCESS);
  TEE_FreeTransientObject(h);
  TEE_ObjectInfo info{};
  EXPECT_EXIT((void)TEE_GetObjectInfo1(h, &info), kPanicked, "TEE_Panic");
  auto bogus = reinterpret_cast<TEE_ObjectHandle>(uintptr_t{0x1234});
  EXPECT_EXIT(TEE_FreeTransientObject(bogus), kPanicked, "TEE_Panic");
  TEE_FreeTransientObject(TEE_HANDLE_NULL);  // allowed
  TEE_CloseObject(TEE_HANDLE_NULL);
}

TEST(TransientObject, ValueAttributeInitChecksTheValueBit) {
  TEE_Attribute a;
  TEE_InitValueAttribute(&a, TEE_ATTR_ECC_CURVE, 3, 0);
  EXPECT_EQ(a.content.value.a, 3u);
  EXPECT_EXIT(TEE_InitValueAttribute(&a, TEE_ATTR_SECRET_VALUE, 1, 2), kPanicked, "TEE_Panic");
  EXPECT_EXIT(TEE_InitRefAttribute(&a, TEE_ATTR_ECC_CURVE, nullptr, 0), kPanicked, "TEE_Panic");
}

}  // namespace
}  // namespace swtee::ta::crypto::testing
