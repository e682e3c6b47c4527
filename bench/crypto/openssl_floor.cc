#include "crypto/openssl_floor.h"

#include <openssl/rsa.h>

namespace swtee::bench {

OsslGcm::OsslGcm() {
  static const uint8_t key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr);
  ctx_ = EVP_CIPHER_CTX_new();
  if (c == nullptr || ctx_ == nullptr || EVP_EncryptInit_ex2(ctx_, c, key, nullptr, nullptr) != 1) {
    EVP_CIPHER_CTX_free(ctx_);
    ctx_ = nullptr;
  }
  EVP_CIPHER_free(c);
}

OsslGcm::~OsslGcm() { EVP_CIPHER_CTX_free(ctx_); }

bool OsslGcm::encrypt(const uint8_t* nonce12, const uint8_t* in, size_t len, uint8_t* out, uint8_t* tag16) {
  int n = 0, m = 0;
  return EVP_EncryptInit_ex2(ctx_, nullptr, nullptr, nonce12, nullptr) == 1 &&
         EVP_EncryptUpdate(ctx_, out, &n, in, static_cast<int>(len)) == 1 &&
         EVP_EncryptFinal_ex(ctx_, out + n, &m) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_AEAD_GET_TAG, 16, tag16) == 1;
}

OsslSha256::OsslSha256() {
  md_ = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  ctx_ = EVP_MD_CTX_new();
}

OsslSha256::~OsslSha256() {
  EVP_MD_CTX_free(ctx_);
  EVP_MD_free(md_);
}

bool OsslSha256::digest(const uint8_t* in, size_t len, uint8_t* out32) {
  unsigned n = 0;
  return EVP_DigestInit_ex2(ctx_, md_, nullptr) == 1 && EVP_DigestUpdate(ctx_, in, len) == 1 &&
         EVP_DigestFinal_ex(ctx_, out32, &n) == 1;
}

OsslSigner::OsslSigner(Kind kind) {
  key_ = kind == Kind::kEcdsaP256 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")
                                  : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
  if (key_ == nullptr) return;
  sign_ = EVP_PKEY_CTX_new_from_pkey(nullptr, key_, nullptr);
  verify_ = EVP_PKEY_CTX_new_from_pkey(nullptr, key_, nullptr);
  bool good = sign_ != nullptr && verify_ != nullptr && EVP_PKEY_sign_init(sign_) == 1 &&
              EVP_PKEY_verify_init(verify_) == 1;
  if (good && kind == Kind::kRsa2048Pkcs1) {
    good = EVP_PKEY_CTX_set_rsa_padding(sign_, RSA_PKCS1_PADDING) == 1 &&
           EVP_PKEY_CTX_set_signature_md(sign_, EVP_sha256()) == 1 &&
           EVP_PKEY_CTX_set_rsa_padding(verify_, RSA_PKCS1_PADDING) == 1 &&
           EVP_PKEY_CTX_set_signature_md(verify_, EVP_sha256()) == 1;
  }
  if (!good) {
    EVP_PKEY_CTX_free(sign_);
    EVP_PKEY_CTX_free(verify_);
    sign_ = verify_ = nullptr;
  }
}

OsslSigner::~OsslSigner() {
  EVP_PKEY_CTX_free(sign_);
  EVP_PKEY_CTX_free(verify_);
  EVP_PKEY_free(key_);
}

bool OsslSigner::sign(const std::vector<uint8_t>& digest, std::vector<uint8_t>* sig) {
  size_t n = sig->size();
  if (EVP_PKEY_sign(sign_, sig->data(), &n, digest.data(), digest.size()) != 1) return false;
  sig->resize(n);
  return true;
}

bool OsslSigner::verify(const std::vector<uint8_t>& digest, const std::vector<uint8_t>& sig) {
  return EVP_PKEY_verify(verify_, sig.data(), sig.size(), digest.data(), digest.size()) == 1;
}

}  // namespace swtee::bench
