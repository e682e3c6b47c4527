// The little DER the asymmetric adapters need: GP carries DSA/ECDSA/SM2
// signatures as fixed-width r || s and SM2 ciphertexts as C1 || C2 || C3
// (OP-TEE's core layout, GM/T 0003-2012),
// while OpenSSL speaks DER. Parsing is strict (definite minimal lengths,
// canonical non-negative INTEGERs); anything else is refused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace swtee::ta::crypto {

// SEQUENCE { INTEGER r, INTEGER s } -> r || s, each `half` bytes.
// False when the DER is malformed or r/s do not fit.
[[nodiscard]] bool der_sig_to_raw(std::span<const uint8_t> der, size_t half, uint8_t* out) noexcept;
// r || s (2 * half bytes) -> SEQUENCE { INTEGER r, INTEGER s }.
[[nodiscard]] bool raw_sig_to_der(std::span<const uint8_t> raw, std::vector<uint8_t>* out) noexcept;

// SM2 ciphertext: SEQUENCE { INTEGER x1, INTEGER y1, OCTET STRING C3,
// OCTET STRING C2 } <-> 04 || x1 || y1 || C2 || C3 (coordinates `coord`
// bytes, C3 `hash` bytes), the order OP-TEE's core produces and expects.
[[nodiscard]] bool sm2_der_to_raw(std::span<const uint8_t> der, size_t coord, size_t hash,
                                  std::vector<uint8_t>* out) noexcept;
[[nodiscard]] bool sm2_raw_to_der(std::span<const uint8_t> raw, size_t coord, size_t hash,
                                  std::vector<uint8_t>* out) noexcept;

}  // namespace swtee::ta::crypto
