#include "arith_test_util.h"

#include <gtest/gtest.h>
#include <openssl/crypto.h>

#include <cstdlib>

namespace swtee::ta::arith::test {

Bn new_bn() {
  Bn b(BN_new());
  if (!b) std::abort();
  return b;
}

Bn bn_hex(const char* s) {
  BIGNUM* b = nullptr;
  if (BN_hex2bn(&b, s) == 0) std::abort();
  return Bn(b);
}

Bn bn_dup(const BIGNUM* b) {
  Bn d(BN_dup(b));
  if (!d) std::abort();
  return d;
}

Bn bn_word(int64_t v) {
  Bn b = new_bn();
  const uint64_t mag = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  if (BN_set_word(b.get(), mag) != 1) std::abort();
  BN_set_negative(b.get(), v < 0);
  return b;
}

std::string hex(const BIGNUM* b) {
  char* s = BN_bn2hex(b);
  std::string out = s != nullptr ? s : "?";
  OPENSSL_free(s);
  return out;
}

Big::Big(size_t bits) : w_(TEE_BigIntSizeInU32(bits), 0xA5A5A5A5u) {
  TEE_BigIntInit(w_.data(), w_.size());
}

Big::Big(size_t bits, const BIGNUM* v) : Big(bits) {
  if (set(w_.data(), v) != TEE_SUCCESS) {
    ADD_FAILURE() << "value " << hex(v) << " does not fit " << bits << " bits";
  }
}

Bn value(const TEE_BigInt* v) {
  std::vector<uint8_t> buf(8 * 4096 + 8);
  size_t len = buf.size();
  if (TEE_BigIntConvertToOctetString(buf.data(), &len, v) != TEE_SUCCESS) std::abort();
  Bn b = new_bn();
  if (BN_bin2bn(buf.data(), static_cast<int>(len), b.get()) == nullptr) std::abort();
  BN_set_negative(b.get(), TEE_BigIntCmpS32(v, 0) < 0);
  return b;
}

std::string hex(const TEE_BigInt* v) { return hex(value(v).get()); }

TEE_Result set(TEE_BigInt* v, const BIGNUM* value) {
  std::vector<uint8_t> buf(static_cast<size_t>(BN_num_bytes(value)) + 1);
  const int n = BN_bn2bin(value, buf.data());
  return TEE_BigIntConvertFromOctetString(v, buf.data(), static_cast<size_t>(n), BN_is_negative(value) ? -1 : 1);
}

Bn Rng::exact_bits(size_t bits) {
  Bn b = new_bn();
  for (size_t i = 0; i < bits; i += 64) {
    const uint64_t w = g_();
    for (size_t k = 0; k < 64 && i + k < bits; ++k)
      if ((w >> k) & 1) BN_set_bit(b.get(), static_cast<int>(i + k));
  }
  if (bits > 0) BN_set_bit(b.get(), static_cast<int>(bits - 1));
  return b;
}

Bn Rng::operand(size_t max_bits, bool signed_value) {
  const size_t bits = max_bits == 0 ? 0 : 1 + below(max_bits);
  Bn b = new_bn();
  switch (below(10)) {
    case 0:
      break;  // zero
    case 1:
      BN_one(b.get());
      break;
    case 2:  // power of two
      if (bits > 0) BN_set_bit(b.get(), static_cast<int>(bits - 1));
      break;
    case 3:  // all ones
      for (size_t i = 0; i < bits; ++i) BN_set_bit(b.get(), static_cast<int>(i));
      break;
    default:
      b = exact_bits(bits);
      break;
  }
  if (signed_value && coin()) BN_set_negative(b.get(), 1);
  return b;
}

size_t Rng::size(size_t max_bits) {
  static constexpr size_t kEdges[] = {1, 2, 31, 32, 33, 63, 64, 65, 95, 96, 127, 128, 256, 512, 1024, 2048, 4096};
  switch (below(4)) {
    case 0: {
      const size_t e = kEdges[below(std::size(kEdges))];
      return e <= max_bits ? e : max_bits;
    }
    case 1:
      return 1 + below(max_bits);
    default:
      return 1 + below(max_bits < 300 ? max_bits : 300);
  }
}

void apply_signs(BIGNUM* a, BIGNUM* b, int combo) {
  BN_set_negative(a, (combo & 1) != 0);
  BN_set_negative(b, (combo & 2) != 0);
}

}  // namespace swtee::ta::arith::test
