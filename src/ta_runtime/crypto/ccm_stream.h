// AES-CCM (NIST SP 800-38C / RFC 3610) as a stream, so TEE_AEUpdate hands
// out output as it goes, as OP-TEE does: whole 16-byte blocks per update,
// the partial rest held for the next call or the final one. OpenSSL's CCM
// takes the payload in one call only, so this runs CCM on AES-ECB: CBC-MAC
// over B0 ‖ encoded AAD ‖ payload, CTR with A_i for the payload and A_0 for
// the tag. State lives in the Operation: `chain` is the CBC-MAC value,
// `total` the payload bytes done, `ccm_data` the partial block.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ta_runtime/crypto/operation.h"

namespace swtee::ta::crypto {

// At TEE_AEInit: keys op.cctx as AES-ECB (encrypt direction) and resets
// the stream. False when OpenSSL refuses.
bool ccm_start(Operation& op) noexcept;

// Bytes an update of `len` more payload bytes outputs (whole blocks).
size_t ccm_update_size(const Operation& op, size_t len) noexcept;

// Feeds `len` payload bytes; writes ccm_update_size(op, len) bytes to
// `out`. The first call MACs B0 and the AAD gathered in op.ccm_aad.
bool ccm_update(Operation& op, const uint8_t* in, size_t len, uint8_t* out) noexcept;

// Finishes: the held partial block goes to `out` (op.ccm_data.size()
// bytes) and `tag` receives the op.tag_len-byte tag.
bool ccm_finish(Operation& op, uint8_t* out, uint8_t* tag) noexcept;

}  // namespace swtee::ta::crypto
