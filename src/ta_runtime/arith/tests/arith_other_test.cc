// RelativePrime, ComputeExtendedGcd, IsProbablePrime.
#include <gtest/gtest.h>

#include <vector>

#include "arith_test_util.h"

namespace swtee::ta::arith::test {
namespace {

TEST(ArithOther, RelativePrimeMatchesOpenSsl) {
  Rng rng(30);
  Ctx ctx(BN_CTX_new());
  int coprime = 0;
  for (int i = 0; i < 1500; ++i) {
    Bn a = rng.operand(rng.size(2048), true);
    Bn b = rng.operand(rng.size(2048), true);
    if (rng.below(4) == 0) {  // force a common factor
      Bn f = rng.operand(40, false);
      BN_mul(a.get(), a.get(), f.get(), ctx.get());
      BN_mul(b.get(), b.get(), f.get(), ctx.get());
    }
    Bn g = new_bn();
    BN_gcd(g.get(), a.get(), b.get(), ctx.get());
    Big x(2048 + 40, a.get()), y(2048 + 40, b.get());
    ASSERT_EQ(TEE_BigIntRelativePrime(x, y), BN_is_one(g.get()) != 0) << hex(a.get()) << " " << hex(b.get());
    coprime += BN_is_one(g.get());
  }
  EXPECT_GT(coprime, 100);
}

void check_egcd(const BIGNUM* a, const BIGNUM* b, size_t bits, BN_CTX* ctx) {
  Bn g = new_bn();
  BN_gcd(g.get(), a, b, ctx);
  Big x(bits, a), y(bits, b), dg(bits), du(bits), dv(bits);
  TEE_BigIntComputeExtendedGcd(dg, du, dv, x, y);
  ASSERT_EQ(hex(dg), hex(g.get())) << hex(a) << " " << hex(b);
  Bn u = value(du), v = value(dv), lhs = new_bn(), t = new_bn();
  BN_mul(lhs.get(), u.get(), a, ctx);
  BN_mul(t.get(), v.get(), b, ctx);
  BN_add(lhs.get(), lhs.get(), t.get());
  ASSERT_EQ(hex(lhs.get()), hex(g.get())) << "u " << hex(u.get()) << " v " << hex(v.get());
  // Bezout coefficients stay small: |u| <= max(1, |b|/g), |v| <= max(1, |a|/g).
  if (!BN_is_zero(g.get())) {
    Bn lim = new_bn();
    BN_div(lim.get(), nullptr, b, g.get(), ctx);
    BN_set_negative(lim.get(), 0);
    if (BN_is_zero(lim.get())) BN_one(lim.get());
    BN_set_negative(u.get(), 0);
    ASSERT_LE(BN_cmp(u.get(), lim.get()), 0);
    BN_div(lim.get(), nullptr, a, g.get(), ctx);
    BN_set_negative(lim.get(), 0);
    if (BN_is_zero(lim.get())) BN_one(lim.get());
    BN_set_negative(v.get(), 0);
    ASSERT_LE(BN_cmp(v.get(), lim.get()), 0);
  }
  // u and v are optional.
  Big g2(bits);
  TEE_BigIntComputeExtendedGcd(g2, nullptr, nullptr, x, y);
  ASSERT_EQ(hex(g2), hex(g.get()));
}

TEST(ArithOther, ExtendedGcdAllSigns) {
  Rng rng(31);
  Ctx ctx(BN_CTX_new());
  for (int i = 0; i < 500; ++i) {
    const size_t bits = i < 3 ? 4096 : rng.size(1024);
    Bn a = rng.operand(bits, false);
    Bn b = rng.operand(rng.coin() ? bits : rng.size(bits), false);
    if (rng.below(3) == 0) {
      Bn f = rng.operand(64, false);
      if (!BN_is_zero(f.get())) {
        BN_mul(a.get(), a.get(), f.get(), ctx.get());
        BN_mul(b.get(), b.get(), f.get(), ctx.get());
      }
    }
    for (int combo = 0; combo < 4; ++combo) {
      apply_signs(a.get(), b.get(), combo);
      ASSERT_NO_FATAL_FAILURE(check_egcd(a.get(), b.get(), bits + 64, ctx.get()));
    }
  }
  const char* pairs[][2] = {{"0", "0"}, {"0", "123"}, {"1", "1"}, {"1", "-1"}, {"2", "2"}, {"-2", "2"},
                            {"-2", "-4"}, {"400", "800"}, {"165D662", "1664FEA"},
                            {"5D0A380DC40EDE5E036FA051FC6D7F93", "3277FD425328576569AFB2EAC6B1430578099CA8ADA4BC73"}};
  for (auto& p : pairs) ASSERT_NO_FATAL_FAILURE(check_egcd(bn_hex(p[0]).get(), bn_hex(p[1]).get(), 256, ctx.get()));
}

TEST(ArithOther, IsProbablePrimeExactBelowSieve) {
  std::vector<bool> composite(70000, false);
  for (size_t i = 2; i < composite.size(); ++i)
    for (size_t j = i * i; j < composite.size(); j += i) composite[j] = true;
  Big v(64);
  for (int32_t x = -3; x < 70000; x += (x < 5000 ? 1 : 7)) {
    TEE_BigIntConvertFromS32(v, x);
    const int32_t want = x >= 2 && !composite[static_cast<size_t>(x)] ? 1 : 0;
    ASSERT_EQ(TEE_BigIntIsProbablePrime(v, 80), want) << x;
  }
}

TEST(ArithOther, IsProbablePrimeAgainstOpenSsl) {
  Rng rng(32);
  Ctx ctx(BN_CTX_new());
  // Odd numbers of many sizes: the verdicts agree with BN_check_prime.
  for (int i = 0; i < 600; ++i) {
    Bn a = rng.exact_bits(rng.size(i < 10 ? 1024 : 160));
    BN_set_bit(a.get(), 0);
    const int want = BN_check_prime(a.get(), ctx.get(), nullptr);
    Big v(1024, a.get());
    const int32_t got = TEE_BigIntIsProbablePrime(v, 80);
    ASSERT_EQ(got != 0, want == 1) << hex(a.get());
    if (BN_num_bits(a.get()) <= 64) ASSERT_NE(got, -1);  // exact below 2^64
  }
  // Generated primes, and their products.
  for (int bits : {40, 64, 65, 128, 512}) {
    Bn p = new_bn(), q = new_bn(), pq = new_bn();
    ASSERT_EQ(BN_generate_prime_ex2(p.get(), bits, 0, nullptr, nullptr, nullptr, ctx.get()), 1);
    ASSERT_EQ(BN_generate_prime_ex2(q.get(), bits, 0, nullptr, nullptr, nullptr, ctx.get()), 1);
    BN_mul(pq.get(), p.get(), q.get(), ctx.get());
    Big vp(1024, p.get()), vpq(1024, pq.get());
    const int32_t got = TEE_BigIntIsProbablePrime(vp, 100);
    if (bits <= 64)
      EXPECT_EQ(got, 1) << bits;
    else
      EXPECT_EQ(got, -1) << bits;
    EXPECT_EQ(TEE_BigIntIsProbablePrime(vpq, 100), 0) << bits;
    BN_set_negative(p.get(), 1);
    Big neg(1024, p.get());
    EXPECT_EQ(TEE_BigIntIsProbablePrime(neg, 80), 0);
  }
}

TEST(ArithOther, IsProbablePrimeRejectsPseudoprimes) {
  // Carmichael numbers and strong pseudoprimes to several small bases.
  // 561, 41041, 825265, 321197185 (Carmichael); 2047, 3215031751 (strong
  // pseudoprimes to 2, 3, 5, 7), 3825123056546413051 (to every base up to
  // 23), 318665857834031151167461 (to every base up to 37, above 2^64); and
  // xtest 4112 composites.
  for (const char* s : {"231", "A051", "C97B1", "13251481", "7FF", "BFA17DC7", "351591274F9AF9FB",
                        "437AE92817F9FC85B7E5", "136233FDE5569", "177B96388FD94D5D7EC9AE513",
                        "22770A7DC599BC90B2FF981CCB5CF05703344C8F3504189ED"}) {
    Big v(1024, bn_hex(s).get());
    EXPECT_EQ(TEE_BigIntIsProbablePrime(v, 80), 0) << s;
  }
  for (const char* s : {"2", "3", "FA1", "136A352B2C7A5", "22770A7DC599BC90B2FF981CCB5CF05703344C8F350418AAD"}) {
    Big v(1024, bn_hex(s).get());
    const int32_t got = TEE_BigIntIsProbablePrime(v, 200);
    EXPECT_TRUE(got == 1 || got == -1) << s;
  }
}

}  // namespace
}  // namespace swtee::ta::arith::test
