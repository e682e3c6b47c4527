#include "ta_runtime/arith/fmm_context.h"

#include <cstring>

namespace swtee::ta::arith {

uint32_t montgomery_n0_inv(uint32_t n0) noexcept {
  // Newton's iteration doubles the correct low bits: 3 (n0 * n0 = 1 mod 8
  // for odd n0), 6, 12, 24, 48.
  uint32_t inv = n0;
  for (int i = 0; i < 4; ++i) inv *= 2u - n0 * inv;
  return 0u - inv;
}

void montgomery_mul(uint32_t* out, const uint32_t* a, const uint32_t* b, const uint32_t* n, uint32_t n0_inv,
                    size_t s, uint32_t* t) noexcept {
  // CIOS (coarsely integrated operand scanning): t stays below 2n.
  std::memset(t, 0, (s + 2) * sizeof(uint32_t));
  for (size_t i = 0; i < s; ++i) {
    uint64_t carry = 0;
    for (size_t j = 0; j < s; ++j) {
      const uint64_t x = static_cast<uint64_t>(a[j]) * b[i] + t[j] + carry;
      t[j] = static_cast<uint32_t>(x);
      carry = x >> 32;
    }
    uint64_t x = static_cast<uint64_t>(t[s]) + carry;
    t[s] = static_cast<uint32_t>(x);
    t[s + 1] = static_cast<uint32_t>(x >> 32);

    const uint32_t m = t[0] * n0_inv;
    x = static_cast<uint64_t>(m) * n[0] + t[0];
    carry = x >> 32;
    for (size_t j = 1; j < s; ++j) {
      x = static_cast<uint64_t>(m) * n[j] + t[j] + carry;
      t[j - 1] = static_cast<uint32_t>(x);
      carry = x >> 32;
    }
    x = static_cast<uint64_t>(t[s]) + carry;
    t[s - 1] = static_cast<uint32_t>(x);
    t[s] = t[s + 1] + static_cast<uint32_t>(x >> 32);
  }
  // out = t - n when t >= n, else t; selected with a mask, not a branch.
  uint64_t borrow = 0;
  for (size_t j = 0; j < s; ++j) {
    const uint64_t x = static_cast<uint64_t>(t[j]) - n[j] - borrow;
    out[j] = static_cast<uint32_t>(x);
    borrow = x >> 63;
  }
  const uint32_t take_difference = (t[s] | static_cast<uint32_t>(borrow ^ 1u)) & 1u;
  const uint32_t mask = 0u - take_difference;
  for (size_t j = 0; j < s; ++j) out[j] = (out[j] & mask) | (t[j] & ~mask);
}

void fmm_context_init(Call& c, TEE_BigIntFMMContext* context, size_t len, const BIGNUM* modulus) noexcept {
  c.require(context != nullptr, "NULL context");
  const size_t bits = static_cast<size_t>(BN_num_bits(modulus));
  c.require(bits <= kMaxMagnitudeWords * 32, "modulus above 32768 bits");
  const size_t s = words_for_bits(bits);
  c.require(len >= fmm_context_words(bits), "context smaller than TEE_BigIntFMMContextSizeInU32(modulus bits)");

  uint32_t* mod_words = context + kFmmContextHeaderWords;
  uint32_t* r2_words = mod_words + s;
  std::memset(context, 0, len * sizeof(uint32_t));
  const int bytes = static_cast<int>(s * sizeof(uint32_t));
  if (BN_bn2lebinpad(modulus, reinterpret_cast<unsigned char*>(mod_words), bytes) != bytes)
    c.panic("internal: modulus export failed");

  FmmContextHeader h{kFmmContextMagic, static_cast<uint16_t>(s), FmmMode::kPlain, 0,
                     static_cast<uint32_t>(len)};
  if (BN_is_odd(modulus)) {
    h.mode = FmmMode::kMontgomery;
    h.n0_inv = montgomery_n0_inv(mod_words[0]);
    BIGNUM* r2 = c.bn();
    c.check(BN_set_bit(r2, static_cast<int>(64 * s)));
    c.check(BN_nnmod(r2, r2, modulus, c.ctx()));
    if (BN_bn2lebinpad(r2, reinterpret_cast<unsigned char*>(r2_words), bytes) != bytes)
      c.panic("internal: R^2 export failed");
  }
  std::memcpy(context, &h, sizeof(h));
}

FmmView fmm_context_for(Call& c, const TEE_BigIntFMMContext* context, const BIGNUM* modulus) noexcept {
  c.require(context != nullptr, "NULL context");
  FmmView v{};
  std::memcpy(&v.header, context, sizeof(v.header));
  const FmmContextHeader& h = v.header;
  const bool mode_ok = h.mode == FmmMode::kPlain || h.mode == FmmMode::kMontgomery;
  const bool valid = h.magic == kFmmContextMagic && mode_ok && h.words >= 1 && h.words <= kMaxMagnitudeWords &&
                     h.len_words >= kFmmContextHeaderWords + 2u * h.words;
  c.require(valid, "not a context initialized by TEE_BigIntInitFMMContext");
  v.modulus = context + kFmmContextHeaderWords;
  v.r2 = v.modulus + h.words;
  if (modulus != nullptr) {
    BIGNUM* own = c.bn();
    if (BN_lebin2bn(reinterpret_cast<const unsigned char*>(v.modulus),
                    static_cast<int>(h.words * sizeof(uint32_t)), own) == nullptr)
      c.panic("out of memory in bignum arithmetic");
    c.require(BN_cmp(own, modulus) == 0, "modulus differs from the context's");
  }
  return v;
}

}  // namespace swtee::ta::arith
