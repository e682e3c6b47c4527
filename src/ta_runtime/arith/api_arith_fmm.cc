// GP TEE Internal Core API, arithmetic: fast modular multiplication. An odd
// modulus gets real Montgomery arithmetic (fmm_context.h); an even one gets
// plain residues, so every modulus >= 2 is served and
// TEE_BigIntInitFMMContext1 never answers TEE_ERROR_NOT_SUPPORTED.
// TEE_BigIntFMM values must be below the modulus (they are when produced by
// ConvertToFMM/ComputeFMM); anything else panics.
#include <openssl/crypto.h>

#include "ta_runtime/arith/arith_call.h"
#include "ta_runtime/arith/fmm_context.h"
#include "tee_internal_api.h"

namespace swtee::ta::arith {
namespace {

// Scratch words, wiped on release (they hold operands).
class Words {
 public:
  Words(Call& c, size_t count) noexcept : bytes_(count * sizeof(uint32_t)) {
    p_ = static_cast<uint32_t*>(OPENSSL_zalloc(bytes_));
    if (p_ == nullptr) c.panic("out of memory in bignum arithmetic");
  }
  ~Words() { OPENSSL_clear_free(p_, bytes_); }
  Words(const Words&) = delete;
  Words& operator=(const Words&) = delete;
  uint32_t* get() const noexcept { return p_; }

 private:
  size_t bytes_;
  uint32_t* p_ = nullptr;
};

size_t context_size_in_u32(size_t bits) noexcept {
  if (bits > kMaxMagnitudeWords * 32)
    arith_panic(ArithFn::kFmmContextSizeInU32, "TEE_BigIntFMMContextSizeInU32", "modulus size above 32768 bits");
  return fmm_context_words(bits);
}

void init_context(TEE_BigIntFMMContext* context, size_t len, const TEE_BigInt* modulus) noexcept {
  Call c(ArithFn::kInitFmmContext, "TEE_BigIntInitFMMContext");
  const BIGNUM* m = c.load_modulus(modulus);
  fmm_context_init(c, context, len, m);
}

// An FMM operand: a value in [0, n), as `s` words in `out`.
void load_residue(Call& c, const TEE_BigIntFMM* v, const BIGNUM* n, size_t s, uint32_t* out) noexcept {
  const BIGNUM* x = c.load(v);
  c.require(!BN_is_negative(x) && BN_cmp(x, n) < 0, "FMM operand not reduced modulo n");
  const int bytes = static_cast<int>(s * sizeof(uint32_t));
  if (BN_bn2lebinpad(x, reinterpret_cast<unsigned char*>(out), bytes) != bytes) c.panic("internal: export failed");
}

void store_words(Call& c, TEE_BigInt* dest, const uint32_t* words, size_t s) noexcept {
  BIGNUM* r = c.bn();
  if (BN_lebin2bn(reinterpret_cast<const unsigned char*>(words), static_cast<int>(s * sizeof(uint32_t)), r) ==
      nullptr)
    c.panic("out of memory in bignum arithmetic");
  c.store(dest, r);
}

void to_fmm(TEE_BigIntFMM* dest, const TEE_BigInt* src, const TEE_BigInt* n,
            const TEE_BigIntFMMContext* context) noexcept {
  Call c(ArithFn::kConvertToFmm, "TEE_BigIntConvertToFMM");
  const BIGNUM* x = c.load(src);
  const BIGNUM* m = c.load_modulus(n);
  const FmmView v = fmm_context_for(c, context, m);
  (void)c.header(dest);
  BIGNUM* reduced = c.bn();
  c.check(BN_nnmod(reduced, x, m, c.ctx()));
  switch (v.header.mode) {
    case FmmMode::kPlain:
      c.store(dest, reduced);
      return;
    case FmmMode::kMontgomery: {
      const size_t s = v.header.words;
      Words w(c, 2 * s + 2);
      const int bytes = static_cast<int>(s * sizeof(uint32_t));
      if (BN_bn2lebinpad(reduced, reinterpret_cast<unsigned char*>(w.get()), bytes) != bytes)
        c.panic("internal: export failed");
      // x * R^2 * R^-1 = x * R (mod n).
      montgomery_mul(w.get(), w.get(), v.r2, v.modulus, v.header.n0_inv, s, w.get() + s);
      store_words(c, dest, w.get(), s);
      return;
    }
  }
}

void from_fmm(TEE_BigInt* dest, const TEE_BigIntFMM* src, const TEE_BigInt* n,
              const TEE_BigIntFMMContext* context) noexcept {
  Call c(ArithFn::kConvertFromFmm, "TEE_BigIntConvertFromFMM");
  const BIGNUM* m = c.load_modulus(n);
  const FmmView v = fmm_context_for(c, context, m);
  (void)c.header(dest);
  const size_t s = v.header.words;
  Words w(c, 3 * s + 2);
  uint32_t* x = w.get();
  uint32_t* one = x + s;
  load_residue(c, src, m, s, x);
  switch (v.header.mode) {
    case FmmMode::kPlain:
      break;
    case FmmMode::kMontgomery:
      // xR * 1 * R^-1 = x (mod n).
      one[0] = 1;
      montgomery_mul(x, x, one, v.modulus, v.header.n0_inv, s, one + s);
      break;
  }
  store_words(c, dest, x, s);
}

void compute_fmm(TEE_BigIntFMM* dest, const TEE_BigIntFMM* op1, const TEE_BigIntFMM* op2, const TEE_BigInt* n,
                 const TEE_BigIntFMMContext* context) noexcept {
  Call c(ArithFn::kComputeFmm, "TEE_BigIntComputeFMM");
  const BIGNUM* m = c.load_modulus(n);
  const FmmView v = fmm_context_for(c, context, m);
  (void)c.header(dest);
  const size_t s = v.header.words;
  Words w(c, 3 * s + 2);
  uint32_t* a = w.get();
  uint32_t* b = a + s;
  load_residue(c, op1, m, s, a);
  load_residue(c, op2, m, s, b);
  switch (v.header.mode) {
    case FmmMode::kPlain: {
      BIGNUM* x = c.load(op1);
      c.check(BN_mod_mul(x, x, c.load(op2), m, c.ctx()));
      c.store(dest, x);
      return;
    }
    case FmmMode::kMontgomery:
      montgomery_mul(a, a, b, v.modulus, v.header.n0_inv, s, b + s);
      store_words(c, dest, a, s);
      return;
  }
}

}  // namespace
}  // namespace swtee::ta::arith

