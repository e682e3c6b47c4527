// GP TEE Internal Core API, arithmetic: relative primality, extended GCD and
// the probabilistic primality test.
#include "ta_runtime/arith/arith_call.h"
#include "ta_runtime/arith/primality.h"
#include "tee_internal_api.h"

namespace swtee::ta::arith {
namespace {

bool relative_prime(const TEE_BigInt* op1, const TEE_BigInt* op2) noexcept {
  Call c(ArithFn::kRelativePrime, "TEE_BigIntRelativePrime");
  const BIGNUM* a = c.load(op1);
  const BIGNUM* b = c.load(op2);
  BIGNUM* g = c.bn();
  c.check(BN_gcd(g, a, b, c.ctx()));
  return BN_is_one(g);
}

// gcd = |gcd(op1, op2)| = u * op1 + v * op2, by the extended Euclidean
// algorithm on |op1|, |op2|, which keeps |u| <= |op2| / gcd and
// |v| <= |op1| / gcd (so u and v fit where op2 and op1 fit). gcd(0, 0) = 0
// with u = 1, v = 0. u and v may be NULL.
void extended_gcd(TEE_BigInt* gcd, TEE_BigInt* u, TEE_BigInt* v, const TEE_BigInt* op1,
                  const TEE_BigInt* op2) noexcept {
  Call c(ArithFn::kComputeExtendedGcd, "TEE_BigIntComputeExtendedGcd");
  const BIGNUM* a = c.load(op1);
  const BIGNUM* b = c.load(op2);
  c.require(gcd != nullptr, "NULL gcd");
  c.require(gcd != u && gcd != v && (u == nullptr || u != v), "results share a bignum");

  BIGNUM* r0 = c.bn();
  BIGNUM* r1 = c.bn();
  BIGNUM* s0 = c.bn();
  BIGNUM* s1 = c.bn();
  BIGNUM* t0 = c.bn();
  BIGNUM* t1 = c.bn();
  BIGNUM* q = c.bn();
  BIGNUM* rem = c.bn();
  BIGNUM* tmp = c.bn();
  if (BN_copy(r0, a) == nullptr || BN_copy(r1, b) == nullptr) c.panic("out of memory in bignum arithmetic");
  BN_set_negative(r0, 0);
  BN_set_negative(r1, 0);
  c.check(BN_one(s0));
  BN_zero(s1);
  BN_zero(t0);
  c.check(BN_one(t1));
  // Invariant: r0 = s0 |a| + t0 |b|, r1 = s1 |a| + t1 |b|.
  while (!BN_is_zero(r1)) {
    c.check(BN_div(q, rem, r0, r1, c.ctx()));
    BN_swap(r0, r1);
    BN_swap(r1, rem);  // r0 <- r1, r1 <- r0 mod r1
    c.check(BN_mul(tmp, q, s1, c.ctx()));
    c.check(BN_sub(tmp, s0, tmp));
    BN_swap(s0, s1);
    BN_swap(s1, tmp);  // s0 <- s1, s1 <- s0 - q s1
    c.check(BN_mul(tmp, q, t1, c.ctx()));
    c.check(BN_sub(tmp, t0, tmp));
    BN_swap(t0, t1);
    BN_swap(t1, tmp);
  }
  // Back to the signed operands: u a + v b = s0 |a| + t0 |b|.
  if (BN_is_negative(a)) BN_set_negative(s0, !BN_is_negative(s0));
  if (BN_is_negative(b)) BN_set_negative(t0, !BN_is_negative(t0));

  c.require(c.fits(gcd, r0), "destination bignum too small for gcd");
  if (u != nullptr) c.require(c.fits(u, s0), "destination bignum too small for u");
  if (v != nullptr) c.require(c.fits(v, t0), "destination bignum too small for v");
  c.store(gcd, r0);
  if (u != nullptr) c.store(u, s0);
  if (v != nullptr) c.store(v, t0);
}

int32_t is_probable_prime(const TEE_BigInt* op, uint32_t confidence) noexcept {
  Call c(ArithFn::kIsProbablePrime, "TEE_BigIntIsProbablePrime");
  return probable_prime(c, c.load(op), confidence);
}

}  // namespace
}  // namespace swtee::ta::arith

namespace arith = swtee::ta::arith;

extern "C" {

bool TEE_BigIntRelativePrime(const TEE_BigInt* op1, const TEE_BigInt* op2) {
  return arith::relative_prime(op1, op2);
}

void TEE_BigIntComputeExtendedGcd(TEE_BigInt* gcd, TEE_BigInt* u, TEE_BigInt* v, const TEE_BigInt* op1,
                                  const TEE_BigInt* op2) {
  arith::extended_gcd(gcd, u, v, op1, op2);
}

int32_t TEE_BigIntIsProbablePrime(const TEE_BigInt* op, uint32_t confidenceLevel) {
  return arith::is_probable_prime(op, confidenceLevel);
}

}  // extern "C"
