// The TEE_BigIntFMMContext (layout in bigint_layout.h) and the Montgomery
// product behind TEE_BigIntComputeFMM.
#pragma once

#include <openssl/bn.h>

#include <cstddef>
#include <cstdint>

#include "ta_runtime/arith/arith_call.h"
#include "ta_runtime/arith/bigint_layout.h"
#include "tee_api_types.h"

namespace swtee::ta::arith {

// A validated context, pointing into the TA's array.
struct FmmView {
  FmmContextHeader header;
  const uint32_t* modulus;  // header.words words
  const uint32_t* r2;       // R^2 mod n, header.words words (Montgomery)
};

// Fills `context` (len words) for `modulus` (>= 2). Panics when len is short.
void fmm_context_init(Call& c, TEE_BigIntFMMContext* context, size_t len, const BIGNUM* modulus) noexcept;

// Validates `context`, and that it was made for `modulus` when given.
FmmView fmm_context_for(Call& c, const TEE_BigIntFMMContext* context, const BIGNUM* modulus) noexcept;

// -n0^-1 mod 2^32 for odd n0.
uint32_t montgomery_n0_inv(uint32_t n0) noexcept;

// out = a * b * R^-1 mod n, R = 2^(32 s), for a, b < n and n odd, all s
// words. `t` is scratch of s + 2 words. Constant time in a, b. out may
// alias a or b.
void montgomery_mul(uint32_t* out, const uint32_t* a, const uint32_t* b, const uint32_t* n, uint32_t n0_inv,
                    size_t s, uint32_t* t) noexcept;

}  // namespace swtee::ta::arith