namespace arith = swtee::ta::arith;

extern "C" {

size_t TEE_BigIntFMMContextSizeInU32(size_t modulusSizeInBits) {
  return arith::context_size_in_u32(modulusSizeInBits);
}

uint32_t __GP11_TEE_BigIntFMMContextSizeInU32(uint32_t modulusSizeInBits) {
  return static_cast<uint32_t>(arith::context_size_in_u32(modulusSizeInBits));
}

void TEE_BigIntInitFMMContext(TEE_BigIntFMMContext* context, size_t len, const TEE_BigInt* modulus) {
  arith::init_context(context, len, modulus);
}

void __GP11_TEE_BigIntInitFMMContext(TEE_BigIntFMMContext* context, uint32_t len, const TEE_BigInt* modulus) {
  arith::init_context(context, len, modulus);
}

TEE_Result TEE_BigIntInitFMMContext1(TEE_BigIntFMMContext* context, size_t len, const TEE_BigInt* modulus) {
  arith::init_context(context, len, modulus);
  return TEE_SUCCESS;
}

void TEE_BigIntConvertToFMM(TEE_BigIntFMM* dest, const TEE_BigInt* src, const TEE_BigInt* n,
                            const TEE_BigIntFMMContext* context) {
  arith::to_fmm(dest, src, n, context);
}

void TEE_BigIntConvertFromFMM(TEE_BigInt* dest, const TEE_BigIntFMM* src, const TEE_BigInt* n,
                              const TEE_BigIntFMMContext* context) {
  arith::from_fmm(dest, src, n, context);
}

void TEE_BigIntComputeFMM(TEE_BigIntFMM* dest, const TEE_BigIntFMM* op1, const TEE_BigIntFMM* op2,
                          const TEE_BigInt* n, const TEE_BigIntFMMContext* context) {
  arith::compute_fmm(dest, op1, op2, n, context);
}

}  // extern "C"
