// GP TEE Internal Core API, arithmetic: comparison, bit access, shift,
// assignment and absolute value. Bit functions work on the magnitude |x|
// and keep the sign (a zero result is positive).
#include <cstring>

#include "ta_runtime/arith/arith_call.h"
#include "tee_internal_api.h"

namespace swtee::ta::arith {
namespace {

int32_t sign_of(int v) noexcept { return v < 0 ? -1 : (v > 0 ? 1 : 0); }

int32_t cmp(const TEE_BigInt* op1, const TEE_BigInt* op2) noexcept {
  Call c(ArithFn::kCmp, "TEE_BigIntCmp");
  const BIGNUM* a = c.load(op1);
  const BIGNUM* b = c.load(op2);
  return sign_of(BN_cmp(a, b));
}

int32_t cmp_s32(const TEE_BigInt* op, int32_t short_val) noexcept {
  Call c(ArithFn::kCmpS32, "TEE_BigIntCmpS32");
  const BIGNUM* a = c.load(op);
  BIGNUM* b = c.bn();
  const uint32_t mag = short_val < 0 ? 0u - static_cast<uint32_t>(short_val) : static_cast<uint32_t>(short_val);
  c.check(BN_set_word(b, mag));
  BN_set_negative(b, short_val < 0 ? 1 : 0);
  return sign_of(BN_cmp(a, b));
}

void shift_right(TEE_BigInt* dest, const TEE_BigInt* op, size_t bits) noexcept {
  Call c(ArithFn::kShiftRight, "TEE_BigIntShiftRight");
  BIGNUM* v = c.load(op);
  (void)c.header(dest);
  if (bits >= static_cast<size_t>(BN_num_bits(v))) {
    BN_zero(v);
  } else {
    const int negative = BN_is_negative(v);
    BN_set_negative(v, 0);
    c.check(BN_rshift(v, v, static_cast<int>(bits)));
    BN_set_negative(v, negative);
  }
  c.store(dest, v);
}

bool get_bit(const TEE_BigInt* src, uint32_t index) noexcept {
  Call c(ArithFn::kGetBit, "TEE_BigIntGetBit");
  const BigIntHeader h = c.header(src);
  if (index / 32 >= h.used_words) return false;
  return ((magnitude(src)[index / 32] >> (index % 32)) & 1u) != 0;
}

uint32_t get_bit_count(const TEE_BigInt* src) noexcept {
  Call c(ArithFn::kGetBitCount, "TEE_BigIntGetBitCount");
  return static_cast<uint32_t>(BN_num_bits(c.load(src)));
}

// GP: TEE_ERROR_OVERFLOW when bitIndex is beyond op's capacity.
TEE_Result set_bit(TEE_BigInt* op, uint32_t index, bool value) noexcept {
  Call c(ArithFn::kSetBit, "TEE_BigIntSetBit");
  const BigIntHeader h = c.header(op);
  if (index / 32 >= h.alloc_words) return TEE_ERROR_OVERFLOW;
  BIGNUM* v = c.load(op);
  const int negative = BN_is_negative(v);
  BN_set_negative(v, 0);
  if (value)
    c.check(BN_set_bit(v, static_cast<int>(index)));
  else if (BN_is_bit_set(v, static_cast<int>(index)))
    c.check(BN_clear_bit(v, static_cast<int>(index)));
  BN_set_negative(v, negative);
  c.store(op, v);
  return TEE_SUCCESS;
}

// Copies words directly: the sign is forced positive when `absolute`.
TEE_Result assign(ArithFn fn, const char* func, TEE_BigInt* dest, const TEE_BigInt* src,
                  bool absolute) noexcept {
  Call c(fn, func);
  const BigIntHeader s = c.header(src);
  BigIntHeader d = c.header(dest);
  if (s.used_words > d.alloc_words) return TEE_ERROR_OVERFLOW;
  if (dest != src) {
    std::memmove(magnitude(dest), magnitude(src), s.used_words * sizeof(uint32_t));
    std::memset(magnitude(dest) + s.used_words, 0, (d.alloc_words - s.used_words) * sizeof(uint32_t));
  }
  d.used_words = s.used_words;
  d.sign = absolute ? 1 : s.sign;
  std::memcpy(dest, &d, sizeof(d));
  return TEE_SUCCESS;
}

}  // namespace
}  // namespace swtee::ta::arith

namespace arith = swtee::ta::arith;

extern "C" {

int32_t TEE_BigIntCmp(const TEE_BigInt* op1, const TEE_BigInt* op2) { return arith::cmp(op1, op2); }

int32_t TEE_BigIntCmpS32(const TEE_BigInt* op, int32_t shortVal) { return arith::cmp_s32(op, shortVal); }

void TEE_BigIntShiftRight(TEE_BigInt* dest, const TEE_BigInt* op, size_t bits) {
  arith::shift_right(dest, op, bits);
}

void __GP11_TEE_BigIntShiftRight(TEE_BigInt* dest, const TEE_BigInt* op, uint32_t bits) {
  arith::shift_right(dest, op, bits);
}

bool TEE_BigIntGetBit(const TEE_BigInt* src, uint32_t bitIndex) { return arith::get_bit(src, bitIndex); }

uint32_t TEE_BigIntGetBitCount(const TEE_BigInt* src) { return arith::get_bit_count(src); }

TEE_Result TEE_BigIntSetBit(TEE_BigInt* op, uint32_t bitIndex, bool value) {
  return arith::set_bit(op, bitIndex, value);
}

TEE_Result TEE_BigIntAssign(TEE_BigInt* dest, const TEE_BigInt* src) {
  return arith::assign(arith::ArithFn::kAssign, __func__, dest, src, false);
}

TEE_Result TEE_BigIntAbs(TEE_BigInt* dest, const TEE_BigInt* src) {
  return arith::assign(arith::ArithFn::kAbs, __func__, dest, src, true);
}

}  // extern "C"
