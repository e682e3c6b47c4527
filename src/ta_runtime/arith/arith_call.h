// One call of a GP arithmetic function: the scratch OpenSSL state it needs,
// the conversion of TEE_BigInt operands into BIGNUMs and of results back,
// and the panic that answers every misuse.
//
// Contract of every TEE_BigInt* function built on it: all operands are read
// (validated, converted) before any destination is written, so destinations
// may alias operands; a destination is written completely or, when the
// result does not fit, not at all (then the call panics, or returns
// TEE_ERROR_OVERFLOW where GP says so). Scratch BIGNUMs are cleared when the
// call ends: operands may be key material.
#pragma once

#include <openssl/bn.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "ta_runtime/arith/arith_fn.h"
#include "ta_runtime/arith/bigint_layout.h"
#include "tee_api_types.h"

namespace swtee::ta::arith {

struct BnClearFree {
  void operator()(BIGNUM* b) const noexcept { BN_clear_free(b); }
};
struct BnCtxFree {
  void operator()(BN_CTX* c) const noexcept { BN_CTX_free(c); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnClearFree>;
using BnCtxPtr = std::unique_ptr<BN_CTX, BnCtxFree>;

// Reports `why` for GP function `func`, then TEE_Panic(fn's panic id).
[[noreturn]] void arith_panic(ArithFn fn, const char* func, const char* why) noexcept;

class Call {
 public:
  Call(ArithFn fn, const char* func) noexcept : fn_(fn), func_(func) {}
  Call(const Call&) = delete;
  Call& operator=(const Call&) = delete;

  [[noreturn]] void panic(const char* why) const noexcept { arith_panic(fn_, func_, why); }
  void require(bool ok, const char* why) const noexcept {
    if (!ok) panic(why);
  }
  // An OpenSSL BN call failed: only allocation can fail on valid input.
  void check(int openssl_rc) const noexcept {
    if (openssl_rc != 1) panic("out of memory in bignum arithmetic");
  }

  // A fresh BIGNUM, zero, owned (and cleared) by this call.
  BIGNUM* bn() noexcept;
  BN_CTX* ctx() noexcept;

  // The validated header of an initialized TEE_BigInt (or TEE_BigIntFMM).
  BigIntHeader header(const TEE_BigInt* v) const noexcept;
  // The value of `v` as a new BIGNUM.
  BIGNUM* load(const TEE_BigInt* v) noexcept;
  // Writes `value` to `dest` if it fits its capacity; false leaves dest as is.
  [[nodiscard]] bool try_store(TEE_BigInt* dest, const BIGNUM* value) const noexcept;
  // As try_store, panicking when the destination is too small.
  void store(TEE_BigInt* dest, const BIGNUM* value) const noexcept;
  // Whether `value` fits in `dest` (dest validated).
  [[nodiscard]] bool fits(const TEE_BigInt* dest, const BIGNUM* value) const noexcept;

  // A modulus operand: loaded, and at least 2 (GP panics below).
  BIGNUM* load_modulus(const TEE_BigInt* n) noexcept;

 private:
  static constexpr size_t kMaxScratch = 16;

  ArithFn fn_;
  const char* func_;
  BnCtxPtr ctx_;
  std::array<BnPtr, kMaxScratch> scratch_{};
  size_t used_ = 0;
};

// Magnitude words of an initialized TEE_BigInt (after its header).
inline uint32_t* magnitude(TEE_BigInt* v) noexcept { return v + kBigIntHeaderWords; }
inline const uint32_t* magnitude(const TEE_BigInt* v) noexcept { return v + kBigIntHeaderWords; }

}  // namespace swtee::ta::arith
