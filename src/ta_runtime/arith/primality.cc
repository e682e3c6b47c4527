#include "ta_runtime/arith/primality.h"

#include <array>
#include <memory>

namespace swtee::ta::arith {
namespace {

struct MontFree {
  void operator()(BN_MONT_CTX* m) const noexcept { BN_MONT_CTX_free(m); }
};
using MontPtr = std::unique_ptr<BN_MONT_CTX, MontFree>;

constexpr uint32_t kSieveLimit = 2048;

constexpr size_t kSmallPrimeCount = 309;  // the primes below 2048

constexpr std::array<uint16_t, kSmallPrimeCount> kSmallPrimes = [] {
  std::array<bool, kSieveLimit> composite{};
  std::array<uint16_t, kSmallPrimeCount> primes{};
  size_t k = 0;
  for (uint32_t i = 2; i < kSieveLimit; ++i) {
    if (composite[i]) continue;
    primes.at(k++) = static_cast<uint16_t>(i);  // more primes: not a constant
    for (uint32_t j = i * i; j < kSieveLimit; j += i) composite[j] = true;
  }
  return primes;
}();
static_assert(kSmallPrimes.back() == 2039);

// Bases making Miller-Rabin exact for every n < 2^64.
constexpr std::array<BN_ULONG, 12> kDeterministicBases = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};

enum class Trial { kComposite, kPrime, kUnknown };

Trial trial_division(Call& c, const BIGNUM* n) noexcept {
  for (uint16_t p : kSmallPrimes) {
    if (BN_is_word(n, p)) return Trial::kPrime;
    const BN_ULONG r = BN_mod_word(n, p);
    if (r == static_cast<BN_ULONG>(-1)) c.panic("out of memory in bignum arithmetic");
    if (r == 0) return Trial::kComposite;
  }
  // No prime factor below 2048: prime if below 2048^2 = 2^22.
  if (BN_num_bits(n) <= 22) return Trial::kPrime;
  return Trial::kUnknown;
}

// One Miller-Rabin round for odd n > 3, n - 1 = d * 2^r: true when `a` is
// not a witness of compositeness.
bool mr_round(Call& c, const BIGNUM* a, const BIGNUM* n, const BIGNUM* n_minus_1, const BIGNUM* d, int r,
              BN_MONT_CTX* mont, BIGNUM* y) noexcept {
  // n may be a secret prime candidate: constant-time exponentiation.
  c.check(BN_mod_exp_mont_consttime(y, a, d, n, c.ctx(), mont));
  if (BN_is_one(y) || BN_cmp(y, n_minus_1) == 0) return true;
  for (int i = 1; i < r; ++i) {
    c.check(BN_mod_sqr(y, y, n, c.ctx()));
    if (BN_cmp(y, n_minus_1) == 0) return true;
    if (BN_is_one(y)) return false;
  }
  return false;
}

}  // namespace

int32_t probable_prime(Call& c, const BIGNUM* n, uint32_t confidence) noexcept {
  if (BN_is_negative(n) || BN_num_bits(n) < 2) return 0;
  switch (trial_division(c, n)) {
    case Trial::kComposite:
      return 0;
    case Trial::kPrime:
      return 1;
    case Trial::kUnknown:
      break;
  }
  BIGNUM* n_minus_1 = c.bn();
  BIGNUM* d = c.bn();
  BIGNUM* a = c.bn();
  BIGNUM* y = c.bn();
  BIGNUM* range = c.bn();
  if (BN_copy(n_minus_1, n) == nullptr) c.panic("out of memory in bignum arithmetic");
  c.check(BN_sub_word(n_minus_1, 1));
  int r = 0;
  while (!BN_is_bit_set(n_minus_1, r)) ++r;
  c.check(BN_rshift(d, n_minus_1, r));
  MontPtr mont(BN_MONT_CTX_new());
  if (!mont) c.panic("out of memory in bignum arithmetic");
  c.check(BN_MONT_CTX_set(mont.get(), n, c.ctx()));

  if (BN_num_bits(n) <= 64) {
    for (BN_ULONG base : kDeterministicBases) {
      c.check(BN_set_word(a, base));
      if (!mr_round(c, a, n, n_minus_1, d, r, mont.get(), y)) return 0;
    }
    return 1;
  }

  uint32_t level = confidence < kMinConfidence ? kMinConfidence : confidence;
  if (level > kMaxConfidence) level = kMaxConfidence;
  const uint32_t rounds = (level + 1) / 2;  // error <= 4^-rounds
  // Bases uniform in [2, n - 2].
  if (BN_copy(range, n) == nullptr) c.panic("out of memory in bignum arithmetic");
  c.check(BN_sub_word(range, 3));
  for (uint32_t i = 0; i < rounds; ++i) {
    c.check(BN_priv_rand_range(a, range));
    c.check(BN_add_word(a, 2));
    if (!mr_round(c, a, n, n_minus_1, d, r, mont.get(), y)) return 0;
  }
  return -1;
}

}  // namespace swtee::ta::arith
