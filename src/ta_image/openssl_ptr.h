// Move-only owners for the OpenSSL objects ta_image uses, and PEM loading.
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>

#include <memory>
#include <string>

#include "common/result.h"

namespace swtee::taimg {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

// Smallest RSA modulus accepted for signing or verifying TA images.
inline constexpr int kMinRsaBits = 2048;

// Parses PEM text into an RSA key of at least kMinRsaBits. EINVAL on
// anything else (wrong type, too small, not PEM).
Result<PkeyPtr> load_rsa_private_key(const std::string& pem);
Result<PkeyPtr> load_rsa_public_key(const std::string& pem);

// Serialises a key as PEM (PKCS#8 private key / SubjectPublicKeyInfo).
Result<std::string> private_key_pem(EVP_PKEY* key);
Result<std::string> public_key_pem(EVP_PKEY* key);

}  // namespace swtee::taimg
