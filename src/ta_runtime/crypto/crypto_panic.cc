#include "ta_runtime/crypto/crypto_panic.h"

namespace swtee::ta::crypto {

void crypto_panic(const char* func, const char* why, TEE_Result code) noexcept {
  swtee_trace_printf(TRACE_ERROR, func, 0, "panic: %s", why);
  TEE_Panic(code);
}

}  // namespace swtee::ta::crypto
