// Unit tests of the module's serialization (wire.cc): templates, mechanism
// parameters and the C_GetAttributeValue answer.
#include "pkcs11/wire.h"

#include <gtest/gtest.h>
#include <swtee/pkcs11_ta.h>

#include <cstring>

namespace swtee::pkcs11 {
namespace {

uint32_t at32(const std::vector<uint8_t>& b, size_t off) {
  uint32_t v = 0;
  std::memcpy(&v, b.data() + off, 4);
  return v;
}

TEST(Pkcs11Wire, UlongAttributesTravelAs32Bits) {
  CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
  CK_BBOOL yes = CK_TRUE;
  CK_BYTE label[] = {'k'};
  CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof(cls)}, {CKA_TOKEN, &yes, 1}, {CKA_LABEL, label, 1}};
  Wire w;
  ASSERT_EQ(put_template(w, t, 3, false), CKR_OK);
  const auto& b = w.buf();
  ASSERT_EQ(b.size(), 8u + (8 + 4) + (8 + 1) + (8 + 1));
  EXPECT_EQ(at32(b, 0), b.size() - 8);
  EXPECT_EQ(at32(b, 4), 3u);
  EXPECT_EQ(at32(b, 8), static_cast<uint32_t>(CKA_CLASS));
  EXPECT_EQ(at32(b, 12), 4u);
  EXPECT_EQ(at32(b, 16), static_cast<uint32_t>(CKO_SECRET_KEY));
  EXPECT_EQ(b[28], 1);
}

TEST(Pkcs11Wire, RejectsShortUlongAndNestedTemplates) {
  uint32_t small = 1;
  CK_ATTRIBUTE t[] = {{CKA_CLASS, &small, sizeof(small)}};
  Wire w;
  EXPECT_EQ(put_template(w, t, 1, false), CKR_ATTRIBUTE_VALUE_INVALID);
  CK_ATTRIBUTE n[] = {{CKA_WRAP_TEMPLATE, nullptr, 0}};
  EXPECT_EQ(put_template(w, n, 1, false), CKR_ATTRIBUTE_TYPE_INVALID);
  EXPECT_EQ(put_template(w, nullptr, 1, false), CKR_ARGUMENTS_BAD);
}

TEST(Pkcs11Wire, MechanismParameters) {
  CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA256, CKG_MGF1_SHA256, 32};
  CK_MECHANISM m = {CKM_SHA256_RSA_PKCS_PSS, &pss, sizeof(pss)};
  Wire w;
  ASSERT_EQ(put_mechanism(w, &m), CKR_OK);
  ASSERT_EQ(w.buf().size(), 8u + 12);
  EXPECT_EQ(at32(w.buf(), 4), 12u);
  EXPECT_EQ(at32(w.buf(), 16), 32u);

  CK_BYTE iv[12] = {};
  CK_BYTE aad[3] = {1, 2, 3};
  CK_GCM_PARAMS g = {iv, sizeof(iv), 96, aad, sizeof(aad), 128};
  CK_MECHANISM gm = {CKM_AES_GCM, &g, sizeof(g)};
  Wire w2;
  ASSERT_EQ(put_mechanism(w2, &gm), CKR_OK);
  EXPECT_EQ(at32(w2.buf(), 4), 4u + 12 + 4 + 3 + 4);
  EXPECT_EQ(at32(w2.buf(), w2.buf().size() - 4), 128u);

  CK_MECHANISM bad = {CKM_ECDSA, iv, 4};
  Wire w3;
  EXPECT_EQ(put_mechanism(w3, &bad), CKR_MECHANISM_PARAM_INVALID);
  CK_MECHANISM badcbc = {CKM_AES_CBC, iv, 12};
  EXPECT_EQ(put_mechanism(w3, &badcbc), CKR_MECHANISM_PARAM_INVALID);
}

TEST(Pkcs11Wire, AttributeAnswerFillsTheTemplate) {
  CK_OBJECT_CLASS cls = 0;
  CK_BYTE value[4] = {};
  CK_BYTE small[1] = {};
  CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof(cls)},
                      {CKA_LABEL, nullptr, 0},
                      {CKA_VALUE, value, sizeof(value)},
                      {CKA_ID, small, sizeof(small)},
                      {CKA_PRIVATE_EXPONENT, value, sizeof(value)}};
  Wire req;
  ASSERT_EQ(put_template(req, t, 5, true), CKR_OK);
  auto ans = req.buf();
  // Fill in what the TA would: class 3, label size 5, value 4 bytes, id
  // needs 2 (too small), private exponent sensitive.
  auto put = [&](size_t off, uint32_t v) { std::memcpy(ans.data() + off, &v, 4); };
  size_t pos = 8;
  put(pos + 4, 4);
  put(pos + 8, CKO_PRIVATE_KEY);
  pos += 12;
  put(pos + 4, 5);
  pos += 8;
  put(pos + 4, 4);
  std::memcpy(ans.data() + pos + 8, "abcd", 4);
  pos += 12;
  put(pos + 4, 2);
  pos += 9;
  put(pos + 4, PKCS11_CK_UNAVAILABLE_INFORMATION);
  EXPECT_EQ(take_attribute_values(ans, t, 5), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(cls, static_cast<CK_ULONG>(CKO_PRIVATE_KEY));
  EXPECT_EQ(t[0].ulValueLen, sizeof(CK_ULONG));
  EXPECT_EQ(t[1].ulValueLen, 5u);
  EXPECT_EQ(std::memcmp(value, "abcd", 4), 0);
  EXPECT_EQ(t[3].ulValueLen, CK_UNAVAILABLE_INFORMATION);
  EXPECT_EQ(t[4].ulValueLen, CK_UNAVAILABLE_INFORMATION);
  // A truncated answer is a device error, never an overread.
  ans.resize(20);
  EXPECT_EQ(take_attribute_values(ans, t, 5), CKR_DEVICE_ERROR);
}

}  // namespace
}  // namespace swtee::pkcs11
