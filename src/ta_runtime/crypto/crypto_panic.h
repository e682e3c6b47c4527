// The one way the crypto chapter panics: a log line naming the function and
// the reason, then TEE_Panic (never returns).
#pragma once

#include "tee_internal_api.h"

namespace swtee::ta::crypto {

[[noreturn]] void crypto_panic(const char* func, const char* why,
                               TEE_Result code = TEE_ERROR_BAD_PARAMETERS) noexcept;

}  // namespace swtee::ta::crypto

#define SWTEE_CRYPTO_PANIC(why) ::swtee::ta::crypto::crypto_panic(__func__, why)
#define SWTEE_CRYPTO_PANIC_CODE(why, code) ::swtee::ta::crypto::crypto_panic(__func__, why, code)
