#include "ta_runtime/arith/arith_call.h"

#include <cstring>

#include "ta_runtime/runtime_state.h"
#include "tee_internal_api.h"

namespace swtee::ta::arith {

void arith_panic(ArithFn fn, const char* func, const char* why) noexcept {
  swtee_trace_printf(TRACE_ERROR, nullptr, 0, "TA %s E %s: %s\n", runtime().uuid_str, func, why);
  TEE_Panic(static_cast<TEE_Result>(fn));
}

BIGNUM* Call::bn() noexcept {
  // Bounded by the functions of this directory, not by input.
  if (used_ == kMaxScratch) panic("internal: scratch bignums exhausted");
  BIGNUM* b = BN_new();
  if (b == nullptr) panic("out of memory in bignum arithmetic");
  scratch_[used_++].reset(b);
  return b;
}

BN_CTX* Call::ctx() noexcept {
  if (!ctx_) {
    ctx_.reset(BN_CTX_new());
    if (!ctx_) panic("out of memory in bignum arithmetic");
  }
  return ctx_.get();
}

BigIntHeader Call::header(const TEE_BigInt* v) const noexcept {
  if (v == nullptr) panic("NULL bignum");
  BigIntHeader h;
  std::memcpy(&h, v, sizeof(h));
  const bool valid = (h.sign == 1 || (h.sign == -1 && h.used_words != 0)) &&
                     h.alloc_words <= kMaxMagnitudeWords && h.used_words <= h.alloc_words;
  if (!valid) panic("not a bignum initialized by TEE_BigIntInit");
  return h;
}

BIGNUM* Call::load(const TEE_BigInt* v) noexcept {
  const BigIntHeader h = header(v);
  BIGNUM* b = bn();
  const auto* bytes = reinterpret_cast<const unsigned char*>(magnitude(v));
  if (BN_lebin2bn(bytes, static_cast<int>(h.used_words * sizeof(uint32_t)), b) == nullptr)
    panic("out of memory in bignum arithmetic");
  BN_set_negative(b, h.sign < 0 ? 1 : 0);
  return b;
}

bool Call::fits(const TEE_BigInt* dest, const BIGNUM* value) const noexcept {
  const BigIntHeader h = header(dest);
  const size_t words = (static_cast<size_t>(BN_num_bits(value)) + 31) / 32;
  return words <= h.alloc_words;
}

bool Call::try_store(TEE_BigInt* dest, const BIGNUM* value) const noexcept {
  BigIntHeader h = header(dest);
  const size_t words = (static_cast<size_t>(BN_num_bits(value)) + 31) / 32;
  if (words > h.alloc_words) return false;
  // Writes every capacity word: the stale tail never keeps old secrets.
  auto* bytes = reinterpret_cast<unsigned char*>(magnitude(dest));
  const int cap_bytes = static_cast<int>(h.alloc_words * sizeof(uint32_t));
  if (BN_bn2lebinpad(value, bytes, cap_bytes) != cap_bytes) panic("internal: bignum export failed");
  h.used_words = static_cast<uint16_t>(words);
  h.sign = (words != 0 && BN_is_negative(value)) ? -1 : 1;
  std::memcpy(dest, &h, sizeof(h));
  return true;
}

void Call::store(TEE_BigInt* dest, const BIGNUM* value) const noexcept {
  if (!try_store(dest, value)) panic("destination bignum too small for the result");
}

BIGNUM* Call::load_modulus(const TEE_BigInt* n) noexcept {
  BIGNUM* m = load(n);
  if (BN_is_negative(m) || BN_num_bits(m) < 2) panic("modulus must be at least 2");
  return m;
}

}  // namespace swtee::ta::arith
