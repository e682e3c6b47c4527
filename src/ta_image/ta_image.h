// The signed TA image: <uuid>.ta. A fixed little-endian header, then the
// payload (the TA's ELF shared object). In the spirit of OP-TEE's shdr: the
// signature covers the header fields and the SHA-256 of the payload.
//
//   offset size
//        0    4  magic            kTaImageMagic ("SWTA")
//        4    2  format_version   kTaImageVersion
//        6    2  header_size      sizeof(TaImageHeader)
//        8   16  uuid             RFC 4122 octets
//       24    4  ta_flags         TA_FLAG_* (GP lifecycle flags)
//       28    4  sig_algo         TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256 (0x70414930)
//       32    8  payload_size
//       40   32  payload_hash     SHA-256 of the payload
//       72    2  sig_size         bytes of signature used (<= 512)
//       74    6  reserved         zero
//       80  512  signature        over bytes [0, 80) of the header
//      592       payload
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/uuid.h"

namespace swtee::taimg {

inline constexpr uint32_t kTaImageMagic = 0x41545753;  // "SWTA" little-endian
inline constexpr uint16_t kTaImageVersion = 1;
inline constexpr uint32_t kSigAlgoRsaPssSha256 = 0x70414930;
inline constexpr size_t kMaxSignature = 512;
inline constexpr uint64_t kMaxPayload = 64ull << 20;  // 64 MiB

struct TaImageHeader {
  uint32_t magic;
  uint16_t format_version;
  uint16_t header_size;
  uint8_t uuid[16];
  uint32_t ta_flags;
  uint32_t sig_algo;
  uint64_t payload_size;
  uint8_t payload_hash[32];
  uint16_t sig_size;
  uint8_t reserved[6];
  uint8_t signature[kMaxSignature];
};
static_assert(sizeof(TaImageHeader) == 592);
static_assert(offsetof(TaImageHeader, payload_size) == 32);
static_assert(offsetof(TaImageHeader, signature) == 80);
inline constexpr size_t kSignedHeaderBytes = offsetof(TaImageHeader, signature);

enum class VerifyError {
  Format,     // truncated, bad magic/version/sizes, trailing bytes
  Hash,       // payload does not match its hash
  Signature,  // no accepted key verifies the signature
  Uuid,       // valid image, but for another UUID
};

struct VerifiedTa {
  Uuid uuid;
  uint32_t ta_flags = 0;
  std::span<const uint8_t> payload;  // points into the verified input
};

// Verifies `image` against the accepted public keys (PEM text). On success
// the payload view points into `image`. Never reads past image.size().
struct VerifyResult {
  bool ok = false;
  VerifyError error = VerifyError::Format;
  VerifiedTa ta;
};
VerifyResult verify_ta_image(std::span<const uint8_t> image, const Uuid& expected,
                             const std::vector<std::string>& pubkey_pems);

// Builds a signed image from a payload with an RSA private key (PEM text).
Result<std::vector<uint8_t>> sign_ta_image(std::span<const uint8_t> payload, const Uuid& uuid,
                                           uint32_t ta_flags, const std::string& privkey_pem);

// Generates a new RSA-3072 key pair as PEM texts (private, public).
Result<std::pair<std::string, std::string>> generate_signing_key();

}  // namespace swtee::taimg
