// Signing and verification of <uuid>.ta images (layout in ta_image.h).
//
// Verification order: structure (every size and reserved byte), then the
// signature over the header (which authenticates the payload hash), then
// the payload hash, then the UUID. Nothing past image.size() is read, and
// nothing but the payload view escapes.
#include "ta_image/ta_image.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <cstring>

#include "common/checked_math.h"
#include "ta_image/openssl_ptr.h"
#include "ta_image/ta_header_codec.h"

namespace swtee::taimg {
namespace {

// Lifecycle flags a TA may carry (TA_FLAGS_MASK in user_ta_header.h).
constexpr uint32_t kTaFlagsMask = (1u << 14) - 1;
constexpr size_t kSha256Bytes = 32;
constexpr int kGeneratedKeyBits = 3072;

static_assert(sizeof(TaImageHeader::payload_hash) == kSha256Bytes);
static_assert(kSignedHeaderBytes == 80);

bool sha256(std::span<const uint8_t> data, uint8_t out[kSha256Bytes]) {
  unsigned int len = 0;
  return EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr) == 1 &&
         len == kSha256Bytes;
}

// Configures `ctx` for RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte
// salt; the same parameters on both sides, nothing negotiated.
bool set_pss(EVP_PKEY_CTX* pctx) {
  return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
}

bool verify_with(EVP_PKEY* key, std::span<const uint8_t> signed_bytes, std::span<const uint8_t> sig) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return false;
  EVP_PKEY_CTX* pctx = nullptr;
  bool ok = EVP_DigestVerifyInit_ex(ctx.get(), &pctx, "SHA256", nullptr, nullptr, key, nullptr) == 1 &&
            set_pss(pctx) &&
            EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), signed_bytes.data(), signed_bytes.size()) == 1;
  ERR_clear_error();
  return ok;
}

VerifyResult fail(VerifyError e) {
  VerifyResult r;
  r.ok = false;
  r.error = e;
  return r;
}

// Structural checks on a decoded header against the image length.
bool header_well_formed(const TaImageHeader& h, size_t image_size) {
  if (h.magic != kTaImageMagic || h.format_version != kTaImageVersion ||
      h.header_size != sizeof(TaImageHeader) || h.sig_algo != kSigAlgoRsaPssSha256) {
    return false;
  }
  if ((h.ta_flags & ~kTaFlagsMask) != 0) return false;
  if (std::any_of(std::begin(h.reserved), std::end(h.reserved), [](uint8_t b) { return b != 0; })) {
    return false;
  }
  if (h.sig_size == 0 || h.sig_size > kMaxSignature) return false;
  // Bytes of the signature field past sig_size are padding and must be zero.
  if (std::any_of(h.signature + h.sig_size, h.signature + kMaxSignature, [](uint8_t b) { return b != 0; })) {
    return false;
  }
  if (h.payload_size == 0 || h.payload_size > kMaxPayload) return false;
  auto total = checked_add<uint64_t>(sizeof(TaImageHeader), h.payload_size);
  return total && *total == image_size;  // truncated or trailing bytes: reject
}

}  // namespace

