// Helpers for the TEE_BigInt tests: owned bignum buffers, conversion to and
// from OpenSSL BIGNUMs through the public API, and reproducible random
// operands.
#pragma once

#include <openssl/bn.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "tee_internal_api.h"

namespace swtee::ta::arith::test {

struct BnFree {
  void operator()(BIGNUM* b) const noexcept { BN_free(b); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;

struct CtxFree {
  void operator()(BN_CTX* c) const noexcept { BN_CTX_free(c); }
};
using Ctx = std::unique_ptr<BN_CTX, CtxFree>;

Bn new_bn();
Bn bn_hex(const char* hex);  // "-1F" style
Bn bn_dup(const BIGNUM* b);
Bn bn_word(int64_t v);
std::string hex(const BIGNUM* b);

// A TEE_BigInt of TEE_BigIntSizeInU32(bits) words, initialized.
class Big {
 public:
  explicit Big(size_t bits);
  Big(size_t bits, const BIGNUM* value);  // and set to value (must fit)
  TEE_BigInt* get() { return w_.data(); }
  const TEE_BigInt* get() const { return w_.data(); }
  operator TEE_BigInt*() { return w_.data(); }
  std::vector<uint32_t>& words() { return w_; }

 private:
  std::vector<uint32_t> w_;
};

// Value of a TEE_BigInt, read through TEE_BigIntConvertToOctetString and
// TEE_BigIntCmpS32.
Bn value(const TEE_BigInt* v);
std::string hex(const TEE_BigInt* v);
// Sets through TEE_BigIntConvertFromOctetString; returns its result.
TEE_Result set(TEE_BigInt* v, const BIGNUM* value);

// Deterministic operand source (fixed seed per test).
class Rng {
 public:
  explicit Rng(uint64_t seed) : g_(seed) {}
  uint64_t next() { return g_(); }
  size_t below(size_t n) { return static_cast<size_t>(g_() % n); }
  bool coin() { return (g_() & 1) != 0; }
  // Exactly `bits` bits (top bit set), random below; 0 for bits == 0.
  Bn exact_bits(size_t bits);
  // A value of at most `bits` bits drawn from random, all-ones, power of
  // two, zero and one shapes; negative with `signed_value` half the time.
  Bn operand(size_t max_bits, bool signed_value);
  // A bit size from 1 to max_bits, biased toward small sizes and word edges.
  size_t size(size_t max_bits);

 private:
  std::mt19937_64 g_;
};

// Sign combinations for two operands: (+,+), (+,-), (-,+), (-,-).
void apply_signs(BIGNUM* a, BIGNUM* b, int combo);

}  // namespace swtee::ta::arith::test
