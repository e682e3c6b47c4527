// GP TEE Internal Core API, arithmetic: add, subtract, negate, multiply,
// square and divide. A result wider than its destination panics (GP).
#include "ta_runtime/arith/arith_call.h"
#include "tee_internal_api.h"

namespace swtee::ta::arith {
namespace {

enum class BinaryOp { kAdd, kSub, kMul };

void binary(ArithFn fn, const char* func, BinaryOp op, TEE_BigInt* dest, const TEE_BigInt* op1,
            const TEE_BigInt* op2) noexcept {
  Call c(fn, func);
  const BIGNUM* a = c.load(op1);
  const BIGNUM* b = c.load(op2);
  BIGNUM* r = c.bn();
  switch (op) {
    case BinaryOp::kAdd:
      c.check(BN_add(r, a, b));
      break;
    case BinaryOp::kSub:
      c.check(BN_sub(r, a, b));
      break;
    case BinaryOp::kMul:
      c.check(BN_mul(r, a, b, c.ctx()));
      break;
  }
  c.store(dest, r);
}

void neg(TEE_BigInt* dest, const TEE_BigInt* op) noexcept {
  Call c(ArithFn::kNeg, "TEE_BigIntNeg");
  BIGNUM* v = c.load(op);
  BN_set_negative(v, BN_is_negative(v) ? 0 : 1);
  c.store(dest, v);
}

void square(TEE_BigInt* dest, const TEE_BigInt* op) noexcept {
  Call c(ArithFn::kSquare, "TEE_BigIntSquare");
  const BIGNUM* a = c.load(op);
  BIGNUM* r = c.bn();
  c.check(BN_sqr(r, a, c.ctx()));
  c.store(dest, r);
}

// Truncating division: q = op1 / op2 rounded toward zero, r = op1 - q * op2
// (the sign of op1). Either destination may be NULL, not both the same.
void div(TEE_BigInt* dest_q, TEE_BigInt* dest_r, const TEE_BigInt* op1, const TEE_BigInt* op2) noexcept {
  Call c(ArithFn::kDiv, "TEE_BigIntDiv");
  const BIGNUM* a = c.load(op1);
  const BIGNUM* b = c.load(op2);
  c.require(!BN_is_zero(b), "division by zero");
  c.require(dest_q == nullptr || dest_q != dest_r, "quotient and remainder share a bignum");
  BIGNUM* q = c.bn();
  BIGNUM* r = c.bn();
  c.check(BN_div(q, r, a, b, c.ctx()));
  // Both results are checked before either is written.
  if (dest_q != nullptr) c.require(c.fits(dest_q, q), "destination bignum too small for the quotient");
  if (dest_r != nullptr) c.require(c.fits(dest_r, r), "destination bignum too small for the remainder");
  if (dest_q != nullptr) c.store(dest_q, q);
  if (dest_r != nullptr) c.store(dest_r, r);
}

}  // namespace
}  // namespace swtee::ta::arith

namespace arith = swtee::ta::arith;
using arith::ArithFn;
using arith::BinaryOp;

extern "C" {

void TEE_BigIntAdd(TEE_BigInt* dest, const TEE_BigInt* op1, const TEE_BigInt* op2) {
  arith::binary(ArithFn::kAdd, __func__, BinaryOp::kAdd, dest, op1, op2);
}

void TEE_BigIntSub(TEE_BigInt* dest, const TEE_BigInt* op1, const TEE_BigInt* op2) {
  arith::binary(ArithFn::kSub, __func__, BinaryOp::kSub, dest, op1, op2);
}

void TEE_BigIntNeg(TEE_BigInt* dest, const TEE_BigInt* op) { arith::neg(dest, op); }

void TEE_BigIntMul(TEE_BigInt* dest, const TEE_BigInt* op1, const TEE_BigInt* op2) {
  arith::binary(ArithFn::kMul, __func__, BinaryOp::kMul, dest, op1, op2);
}

void TEE_BigIntSquare(TEE_BigInt* dest, const TEE_BigInt* op) { arith::square(dest, op); }

void TEE_BigIntDiv(TEE_BigInt* dest_q, TEE_BigInt* dest_r, const TEE_BigInt* op1, const TEE_BigInt* op2) {
  arith::div(dest_q, dest_r, op1, op2);
}

}  // extern "C"
