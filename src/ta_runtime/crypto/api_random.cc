// GP TEE Internal Core API, TEE_GenerateRandom (GP 1.3.1 §6.8): OpenSSL's
// DRBG (seeded from getrandom(2); the zygote primes it before the sandbox).
#include <openssl/rand.h>

#include <algorithm>
#include <climits>

#include "ta_runtime/crypto/crypto_panic.h"
#include "tee_internal_api.h"

namespace {

void generate(void* buf, size_t len, const char* func) noexcept {
  if (buf == nullptr && len != 0) swtee::ta::crypto::crypto_panic(func, "NULL buffer");
  auto* p = static_cast<unsigned char*>(buf);
  while (len != 0) {
    const size_t n = std::min(len, static_cast<size_t>(INT_MAX));
    if (RAND_bytes(p, static_cast<int>(n)) != 1)
      swtee::ta::crypto::crypto_panic(func, "random generator failure", TEE_ERROR_GENERIC);
    p += n;
    len -= n;
  }
}

}  // namespace

extern "C" {

void TEE_GenerateRandom(void* randomBuffer, size_t randomBufferLen) {
  generate(randomBuffer, randomBufferLen, __func__);
}

void __GP11_TEE_GenerateRandom(void* randomBuffer, uint32_t randomBufferLen) {
  generate(randomBuffer, randomBufferLen, __func__);
}

}  // extern "C"
