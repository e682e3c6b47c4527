// Streaming CTS (CBC-CS3, RFC 3962) and XTS (IEEE 1619) on top of OpenSSL's
// CBC/ECB: OpenSSL 3.0 offers CTS only one-shot and XTS only as one data
// unit per call with distinct keys, while GP needs multi-part updates.
//
// Both modes hold back the last 17..32 bytes until the final call, because
// the last two blocks are processed together (stealing). Update output is
// always a multiple of 16.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ta_runtime/crypto/operation.h"

namespace swtee::ta::crypto {

// Bytes an update of `in` bytes produces given the current hold-back.
size_t holdback_update_size(const Operation& op, size_t in) noexcept;

// Starts a data unit: CTS chains from the IV; XTS encrypts the IV (the
// tweak) with key 2. False on a library failure.
[[nodiscard]] bool cts_xts_init(Operation& op, const uint8_t iv[16]) noexcept;

// Processes `in`, writing exactly holdback_update_size(op, in_len) bytes.
[[nodiscard]] bool cts_xts_update(Operation& op, const uint8_t* in, size_t in_len, uint8_t* out) noexcept;

// Finishes: the held bytes (16..32, or 0) become output. out must have room
// for op.hold_len bytes. False on a library failure; *bad_length when the
// data unit is shorter than one block.
[[nodiscard]] bool cts_xts_final(Operation& op, uint8_t* out, size_t* out_len, bool* bad_length) noexcept;

}  // namespace swtee::ta::crypto
