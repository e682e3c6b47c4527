// TEE_BigIntInit, the layout, and the octet-string / int32 conversions.
#include <gtest/gtest.h>

#include <cstring>

#include "arith_test_util.h"
#include "ta_runtime/arith/bigint_layout.h"

namespace swtee::ta::arith::test {
namespace {

BigIntHeader header_of(const TEE_BigInt* v) {
  BigIntHeader h;
  std::memcpy(&h, v, sizeof(h));
  return h;
}

TEST(ArithInit, SizeMacroMatchesLayout) {
  EXPECT_EQ(TEE_BigIntSizeInU32(0), 2u);
  EXPECT_EQ(TEE_BigIntSizeInU32(1), 3u);
  EXPECT_EQ(TEE_BigIntSizeInU32(32), 3u);
  EXPECT_EQ(TEE_BigIntSizeInU32(33), 4u);
  EXPECT_EQ(TEE_BigIntSizeInU32(4096), 130u);
  EXPECT_EQ(TEE_BigIntFMMSizeInU32(2048), TEE_BigIntSizeInU32(2048));
  EXPECT_EQ(__GP11_TEE_BigIntFMMSizeInU32(100), TEE_BigIntSizeInU32(100));
}

TEST(ArithInit, InitWritesHeaderAndZeroes) {
  for (size_t bits : {0u, 1u, 32u, 33u, 4096u, 32768u}) {
    std::vector<uint32_t> w(TEE_BigIntSizeInU32(bits), 0xdeadbeef);
    TEE_BigIntInit(w.data(), w.size());
    const BigIntHeader h = header_of(w.data());
    EXPECT_EQ(h.sign, 1);
    EXPECT_EQ(h.alloc_words, w.size() - 2);
    EXPECT_EQ(h.used_words, 0);
    for (size_t i = 2; i < w.size(); ++i) ASSERT_EQ(w[i], 0u);
    EXPECT_EQ(TEE_BigIntCmpS32(w.data(), 0), 0);
    EXPECT_EQ(TEE_BigIntGetBitCount(w.data()), 0u);
  }
  std::vector<uint32_t> w(5, 7);
  __GP11_TEE_BigIntInit(w.data(), 5);
  EXPECT_EQ(header_of(w.data()).alloc_words, 3);
  std::vector<uint32_t> f(5, 7);
  TEE_BigIntInitFMM(f.data(), 5);
  EXPECT_EQ(header_of(f.data()).alloc_words, 3);
}

TEST(ArithConvert, StoredWordsAreLittleEndianMagnitude) {
  Big v(128);
  const uint8_t os[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09};
  ASSERT_EQ(TEE_BigIntConvertFromOctetString(v, os, sizeof(os), -1), TEE_SUCCESS);
  const BigIntHeader h = header_of(v.get());
  EXPECT_EQ(h.sign, -1);
  EXPECT_EQ(h.used_words, 3);
  EXPECT_EQ(v.words()[2], 0x06070809u);
  EXPECT_EQ(v.words()[3], 0x02030405u);
  EXPECT_EQ(v.words()[4], 0x01u);
  EXPECT_EQ(v.words()[5], 0u);
  // A smaller value overwrites the whole capacity: no stale words remain.
  const uint8_t one[] = {1};
  ASSERT_EQ(TEE_BigIntConvertFromOctetString(v, one, 1, 1), TEE_SUCCESS);
  EXPECT_EQ(v.words()[2], 1u);
  EXPECT_EQ(v.words()[3], 0u);
  EXPECT_EQ(v.words()[4], 0u);
  EXPECT_EQ(header_of(v.get()).sign, 1);
}

TEST(ArithConvert, OctetStringRoundTripsAgainstOpenSsl) {
  Rng rng(1);
  for (int i = 0; i < 1500; ++i) {
    const size_t bits = rng.size(4096);
    Bn x = rng.operand(bits, true);
    // Leading zero octets must be ignored.
    std::vector<uint8_t> buf(static_cast<size_t>(BN_num_bytes(x.get())) + rng.below(4));
    ASSERT_EQ(BN_bn2binpad(x.get(), buf.data(), static_cast<int>(buf.size())), static_cast<int>(buf.size()));
    Big v(bits);
    ASSERT_EQ(TEE_BigIntConvertFromOctetString(v, buf.data(), buf.size(), BN_is_negative(x.get()) ? -1 : 1),
              TEE_SUCCESS);
    std::vector<uint8_t> out(buf.size() + 1, 0xEE);
    size_t len = out.size();
    ASSERT_EQ(TEE_BigIntConvertToOctetString(out.data(), &len, v), TEE_SUCCESS);
    ASSERT_EQ(len, static_cast<size_t>(BN_num_bytes(x.get())));
    std::vector<uint8_t> want(len);
    BN_bn2bin(x.get(), want.data());
    out.resize(len);
    ASSERT_EQ(out, want) << hex(x.get());  // (memcmp of an empty vector passes null)
    ASSERT_EQ(TEE_BigIntCmpS32(v, 0), BN_is_zero(x.get()) ? 0 : (BN_is_negative(x.get()) ? -1 : 1));
    // And the stored words are what OpenSSL says.
    std::vector<uint8_t> le(v.words().size() * 4 - 8);
    BN_bn2lebinpad(x.get(), le.data(), static_cast<int>(le.size()));
    ASSERT_EQ(0, std::memcmp(le.data(), v.words().data() + 2, le.size()));
  }
}

TEST(ArithConvert, FromOctetStringOverflowLeavesDestination) {
  Big v(64);
  Bn keep = bn_hex("-1234");
  ASSERT_EQ(set(v, keep.get()), TEE_SUCCESS);
  const uint8_t nine[] = {1, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(TEE_BigIntConvertFromOctetString(v, nine, sizeof(nine), 1), TEE_ERROR_OVERFLOW);
  EXPECT_EQ(hex(v), "-1234");
  // Exactly at capacity, and with leading zeros beyond it, fits.
  const uint8_t full[] = {0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
  EXPECT_EQ(TEE_BigIntConvertFromOctetString(v, full, sizeof(full), 1), TEE_SUCCESS);
  EXPECT_EQ(hex(v), "FFFFFFFFFFFFFFFF");
  EXPECT_EQ(__GP11_TEE_BigIntConvertFromOctetString(v, nine, sizeof(nine), -1), TEE_ERROR_OVERFLOW);
  // Zero-capacity bignum holds only zero.
  Big z(0);
  EXPECT_EQ(TEE_BigIntConvertFromOctetString(z, full, 2, 1), TEE_SUCCESS);
  EXPECT_EQ(TEE_BigIntConvertFromOctetString(z, full, 3, 1), TEE_ERROR_OVERFLOW);
  EXPECT_EQ(TEE_BigIntConvertFromOctetString(z, nullptr, 0, -1), TEE_SUCCESS);
  EXPECT_EQ(TEE_BigIntCmpS32(z, 0), 0);
}

TEST(ArithConvert, ToOctetStringShortBufferReportsSize) {
  Big v(256, bn_hex("-0102030405").get());
  uint8_t buf[8];
  size_t len = 4;
  EXPECT_EQ(TEE_BigIntConvertToOctetString(buf, &len, v), TEE_ERROR_SHORT_BUFFER);
  EXPECT_EQ(len, 5u);
  len = 0;
  EXPECT_EQ(TEE_BigIntConvertToOctetString(nullptr, &len, v), TEE_ERROR_SHORT_BUFFER);
  EXPECT_EQ(len, 5u);
  ASSERT_EQ(TEE_BigIntConvertToOctetString(buf, &len, v), TEE_SUCCESS);
  EXPECT_EQ(buf[0], 1);
  EXPECT_EQ(buf[4], 5);
  uint32_t len32 = 3;
  EXPECT_EQ(__GP11_TEE_BigIntConvertToOctetString(buf, &len32, v), TEE_ERROR_SHORT_BUFFER);
  EXPECT_EQ(len32, 5u);
  Big zero(64);
  len = 0;
  EXPECT_EQ(TEE_BigIntConvertToOctetString(nullptr, &len, zero), TEE_SUCCESS);
  EXPECT_EQ(len, 0u);
}

TEST(ArithConvert, S32RoundTripAndOverflow) {
  const int32_t values[] = {0, 1, -1, 123, -123, INT32_MAX, INT32_MIN, INT32_MIN + 1, 0x10000, -0x10000};
  for (int32_t x : values) {
    Big v(32);
    TEE_BigIntConvertFromS32(v, x);
    EXPECT_EQ(TEE_BigIntCmpS32(v, x), 0) << x;
    EXPECT_EQ(hex(v), hex(bn_word(x).get()));
    int32_t back = 7;
    ASSERT_EQ(TEE_BigIntConvertToS32(&back, v), TEE_SUCCESS);
    EXPECT_EQ(back, x);
  }
  for (const char* s : {"80000000", "-80000001", "100000000", "-1FFFFFFFFF", "FFFFFFFF"}) {
    Big v(64, bn_hex(s).get());
    int32_t out = 42;
    EXPECT_EQ(TEE_BigIntConvertToS32(&out, v), TEE_ERROR_OVERFLOW) << s;
    EXPECT_EQ(out, 42);
  }
  Big z(0);
  TEE_BigIntConvertFromS32(z, 0);
  int32_t out = 5;
  EXPECT_EQ(TEE_BigIntConvertToS32(&out, z), TEE_SUCCESS);
  EXPECT_EQ(out, 0);
}

}  // namespace
}  // namespace swtee::ta::arith::test