VerifyResult verify_ta_image(std::span<const uint8_t> image, const Uuid& expected,
                             const std::vector<std::string>& pubkey_pems) {
  if (image.size() < sizeof(TaImageHeader)) return fail(VerifyError::Format);
  // Decode once into a private copy; every later check uses the copy.
  const TaImageHeader h = decode_header(image.first<sizeof(TaImageHeader)>());
  if (!header_well_formed(h, image.size())) return fail(VerifyError::Format);

  const std::span<const uint8_t> signed_bytes = image.first(kSignedHeaderBytes);
  const std::span<const uint8_t> sig(h.signature, h.sig_size);
  bool verified = false;
  for (const std::string& pem : pubkey_pems) {
    auto key = load_rsa_public_key(pem);
    if (!key.ok()) continue;  // an unusable key accepts nothing
    if (verify_with(key->get(), signed_bytes, sig)) {
      verified = true;
      break;
    }
  }
  if (!verified) return fail(VerifyError::Signature);

  const std::span<const uint8_t> payload = image.subspan(sizeof(TaImageHeader));
  uint8_t digest[kSha256Bytes];
  if (!sha256(payload, digest) || CRYPTO_memcmp(digest, h.payload_hash, kSha256Bytes) != 0) {
    return fail(VerifyError::Hash);
  }

  Uuid uuid;
  std::memcpy(uuid.octets.data(), h.uuid, sizeof(h.uuid));
  if (uuid != expected) return fail(VerifyError::Uuid);

  VerifyResult r;
  r.ok = true;
  r.ta.uuid = uuid;
  r.ta.ta_flags = h.ta_flags;
  r.ta.payload = payload;
  return r;
}

Result<std::vector<uint8_t>> sign_ta_image(std::span<const uint8_t> payload, const Uuid& uuid,
                                           uint32_t ta_flags, const std::string& privkey_pem) {
  if (payload.empty() || payload.size() > kMaxPayload) return Error{EFBIG, "TA payload size out of range"};
  if ((ta_flags & ~kTaFlagsMask) != 0) return Error{EINVAL, "TA flags outside TA_FLAGS_MASK"};
  ASSIGN_OR_RETURN(PkeyPtr key, load_rsa_private_key(privkey_pem));
  // An RSA signature is exactly the modulus size; sig_size is part of the
  // signed bytes, so it is fixed before signing.
  const int rsa_bytes = EVP_PKEY_get_size(key.get());
  if (rsa_bytes <= 0 || static_cast<size_t>(rsa_bytes) > kMaxSignature) {
    return Error{EINVAL, "RSA key too large for the image signature field"};
  }

  TaImageHeader h{};
  h.magic = kTaImageMagic;
  h.format_version = kTaImageVersion;
  h.header_size = sizeof(TaImageHeader);
  std::memcpy(h.uuid, uuid.octets.data(), sizeof(h.uuid));
  h.ta_flags = ta_flags;
  h.sig_algo = kSigAlgoRsaPssSha256;
  h.payload_size = payload.size();
  h.sig_size = static_cast<uint16_t>(rsa_bytes);
  if (!sha256(payload, h.payload_hash)) return Error{EIO, "SHA-256 failed"};

  HeaderBytes bytes = encode_header(h);
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return Error{ENOMEM, "EVP_MD_CTX_new"};
  EVP_PKEY_CTX* pctx = nullptr;
  size_t sig_len = kMaxSignature;
  if (EVP_DigestSignInit_ex(ctx.get(), &pctx, "SHA256", nullptr, nullptr, key.get(), nullptr) != 1 ||
      !set_pss(pctx) ||
      EVP_DigestSign(ctx.get(), h.signature, &sig_len, bytes.data(), kSignedHeaderBytes) != 1 ||
      sig_len != static_cast<size_t>(rsa_bytes)) {
    ERR_clear_error();
    return Error{EIO, "RSA-PSS signing failed"};
  }
  bytes = encode_header(h);

  std::vector<uint8_t> image;
  image.reserve(bytes.size() + payload.size());
  image.insert(image.end(), bytes.begin(), bytes.end());
  image.insert(image.end(), payload.begin(), payload.end());
  return image;
}

Result<std::pair<std::string, std::string>> generate_signing_key() {
  PkeyPtr key(EVP_RSA_gen(kGeneratedKeyBits));
  if (!key) {
    ERR_clear_error();
    return Error{EIO, "RSA key generation failed"};
  }
  ASSIGN_OR_RETURN(std::string priv, private_key_pem(key.get()));
  ASSIGN_OR_RETURN(std::string pub, public_key_pem(key.get()));
  return std::make_pair(std::move(priv), std::move(pub));
}

}  // namespace swtee::taimg
