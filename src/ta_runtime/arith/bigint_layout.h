// Memory layouts of the GP arithmetic types, which a TA allocates itself as
// uint32_t arrays sized with TEE_BigIntSizeInU32(), TEE_BigIntFMMSizeInU32()
// and TEE_BigIntFMMContextSizeInU32(), then hands to TEE_BigIntInit*().
//
// TEE_BigInt (and TEE_BigIntFMM, which shares it), TEE_BigIntSizeInU32(n)
// = ceil(n / 32) + 2 words:
//   word 0      int32  sign        +1 or -1; zero is always +1
//   word 1      uint16 alloc_words magnitude capacity in words (len - 2),
//                                  fixed by TEE_BigIntInit
//               uint16 used_words  significant magnitude words (0 for zero)
//   word 2...   magnitude, least significant word first; the words from
//               used_words to alloc_words are always zero
// This is OP-TEE's header (sign, alloc_size, nblimbs) with 32-bit limbs on
// every architecture, so the size macro is exact.
//
// TEE_BigIntFMMContext, TEE_BigIntFMMContextSizeInU32(n) = 4 + 2 * ceil(n / 32):
//   FmmContextHeader (4 words), then the modulus (words), then R^2 mod n
//   (words) with R = 2^(32 * words). An odd modulus gets the Montgomery
//   representation (x -> x * R mod n); an even one, which Montgomery cannot
//   serve, the plain residue (x -> x mod n). The context has no pointers, so
//   the TA may copy it.
//
// Host words are used as is: swtee runs on little-endian hosts only.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

namespace swtee::ta::arith {

static_assert(std::endian::native == std::endian::little, "TEE_BigInt words are little-endian");

struct BigIntHeader {
  int32_t sign;
  uint16_t alloc_words;
  uint16_t used_words;
};
static_assert(sizeof(BigIntHeader) == 8);
static_assert(offsetof(BigIntHeader, alloc_words) == 4);
static_assert(offsetof(BigIntHeader, used_words) == 6);

inline constexpr size_t kBigIntHeaderWords = sizeof(BigIntHeader) / sizeof(uint32_t);

// gpd.tee.arith.maxBigIntSize: the operand size the implementation promises.
inline constexpr size_t kMaxBigIntSizeBits = 4096;
// Largest capacity TEE_BigIntInit accepts: 8 x maxBigIntSize (as OP-TEE's
// len <= maxBits / 4), so a full-size product or square always fits.
inline constexpr size_t kMaxMagnitudeWords = 8 * kMaxBigIntSizeBits / 32;
static_assert(kMaxMagnitudeWords <= UINT16_MAX);

enum class FmmMode : uint16_t {
  kPlain = 1,       // even modulus: residues as they are
  kMontgomery = 2,  // odd modulus: x * R mod n
};

struct FmmContextHeader {
  uint32_t magic;       // kFmmContextMagic once initialized
  uint16_t words;       // modulus words (s)
  FmmMode mode;
  uint32_t n0_inv;      // -n^-1 mod 2^32 (Montgomery)
  uint32_t len_words;   // the len given to TEE_BigIntInitFMMContext
};
static_assert(sizeof(FmmContextHeader) == 16);
static_assert(offsetof(FmmContextHeader, n0_inv) == 8);

inline constexpr uint32_t kFmmContextMagic = 0x4d4d4653;  // "SFMM"
inline constexpr size_t kFmmContextHeaderWords = sizeof(FmmContextHeader) / sizeof(uint32_t);

// Magnitude words for a value of `bits` bits (at least one word).
constexpr size_t words_for_bits(size_t bits) { return bits == 0 ? 1 : (bits + 31) / 32; }

constexpr size_t fmm_context_words(size_t modulus_bits) {
  return kFmmContextHeaderWords + 2 * words_for_bits(modulus_bits);
}

}  // namespace swtee::ta::arith
