#include "ta_image/openssl_ptr.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <climits>

namespace swtee::taimg {
namespace {

Result<BioPtr> mem_bio(const std::string& pem) {
  if (pem.size() > INT_MAX) return Error{EINVAL, "PEM text too large"};
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return Error{ENOMEM, "BIO_new_mem_buf"};
  return bio;
}

// Encrypted PEM keys are refused rather than prompting on a terminal.
int no_password(char*, int, int, void*) { return 0; }

Result<PkeyPtr> check_rsa(PkeyPtr key) {
  if (!key) return Error{EINVAL, "not a PEM key"};
  if (!EVP_PKEY_is_a(key.get(), "RSA")) return Error{EINVAL, "key is not RSA"};
  if (EVP_PKEY_get_bits(key.get()) < kMinRsaBits) return Error{EINVAL, "RSA key too small"};
  return key;
}

Result<std::string> bio_text(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  if (len <= 0 || !data) return Error{EIO, "empty PEM output"};
  return std::string(data, static_cast<size_t>(len));
}

}  // namespace

Result<PkeyPtr> load_rsa_private_key(const std::string& pem) {
  ASSIGN_OR_RETURN(BioPtr bio, mem_bio(pem));
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_password, nullptr));
  ERR_clear_error();
  return check_rsa(std::move(key));
}

Result<PkeyPtr> load_rsa_public_key(const std::string& pem) {
  ASSIGN_OR_RETURN(BioPtr bio, mem_bio(pem));
  PkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, no_password, nullptr));
  ERR_clear_error();
  return check_rsa(std::move(key));
}

Result<std::string> private_key_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio) return Error{ENOMEM, "BIO_new"};
  if (PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    ERR_clear_error();
    return Error{EIO, "PEM_write_bio_PrivateKey"};
  }
  return bio_text(bio.get());
}

Result<std::string> public_key_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio) return Error{ENOMEM, "BIO_new"};
  if (PEM_write_bio_PUBKEY(bio.get(), key) != 1) {
    ERR_clear_error();
    return Error{EIO, "PEM_write_bio_PUBKEY"};
  }
  return bio_text(bio.get());
}

}  // namespace swtee::taimg
