// Primality test behind TEE_BigIntIsProbablePrime.
#pragma once

#include <openssl/bn.h>

#include <cstdint>

#include "ta_runtime/arith/arith_call.h"

namespace swtee::ta::arith {

// GP's answer for n: 0 when n is composite (or below 2, or negative), 1 when
// n is proven prime (trial division below 2^22, deterministic Miller-Rabin
// below 2^64), -1 when n passed ceil(level / 2) Miller-Rabin rounds with
// random bases, an error probability of at most 2^-level. `confidence` is
// raised to GP's minimum of 80 and capped at 256 (128 rounds), which bounds
// the cost of one call.
int32_t probable_prime(Call& c, const BIGNUM* n, uint32_t confidence) noexcept;

inline constexpr uint32_t kMinConfidence = 80;
inline constexpr uint32_t kMaxConfidence = 256;

}  // namespace swtee::ta::arith
