// GP TEE Internal Core API, arithmetic: modular reduction, add, subtract,
// multiply, square, inverse and exponentiation. Results lie in [0, n).
// Operands of any sign and size are accepted and reduced first. A modulus
// below 2 panics (GP).
#include "ta_runtime/arith/arith_call.h"
#include "ta_runtime/arith/fmm_context.h"
#include "tee_internal_api.h"

namespace swtee::ta::arith {
namespace {

enum class ModOp { kAdd, kSub, kMul };

void mod(TEE_BigInt* dest, const TEE_BigInt* op, const TEE_BigInt* n) noexcept {
  Call c(ArithFn::kMod, "TEE_BigIntMod");
  const BIGNUM* a = c.load(op);
  const BIGNUM* m = c.load_modulus(n);
  BIGNUM* r = c.bn();
  c.check(BN_nnmod(r, a, m, c.ctx()));
  c.store(dest, r);
}

void binary_mod(ArithFn fn, const char* func, ModOp op, TEE_BigInt* dest, const TEE_BigInt* op1,
                const TEE_BigInt* op2, const TEE_BigInt* n) noexcept {
  Call c(fn, func);
  const BIGNUM* a = c.load(op1);
  const BIGNUM* b = c.load(op2);
  const BIGNUM* m = c.load_modulus(n);
  BIGNUM* r = c.bn();
  switch (op) {
    case ModOp::kAdd:
      c.check(BN_mod_add(r, a, b, m, c.ctx()));
      break;
    case ModOp::kSub:
      c.check(BN_mod_sub(r, a, b, m, c.ctx()));
      break;
    case ModOp::kMul:
      c.check(BN_mod_mul(r, a, b, m, c.ctx()));
      break;
  }
  c.store(dest, r);
}

void square_mod(TEE_BigInt* dest, const TEE_BigInt* op, const TEE_BigInt* n) noexcept {
  Call c(ArithFn::kSquareMod, "TEE_BigIntSquareMod");
  const BIGNUM* a = c.load(op);
  const BIGNUM* m = c.load_modulus(n);
  BIGNUM* r = c.bn();
  c.check(BN_mod_sqr(r, a, m, c.ctx()));
  c.store(dest, r);
}

// Panics when op has no inverse modulo n (op = 0 included), as GP says.
// Runs OpenSSL's branch-free inversion: op may be a secret.
void inv_mod(TEE_BigInt* dest, const TEE_BigInt* op, const TEE_BigInt* n) noexcept {
  Call c(ArithFn::kInvMod, "TEE_BigIntInvMod");
  BIGNUM* a = c.load(op);
  BIGNUM* m = c.load_modulus(n);
  c.require(!BN_is_zero(a), "inverse of zero");
  BN_set_flags(a, BN_FLG_CONSTTIME);
  BN_set_flags(m, BN_FLG_CONSTTIME);
  BIGNUM* r = c.bn();
  if (BN_mod_inverse(r, a, m, c.ctx()) == nullptr) {
    // The only failure other than memory: gcd(op, n) != 1.
    c.panic("operand not invertible modulo n");
  }
  c.store(dest, r);
}

// dest = op1^op2 mod n in constant time in the exponent and base. GP lets an
// implementation refuse a modulus: an even one is TEE_ERROR_NOT_SUPPORTED
// (Montgomery only, as OP-TEE), dest unchanged. A negative exponent panics.
TEE_Result exp_mod(TEE_BigInt* dest, const TEE_BigInt* op1, const TEE_BigInt* op2, const TEE_BigInt* n,
                   const TEE_BigIntFMMContext* context) noexcept {
  Call c(ArithFn::kExpMod, "TEE_BigIntExpMod");
  BIGNUM* base = c.load(op1);
  BIGNUM* exponent = c.load(op2);
  BIGNUM* m = c.load_modulus(n);
  (void)c.header(dest);
  c.require(!BN_is_negative(exponent), "negative exponent");
  if (context != nullptr) (void)fmm_context_for(c, context, m);
  if (!BN_is_odd(m)) return TEE_ERROR_NOT_SUPPORTED;
  BIGNUM* reduced = c.bn();
  c.check(BN_nnmod(reduced, base, m, c.ctx()));
  BN_set_flags(reduced, BN_FLG_CONSTTIME);
  BN_set_flags(exponent, BN_FLG_CONSTTIME);
  BIGNUM* r = c.bn();
  c.check(BN_mod_exp_mont_consttime(r, reduced, exponent, m, c.ctx(), nullptr));
  c.store(dest, r);
  return TEE_SUCCESS;
}

}  // namespace
}  // namespace swtee::ta::arith

namespace arith = swtee::ta::arith;
using arith::ArithFn;
using arith::ModOp;

extern "C" {

void TEE_BigIntMod(TEE_BigInt* dest, const TEE_BigInt* op, const TEE_BigInt* n) { arith::mod(dest, op, n); }

void TEE_BigIntAddMod(TEE_BigInt* dest, const TEE_BigInt* op1, const TEE_BigInt* op2, const TEE_BigInt* n) {
  arith::binary_mod(ArithFn::kAddMod, __func__, ModOp::kAdd, dest, op1, op2, n);
}

void TEE_BigIntSubMod(TEE_BigInt* dest, const TEE_BigInt* op1, const TEE_BigInt* op2, const TEE_BigInt* n) {
  arith::binary_mod(ArithFn::kSubMod, __func__, ModOp::kSub, dest, op1, op2, n);
}

void TEE_BigIntMulMod(TEE_BigInt* dest, const TEE_BigInt* op1, const TEE_BigInt* op2, const TEE_BigInt* n) {
  arith::binary_mod(ArithFn::kMulMod, __func__, ModOp::kMul, dest, op1, op2, n);
}

void TEE_BigIntSquareMod(TEE_BigInt* dest, const TEE_BigInt* op, const TEE_BigInt* n) {
  arith::square_mod(dest, op, n);
}

void TEE_BigIntInvMod(TEE_BigInt* dest, const TEE_BigInt* op, const TEE_BigInt* n) {
  arith::inv_mod(dest, op, n);
}

TEE_Result TEE_BigIntExpMod(TEE_BigInt* dest, const TEE_BigInt* op1, const TEE_BigInt* op2, const TEE_BigInt* n,
                            const TEE_BigIntFMMContext* context) {
  return arith::exp_mod(dest, op1, op2, n, context);
}

}  // extern "C"
