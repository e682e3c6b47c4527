// GP TEE Internal Core API, arithmetic: conversions between TEE_BigInt and
// octet strings (big-endian magnitude) or int32_t.
#include <cstring>

#include "ta_runtime/arith/arith_call.h"
#include "tee_internal_api.h"

namespace swtee::ta::arith {
namespace {

// Leading zero octets are accepted and ignored; a value wider than dest's
// capacity is TEE_ERROR_OVERFLOW and leaves dest unchanged.
TEE_Result from_octets(TEE_BigInt* dest, const uint8_t* buffer, size_t len, int32_t sign) noexcept {
  Call c(ArithFn::kConvertFromOctetString, "TEE_BigIntConvertFromOctetString");
  (void)c.header(dest);
  c.require(buffer != nullptr || len == 0, "NULL buffer");
  while (len > 0 && buffer[0] == 0) {
    ++buffer;
    --len;
  }
  if (len > kMaxMagnitudeWords * sizeof(uint32_t)) return TEE_ERROR_OVERFLOW;
  BIGNUM* v = c.bn();
  if (BN_bin2bn(buffer, static_cast<int>(len), v) == nullptr) c.panic("out of memory in bignum arithmetic");
  BN_set_negative(v, sign < 0 ? 1 : 0);
  return c.try_store(dest, v) ? TEE_SUCCESS : TEE_ERROR_OVERFLOW;
}

// Writes |v| big-endian in the fewest octets (none for zero), as OP-TEE.
TEE_Result to_octets(uint8_t* buffer, size_t* len, const TEE_BigInt* v) noexcept {
  Call c(ArithFn::kConvertToOctetString, "TEE_BigIntConvertToOctetString");
  c.require(len != nullptr, "NULL bufferLen");
  const BIGNUM* value = c.load(v);
  const size_t need = static_cast<size_t>(BN_num_bytes(value));
  if (*len < need) {
    *len = need;
    return TEE_ERROR_SHORT_BUFFER;
  }
  c.require(buffer != nullptr || need == 0, "NULL buffer");
  if (need != 0 && BN_bn2bin(value, buffer) != static_cast<int>(need)) c.panic("internal: bignum export failed");
  *len = need;
  return TEE_SUCCESS;
}

void from_s32(TEE_BigInt* dest, int32_t value) noexcept {
  Call c(ArithFn::kConvertFromS32, "TEE_BigIntConvertFromS32");
  BIGNUM* v = c.bn();
  const uint32_t mag = value < 0 ? 0u - static_cast<uint32_t>(value) : static_cast<uint32_t>(value);
  c.check(BN_set_word(v, mag));
  BN_set_negative(v, value < 0 ? 1 : 0);
  c.store(dest, v);
}

TEE_Result to_s32(int32_t* dest, const TEE_BigInt* src) noexcept {
  Call c(ArithFn::kConvertToS32, "TEE_BigIntConvertToS32");
  c.require(dest != nullptr, "NULL destination");
  const BigIntHeader h = c.header(src);
  if (h.used_words > 1) return TEE_ERROR_OVERFLOW;
  const uint32_t mag = h.used_words == 0 ? 0 : magnitude(src)[0];
  if (h.sign > 0) {
    if (mag > static_cast<uint32_t>(INT32_MAX)) return TEE_ERROR_OVERFLOW;
    *dest = static_cast<int32_t>(mag);
  } else {
    if (mag > static_cast<uint32_t>(INT32_MAX) + 1u) return TEE_ERROR_OVERFLOW;
    *dest = static_cast<int32_t>(0u - mag);
  }
  return TEE_SUCCESS;
}

}  // namespace
}  // namespace swtee::ta::arith

namespace arith = swtee::ta::arith;

extern "C" {

TEE_Result TEE_BigIntConvertFromOctetString(TEE_BigInt* dest, const uint8_t* buffer, size_t bufferLen,
                                            int32_t sign) {
  return arith::from_octets(dest, buffer, bufferLen, sign);
}

TEE_Result __GP11_TEE_BigIntConvertFromOctetString(TEE_BigInt* dest, const uint8_t* buffer,
                                                   uint32_t bufferLen, int32_t sign) {
  return arith::from_octets(dest, buffer, bufferLen, sign);
}

TEE_Result TEE_BigIntConvertToOctetString(uint8_t* buffer, size_t* bufferLen, const TEE_BigInt* bigInt) {
  return arith::to_octets(buffer, bufferLen, bigInt);
}

TEE_Result __GP11_TEE_BigIntConvertToOctetString(uint8_t* buffer, uint32_t* bufferLen,
                                                 const TEE_BigInt* bigInt) {
  if (bufferLen == nullptr)
    arith::arith_panic(arith::ArithFn::kConvertToOctetString, "TEE_BigIntConvertToOctetString",
                       "NULL bufferLen");
  size_t len = *bufferLen;
  const TEE_Result res = arith::to_octets(buffer, &len, bigInt);
  *bufferLen = static_cast<uint32_t>(len);  // at most 4096 octets
  return res;
}

void TEE_BigIntConvertFromS32(TEE_BigInt* dest, int32_t shortVal) { arith::from_s32(dest, shortVal); }

TEE_Result TEE_BigIntConvertToS32(int32_t* dest, const TEE_BigInt* src) { return arith::to_s32(dest, src); }

}  // extern "C"
