// Mod, AddMod, SubMod, MulMod, SquareMod, InvMod, ExpMod against OpenSSL.
#include <gtest/gtest.h>

#include <string>

#include "arith_test_util.h"

namespace swtee::ta::arith::test {
namespace {

// A modulus of at most `bits` bits, at least 2.
Bn modulus(Rng& rng, size_t bits) {
  Bn n = rng.operand(bits, false);
  if (BN_num_bits(n.get()) < 2) BN_set_word(n.get(), 2 + rng.below(1000));
  return n;
}

TEST(ArithModular, ReductionsMatchOpenSsl) {
  Rng rng(20);
  Ctx ctx(BN_CTX_new());
  for (int i = 0; i < 1500; ++i) {
    const size_t nb = rng.size(4096);
    Bn n = modulus(rng, nb);
    // Operands of any sign, some wider than n.
    Bn a = rng.operand(rng.coin() ? nb : rng.size(4096), true);
    Bn b = rng.operand(rng.coin() ? nb : rng.size(4096), true);
    Bn want_mod = new_bn(), want_add = new_bn(), want_sub = new_bn(), want_mul = new_bn(), want_sqr = new_bn();
    BN_nnmod(want_mod.get(), a.get(), n.get(), ctx.get());
    BN_mod_add(want_add.get(), a.get(), b.get(), n.get(), ctx.get());
    BN_mod_sub(want_sub.get(), a.get(), b.get(), n.get(), ctx.get());
    BN_mod_mul(want_mul.get(), a.get(), b.get(), n.get(), ctx.get());
    BN_mod_sqr(want_sqr.get(), a.get(), n.get(), ctx.get());
    Big x(4096, a.get()), y(4096, b.get()), m(nb, n.get()), r(nb);
    TEE_BigIntMod(r, x, m);
    ASSERT_EQ(hex(r), hex(want_mod.get())) << hex(a.get()) << " mod " << hex(n.get());
    TEE_BigIntAddMod(r, x, y, m);
    ASSERT_EQ(hex(r), hex(want_add.get()));
    TEE_BigIntSubMod(r, x, y, m);
    ASSERT_EQ(hex(r), hex(want_sub.get()));
    TEE_BigIntMulMod(r, x, y, m);
    ASSERT_EQ(hex(r), hex(want_mul.get()));
    TEE_BigIntSquareMod(r, x, m);
    ASSERT_EQ(hex(r), hex(want_sqr.get()));
    // Results land in [0, n), the modulus may be the destination too.
    Big m2(nb, n.get());
    TEE_BigIntMulMod(m2, x, y, m2);
    ASSERT_EQ(hex(m2), hex(want_mul.get()));
  }
}

TEST(ArithModular, XtestVectors) {
  const std::string n2048 = "F9" + std::string(507, '0') + "5C5";
  Big n(2048, bn_hex(n2048.c_str()).get()), a(2048, bn_hex("7").get()), r(2048);
  TEE_BigIntInvMod(r, a, n);
  Big check(2048);
  TEE_BigIntMulMod(check, r, a, n);
  EXPECT_EQ(TEE_BigIntCmpS32(check, 1), 0);
  Big op(64, bn_hex("462D578CF0F88").get()), m(64, bn_hex("AB54A98CEB1F0AD3").get()), inv(64);
  TEE_BigIntInvMod(inv, op, m);
  EXPECT_EQ(hex(inv), "5ABBF22B54DBD000");
  Big x(32, bn_hex("7B").get()), fa1(32, bn_hex("FA1").get()), y(32);
  TEE_BigIntInvMod(y, x, fa1);
  EXPECT_EQ(hex(y), "08E5");
}

TEST(ArithModular, InvModMatchesOpenSsl) {
  Rng rng(21);
  Ctx ctx(BN_CTX_new());
  int checked = 0;
  for (int i = 0; i < 1500; ++i) {
    const size_t nb = rng.size(2048);
    Bn n = modulus(rng, nb);
    Bn a = rng.operand(rng.size(2048), true);
    Bn g = new_bn();
    BN_gcd(g.get(), a.get(), n.get(), ctx.get());
    if (!BN_is_one(g.get())) continue;
    Bn want = new_bn();
    ASSERT_NE(BN_mod_inverse(want.get(), a.get(), n.get(), ctx.get()), nullptr);
    Big x(2048, a.get()), m(nb, n.get()), r(nb);
    TEE_BigIntInvMod(r, x, m);
    ASSERT_EQ(hex(r), hex(want.get())) << hex(a.get()) << "^-1 mod " << hex(n.get());
    TEE_BigIntInvMod(x, x, m);  // in place
    ASSERT_EQ(hex(x), hex(want.get()));
    ++checked;
  }
  EXPECT_GT(checked, 500);
}

TEST(ArithModular, ExpModMatchesOpenSsl) {
  Rng rng(22);
  Ctx ctx(BN_CTX_new());
  for (int i = 0; i < 400; ++i) {
    // A few full-size (4096-bit) moduli, many small ones.
    const size_t nb = i < 4 ? 4096 : rng.size(1024);
    Bn n = modulus(rng, nb);
    BN_set_bit(n.get(), 0);  // odd
    if (BN_is_one(n.get())) BN_set_word(n.get(), 3);
    Bn a = rng.operand(i < 4 ? 4096 : rng.size(2048), true);
    Bn e = rng.operand(i < 4 ? 4096 : rng.size(1024), false);
    Bn want = new_bn();
    ASSERT_EQ(BN_mod_exp(want.get(), a.get(), e.get(), n.get(), ctx.get()), 1);
    if (BN_is_negative(want.get()) || (BN_is_negative(a.get()) && !BN_is_zero(want.get()))) {
      // OpenSSL leaves a negative base's result unreduced; GP wants [0, n).
      BN_nnmod(want.get(), want.get(), n.get(), ctx.get());
    }
    Big x(4096, a.get()), p(4096, e.get()), m(nb, n.get()), r(nb);
    ASSERT_EQ(TEE_BigIntExpMod(r, x, p, m, nullptr), TEE_SUCCESS);
    ASSERT_EQ(hex(r), hex(want.get())) << hex(a.get()) << "^" << hex(e.get()) << " mod " << hex(n.get());
    if (i % 8 == 0) {
      // With an FMM context for n: same answer.
      std::vector<uint32_t> fctx(TEE_BigIntFMMContextSizeInU32(nb));
      TEE_BigIntInitFMMContext(fctx.data(), fctx.size(), m);
      Big r2(nb);
      ASSERT_EQ(TEE_BigIntExpMod(r2, x, p, m, fctx.data()), TEE_SUCCESS);
      ASSERT_EQ(hex(r2), hex(want.get()));
    }
  }
}

TEST(ArithModular, ExpModEdgeCases) {
  Big n(64, bn_hex("FA1").get()), r(64, bn_hex("77").get());
  Big zero(32), base(32, bn_hex("-5").get());
  ASSERT_EQ(TEE_BigIntExpMod(r, base, zero, n, nullptr), TEE_SUCCESS);
  EXPECT_EQ(hex(r), "01");
  Big three(32, bn_hex("3").get());
  ASSERT_EQ(TEE_BigIntExpMod(r, zero, three, n, nullptr), TEE_SUCCESS);
  EXPECT_EQ(TEE_BigIntCmpS32(r, 0), 0);
  ASSERT_EQ(TEE_BigIntExpMod(r, base, three, n, nullptr), TEE_SUCCESS);  // -125 mod 4001
  EXPECT_EQ(hex(r), "0F24");
  // Even modulus: not supported, destination untouched.
  Big even(64, bn_hex("1000").get()), keep(64, bn_hex("-1234").get());
  EXPECT_EQ(TEE_BigIntExpMod(keep, three, three, even, nullptr), TEE_ERROR_NOT_SUPPORTED);
  EXPECT_EQ(hex(keep), "-1234");
}

}  // namespace
}  // namespace swtee::ta::arith::test
