// Cmp, CmpS32, ShiftRight, GetBit, GetBitCount, SetBit, Assign, Abs.
#include <gtest/gtest.h>

#include <climits>

#include "arith_test_util.h"

namespace swtee::ta::arith::test {
namespace {

int sgn(int v) { return v < 0 ? -1 : (v > 0 ? 1 : 0); }

TEST(ArithLogical, CmpMatchesOpenSsl) {
  Rng rng(2);
  for (int i = 0; i < 2000; ++i) {
    const size_t bits = rng.size(4096);
    Bn a = rng.operand(bits, true);
    Bn b = rng.coin() ? bn_dup(a.get()) : rng.operand(rng.size(4096), true);
    if (rng.below(4) == 0) BN_set_negative(b.get(), !BN_is_negative(b.get()));
    Big x(4096, a.get()), y(4096, b.get());
    ASSERT_EQ(TEE_BigIntCmp(x, y), sgn(BN_cmp(a.get(), b.get()))) << hex(a.get()) << " " << hex(b.get());
    ASSERT_EQ(TEE_BigIntCmp(x, x), 0);
  }
}

TEST(ArithLogical, CmpS32MatchesOpenSsl) {
  Rng rng(3);
  const int32_t edges[] = {0, 1, -1, INT32_MAX, INT32_MIN, INT32_MIN + 1, 0x123, -0x123};
  for (int i = 0; i < 2000; ++i) {
    Bn a = rng.operand(rng.below(3) == 0 ? 64 : 33, true);
    const int32_t s = rng.coin() ? edges[rng.below(std::size(edges))] : static_cast<int32_t>(rng.next());
    Big x(64, a.get());
    ASSERT_EQ(TEE_BigIntCmpS32(x, s), sgn(BN_cmp(a.get(), bn_word(s).get()))) << hex(a.get()) << " " << s;
  }
  // xtest 4104 corner cases.
  EXPECT_EQ(TEE_BigIntCmpS32(Big(64, bn_hex("-80000000").get()), INT32_MIN), 0);
  EXPECT_EQ(TEE_BigIntCmpS32(Big(64, bn_hex("-80000001").get()), INT32_MIN), -1);
  EXPECT_EQ(TEE_BigIntCmpS32(Big(64, bn_hex("80000000").get()), INT32_MAX), 1);
  EXPECT_EQ(TEE_BigIntCmpS32(Big(64, bn_hex("-1FFFFFFFF").get()), 1), -1);
}

TEST(ArithLogical, ShiftRightShiftsMagnitudeKeepsSign) {
  Rng rng(4);
  for (int i = 0; i < 2000; ++i) {
    const size_t bits = rng.size(4096);
    Bn a = rng.operand(bits, true);
    const size_t shift = rng.below(4) == 0 ? rng.below(bits + 40) : rng.below(70);
    Bn want = new_bn();
    BN_rshift(want.get(), a.get(), static_cast<int>(shift));  // magnitude shift, sign kept
    BN_set_negative(want.get(), BN_is_negative(a.get()));
    Big x(bits, a.get());
    Big d(bits);
    TEE_BigIntShiftRight(d, x, shift);
    ASSERT_EQ(hex(d), hex(want.get())) << hex(a.get()) << " >> " << shift;
    TEE_BigIntShiftRight(x, x, shift);  // in place
    ASSERT_EQ(hex(x), hex(want.get()));
  }
  Big m2(64, bn_hex("-2").get());
  TEE_BigIntShiftRight(m2, m2, 1);
  EXPECT_EQ(hex(m2), "-01");
  TEE_BigIntShiftRight(m2, m2, 1);
  EXPECT_EQ(TEE_BigIntCmpS32(m2, 0), 0);
  Big big(256, bn_hex("4961B2EBD91F991C3AA99497EF59F88A69E08AD5C340167793C3CC32F").get());
  __GP11_TEE_BigIntShiftRight(big, big, 81);
  EXPECT_EQ(hex(big), "024B0D975EC8FCC8E1D54CA4BF7ACFC4534F04");
  Big huge(64, bn_hex("FFFF").get());
  TEE_BigIntShiftRight(huge, huge, SIZE_MAX);
  EXPECT_EQ(TEE_BigIntCmpS32(huge, 0), 0);
}

TEST(ArithLogical, GetBitAndBitCountReadMagnitude) {
  Rng rng(5);
  for (int i = 0; i < 1000; ++i) {
    const size_t bits = rng.size(4096);
    Bn a = rng.operand(bits, true);
    Big x(bits, a.get());
    ASSERT_EQ(TEE_BigIntGetBitCount(x), static_cast<uint32_t>(BN_num_bits(a.get())));
    for (int k = 0; k < 20; ++k) {
      const uint32_t idx = static_cast<uint32_t>(rng.below(bits + 64));
      ASSERT_EQ(TEE_BigIntGetBit(x, idx), BN_is_bit_set(a.get(), static_cast<int>(idx)) != 0);
    }
    ASSERT_FALSE(TEE_BigIntGetBit(x, UINT32_MAX));
  }
}

TEST(ArithLogical, SetBitWithinCapacity) {
  Rng rng(6);
  for (int i = 0; i < 1000; ++i) {
    const size_t bits = rng.size(4096);
    const size_t cap = (bits + 31) / 32 * 32;
    Bn a = rng.operand(bits, true);
    Big x(bits, a.get());
    const uint32_t idx = static_cast<uint32_t>(rng.below(cap));
    const bool value = rng.coin();
    Bn want = bn_dup(a.get());
    const int neg = BN_is_negative(want.get());
    if (value)
      BN_set_bit(want.get(), static_cast<int>(idx));
    else if (BN_is_bit_set(want.get(), static_cast<int>(idx)))
      BN_clear_bit(want.get(), static_cast<int>(idx));
    BN_set_negative(want.get(), neg);
    ASSERT_EQ(TEE_BigIntSetBit(x, idx, value), TEE_SUCCESS);
    ASSERT_EQ(hex(x), hex(want.get()));
    ASSERT_EQ(TEE_BigIntGetBitCount(x), static_cast<uint32_t>(BN_num_bits(want.get())));
    // Beyond the capacity: TEE_ERROR_OVERFLOW, value unchanged.
    ASSERT_EQ(TEE_BigIntSetBit(x, static_cast<uint32_t>(cap + rng.below(100)), true), TEE_ERROR_OVERFLOW);
    ASSERT_EQ(hex(x), hex(want.get()));
  }
  Big n(32, bn_hex("-4").get());
  ASSERT_EQ(TEE_BigIntSetBit(n, 2, false), TEE_SUCCESS);
  EXPECT_EQ(TEE_BigIntCmpS32(n, 0), 0);  // negative zero becomes zero
  ASSERT_EQ(TEE_BigIntSetBit(n, 31, true), TEE_SUCCESS);
  EXPECT_EQ(hex(n), "80000000");
}

TEST(ArithLogical, AssignAndAbs) {
  Rng rng(7);
  for (int i = 0; i < 1000; ++i) {
    const size_t bits = rng.size(4096);
    Bn a = rng.operand(bits, true);
    Big src(bits, a.get());
    Big dst(4096, rng.operand(4096, true).get());
    ASSERT_EQ(TEE_BigIntAssign(dst, src), TEE_SUCCESS);
    ASSERT_EQ(hex(dst), hex(a.get()));
    ASSERT_EQ(TEE_BigIntAbs(dst, src), TEE_SUCCESS);
    Bn abs = bn_dup(a.get());
    BN_set_negative(abs.get(), 0);
    ASSERT_EQ(hex(dst), hex(abs.get()));
    // The tail beyond the value is cleared.
    const size_t used = (static_cast<size_t>(BN_num_bits(a.get())) + 31) / 32;
    for (size_t w = 2 + used; w < dst.words().size(); ++w) ASSERT_EQ(dst.words()[w], 0u);
  }
  Big small(32, bn_hex("-5").get());
  Big wide(64, bn_hex("-100000000").get());
  EXPECT_EQ(TEE_BigIntAssign(small, wide), TEE_ERROR_OVERFLOW);
  EXPECT_EQ(TEE_BigIntAbs(small, wide), TEE_ERROR_OVERFLOW);
  EXPECT_EQ(hex(small), "-05");
  EXPECT_EQ(TEE_BigIntAbs(small, small), TEE_SUCCESS);
  EXPECT_EQ(hex(small), "05");
  EXPECT_EQ(TEE_BigIntAssign(wide, wide), TEE_SUCCESS);
  EXPECT_EQ(hex(wide), "-0100000000");
}

}  // namespace
}  // namespace swtee::ta::arith::test
