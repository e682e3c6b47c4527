// Keying of asymmetric operations and the TEE_DeriveKey half of them
// (ECDH, DH, X25519, X448). The sign/verify/encrypt/decrypt entry points
// live in api_asymmetric.cc.
#pragma once

#include <span>

#include "ta_runtime/crypto/object.h"
#include "ta_runtime/crypto/operation.h"
#include "tee_internal_api.h"

namespace swtee::ta::crypto {

// True when `key` may key `op` (type, pair vs public for the mode, curve).
[[nodiscard]] bool asym_key_fits(const Operation& op, const Object& key) noexcept;

// Builds op.pkey / op.pctx (or op.akey for DH) from an initialized key that
// asym_key_fits. BAD_PARAMETERS when OpenSSL refuses the key values.
TEE_Result asym_set_key(Operation& op, const Object& key) noexcept;

// Releases everything asym_set_key made.
void asym_clear_key(Operation& op) noexcept;

// The shared secret of a key-agreement operation with the peer public value
// in `params`, as the SECRET_VALUE of the uninitialized GENERIC_SECRET
// `dst`. TEE_DeriveKey panics on any error this returns (GP gives it no
// return value); tests observe the rejection here.
TEE_Result asym_derive(Operation& op, std::span<const Attr> params, Object& dst) noexcept;

}  // namespace swtee::ta::crypto
