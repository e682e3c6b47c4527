// Raw OpenSSL EVP on the benchmark's own buffers: the floor each TA figure
// is printed beside. Contexts and keys are set up once (as the TA keeps
// them per operation); a failure leaves the object !ok().
#pragma once

#include <openssl/evp.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace swtee::bench {

class OsslGcm {
 public:
  OsslGcm();
  ~OsslGcm();
  OsslGcm(const OsslGcm&) = delete;
  OsslGcm& operator=(const OsslGcm&) = delete;
  bool ok() const { return ctx_ != nullptr; }
  // One whole encryption: IV set, payload, final, 16-byte tag.
  bool encrypt(const uint8_t* nonce12, const uint8_t* in, size_t len, uint8_t* out, uint8_t* tag16);

 private:
  EVP_CIPHER_CTX* ctx_ = nullptr;
};

class OsslSha256 {
 public:
  OsslSha256();
  ~OsslSha256();
  OsslSha256(const OsslSha256&) = delete;
  OsslSha256& operator=(const OsslSha256&) = delete;
  bool ok() const { return ctx_ != nullptr && md_ != nullptr; }
  bool digest(const uint8_t* in, size_t len, uint8_t* out32);

 private:
  EVP_MD* md_ = nullptr;
  EVP_MD_CTX* ctx_ = nullptr;
};

// Sign/verify of a SHA-256 digest with a generated key: ECDSA P-256 or
// RSA-2048 PKCS#1 v1.5.
class OsslSigner {
 public:
  enum class Kind { kEcdsaP256, kRsa2048Pkcs1 };
  explicit OsslSigner(Kind kind);
  ~OsslSigner();
  OsslSigner(const OsslSigner&) = delete;
  OsslSigner& operator=(const OsslSigner&) = delete;
  bool ok() const { return sign_ != nullptr && verify_ != nullptr; }
  bool sign(const std::vector<uint8_t>& digest, std::vector<uint8_t>* sig);
  bool verify(const std::vector<uint8_t>& digest, const std::vector<uint8_t>& sig);

 private:
  EVP_PKEY* key_ = nullptr;
  EVP_PKEY_CTX* sign_ = nullptr;
  EVP_PKEY_CTX* verify_ = nullptr;
};

}  // namespace swtee::bench
