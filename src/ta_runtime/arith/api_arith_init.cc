// GP TEE Internal Core API, arithmetic: sizing and initialization of
// TEE_BigInt and TEE_BigIntFMM (layouts in bigint_layout.h; the FMM context
// is in api_arith_fmm.cc).
#include <cstring>

#include "ta_runtime/arith/arith_call.h"
#include "tee_internal_api.h"

namespace swtee::ta::arith {
namespace {

void init_bigint(ArithFn fn, const char* func, TEE_BigInt* v, size_t len) noexcept {
  if (v == nullptr) arith_panic(fn, func, "NULL bignum");
  if (len < kBigIntHeaderWords) arith_panic(fn, func, "len below TEE_BigIntSizeInU32(0)");
  if (len - kBigIntHeaderWords > kMaxMagnitudeWords)
    arith_panic(fn, func, "len above the largest supported bignum (32768 bits)");
  std::memset(v, 0, len * sizeof(uint32_t));
  const BigIntHeader h{1, static_cast<uint16_t>(len - kBigIntHeaderWords), 0};
  std::memcpy(v, &h, sizeof(h));
}

size_t fmm_size_in_u32(size_t bits) noexcept {
  if (bits > kMaxMagnitudeWords * 32)
    arith_panic(ArithFn::kFmmSizeInU32, "TEE_BigIntFMMSizeInU32", "modulus size above 32768 bits");
  return TEE_BigIntSizeInU32(bits);
}

}  // namespace
}  // namespace swtee::ta::arith

using swtee::ta::arith::ArithFn;

extern "C" {

size_t TEE_BigIntFMMSizeInU32(size_t modulusSizeInBits) {
  return swtee::ta::arith::fmm_size_in_u32(modulusSizeInBits);
}

uint32_t __GP11_TEE_BigIntFMMSizeInU32(uint32_t modulusSizeInBits) {
  return static_cast<uint32_t>(swtee::ta::arith::fmm_size_in_u32(modulusSizeInBits));
}

void TEE_BigIntInit(TEE_BigInt* bigInt, size_t len) {
  swtee::ta::arith::init_bigint(ArithFn::kInit, __func__, bigInt, len);
}

void __GP11_TEE_BigIntInit(TEE_BigInt* bigInt, uint32_t len) {
  swtee::ta::arith::init_bigint(ArithFn::kInit, "TEE_BigIntInit", bigInt, len);
}

// An FMM value shares the TEE_BigInt layout: a residue below the modulus.
void TEE_BigIntInitFMM(TEE_BigIntFMM* bigIntFMM, size_t len) {
  swtee::ta::arith::init_bigint(ArithFn::kInitFmm, __func__, bigIntFMM, len);
}

void __GP11_TEE_BigIntInitFMM(TEE_BigIntFMM* bigIntFMM, uint32_t len) {
  swtee::ta::arith::init_bigint(ArithFn::kInitFmm, "TEE_BigIntInitFMM", bigIntFMM, len);
}

}  // extern "C"
