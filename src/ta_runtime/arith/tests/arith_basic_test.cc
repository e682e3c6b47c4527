// Add, Sub, Neg, Mul, Square, Div against OpenSSL, every sign combination.
#include <gtest/gtest.h>

#include "arith_test_util.h"

namespace swtee::ta::arith::test {
namespace {

TEST(ArithBasic, AddSubMatchOpenSslAllSigns) {
  Rng rng(10);
  for (int i = 0; i < 1200; ++i) {
    const size_t bits = rng.size(4096);
    Bn a = rng.operand(bits, false);
    Bn b = rng.operand(rng.coin() ? bits : rng.size(4096), false);
    for (int combo = 0; combo < 4; ++combo) {
      apply_signs(a.get(), b.get(), combo);
      Bn sum = new_bn(), diff = new_bn();
      BN_add(sum.get(), a.get(), b.get());
      BN_sub(diff.get(), a.get(), b.get());
      Big x(4096, a.get()), y(4096, b.get()), r(4097);
      TEE_BigIntAdd(r, x, y);
      ASSERT_EQ(hex(r), hex(sum.get())) << hex(a.get()) << " + " << hex(b.get());
      TEE_BigIntSub(r, x, y);
      ASSERT_EQ(hex(r), hex(diff.get())) << hex(a.get()) << " - " << hex(b.get());
    }
  }
}

TEST(ArithBasic, AddSubAliasing) {
  Rng rng(11);
  for (int i = 0; i < 300; ++i) {
    Bn a = rng.operand(rng.size(2048), true);
    Bn b = rng.operand(rng.size(2048), true);
    Bn sum = new_bn(), twice = new_bn(), diff = new_bn();
    BN_add(sum.get(), a.get(), b.get());
    BN_add(twice.get(), a.get(), a.get());
    BN_sub(diff.get(), b.get(), a.get());
    Big x(2049, a.get()), y(2049, b.get());
    TEE_BigIntAdd(x, x, y);  // dest == op1
    ASSERT_EQ(hex(x), hex(sum.get()));
    ASSERT_EQ(set(x, a.get()), TEE_SUCCESS);
    TEE_BigIntSub(y, y, x);  // dest == op1, other order
    ASSERT_EQ(hex(y), hex(diff.get()));
    ASSERT_EQ(set(y, b.get()), TEE_SUCCESS);
    TEE_BigIntAdd(x, x, x);  // all three the same
    ASSERT_EQ(hex(x), hex(twice.get()));
    ASSERT_EQ(set(x, a.get()), TEE_SUCCESS);
    TEE_BigIntSub(x, x, x);
    ASSERT_EQ(TEE_BigIntCmpS32(x, 0), 0);
  }
}

TEST(ArithBasic, ResultExactlyAtCapacity) {
  Big a(64, bn_hex("FFFFFFFFFFFFFFFE").get());
  Big one(32, bn_hex("1").get());
  Big r(64);
  TEE_BigIntAdd(r, a, one);
  EXPECT_EQ(hex(r), "FFFFFFFFFFFFFFFF");
  Big m(64, bn_hex("-FFFFFFFFFFFFFFFF").get());
  Big r3(65);  // 1 - (-(2^64-1)) = 2^64: 65 bits, three words
  TEE_BigIntSub(r3, one, m);
  EXPECT_EQ(hex(r3), "010000000000000000");
  Big f(64, bn_hex("FFFFFFFF").get());
  TEE_BigIntSquare(r, f);
  EXPECT_EQ(hex(r), "FFFFFFFE00000001");
}

TEST(ArithBasic, NegMatchesOpenSsl) {
  Rng rng(12);
  for (int i = 0; i < 500; ++i) {
    const size_t bits = rng.size(4096);
    Bn a = rng.operand(bits, true);
    Bn want = bn_dup(a.get());
    BN_set_negative(want.get(), !BN_is_negative(want.get()));
    Big x(bits, a.get()), r(bits);
    TEE_BigIntNeg(r, x);
    ASSERT_EQ(hex(r), hex(want.get()));
    TEE_BigIntNeg(x, x);
    ASSERT_EQ(hex(x), hex(want.get()));
  }
  Big z(32);
  TEE_BigIntNeg(z, z);
  EXPECT_EQ(TEE_BigIntCmpS32(z, 0), 0);
  EXPECT_EQ(z.words()[0], 1u);  // zero stays positive
}

TEST(ArithBasic, MulSquareMatchOpenSslAllSigns) {
  Rng rng(13);
  Ctx ctx(BN_CTX_new());
  for (int i = 0; i < 800; ++i) {
    const size_t b1 = rng.size(4096), b2 = rng.size(4096);
    Bn a = rng.operand(b1, false);
    Bn b = rng.operand(b2, false);
    for (int combo = 0; combo < 4; ++combo) {
      apply_signs(a.get(), b.get(), combo);
      Bn prod = new_bn(), sq = new_bn();
      BN_mul(prod.get(), a.get(), b.get(), ctx.get());
      BN_sqr(sq.get(), a.get(), ctx.get());
      Big x(b1, a.get()), y(b2, b.get()), r(b1 + b2), s(2 * b1);
      TEE_BigIntMul(r, x, y);
      ASSERT_EQ(hex(r), hex(prod.get())) << hex(a.get()) << " * " << hex(b.get());
      TEE_BigIntSquare(s, x);
      ASSERT_EQ(hex(s), hex(sq.get()));
      // In place: the destination is both an operand and the result.
      Big w(b1 + b2, a.get());
      TEE_BigIntMul(w, w, y);
      ASSERT_EQ(hex(w), hex(prod.get()));
      Big v(2 * b1, a.get());
      TEE_BigIntSquare(v, v);
      ASSERT_EQ(hex(v), hex(sq.get()));
    }
  }
}

TEST(ArithBasic, DivMatchesTruncatingDivisionAllSigns) {
  Rng rng(14);
  Ctx ctx(BN_CTX_new());
  for (int i = 0; i < 1000; ++i) {
    const size_t b1 = rng.size(4096);
    const size_t b2 = rng.coin() ? rng.size(b1) : rng.size(4096);
    Bn a = rng.operand(b1, false);
    Bn b = rng.operand(b2, false);
    if (BN_is_zero(b.get())) BN_one(b.get());
    for (int combo = 0; combo < 4; ++combo) {
      apply_signs(a.get(), b.get(), combo);
      Bn q = new_bn(), r = new_bn();
      BN_div(q.get(), r.get(), a.get(), b.get(), ctx.get());
      Big x(b1, a.get()), y(b2, b.get()), dq(b1), dr(b2);
      TEE_BigIntDiv(dq, dr, x, y);
      ASSERT_EQ(hex(dq), hex(q.get())) << hex(a.get()) << " / " << hex(b.get());
      ASSERT_EQ(hex(dr), hex(r.get())) << hex(a.get()) << " % " << hex(b.get());
      // Remainder takes the dividend's sign; |r| < |b|.
      ASSERT_TRUE(BN_is_zero(r.get()) || BN_is_negative(r.get()) == BN_is_negative(a.get()));
      Big only_q(b1);
      TEE_BigIntDiv(only_q, nullptr, x, y);
      ASSERT_EQ(hex(only_q), hex(q.get()));
      Big only_r(b2);
      TEE_BigIntDiv(nullptr, only_r, x, y);
      ASSERT_EQ(hex(only_r), hex(r.get()));
      // Quotient into the dividend, remainder into the divisor.
      TEE_BigIntDiv(x, y, x, y);
      ASSERT_EQ(hex(x), hex(q.get()));
      ASSERT_EQ(hex(y), hex(r.get()));
    }
  }
  Big seven(32, bn_hex("-7").get()), two(32, bn_hex("2").get()), q(32), r(32);
  TEE_BigIntDiv(q, r, seven, two);
  EXPECT_EQ(hex(q), "-03");
  EXPECT_EQ(hex(r), "-01");
}

}  // namespace
}  // namespace swtee::ta::arith::test
