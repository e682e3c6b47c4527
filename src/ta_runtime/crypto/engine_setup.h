// Per-engine OpenSSL context management: allocation with the operation,
// keying at SetOperationKey, duplication for TEE_CopyOperation.
#pragma once

#include "ta_runtime/crypto/operation.h"

namespace swtee::ta::crypto {

// Allocates the contexts the algorithm needs. False when out of memory.
[[nodiscard]] bool engine_alloc(Operation& op) noexcept;
// Keys the contexts from op.key1/op.key2. False when OpenSSL refuses.
[[nodiscard]] bool engine_apply_key(Operation& op) noexcept;
// Copies the engine state of src into dst (same algorithm). False on failure.
[[nodiscard]] bool engine_copy(Operation& dst, const Operation& src) noexcept;

}  // namespace swtee::ta::crypto
