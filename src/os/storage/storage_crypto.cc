#include "os/storage/storage_crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>
#include <string_view>
#include <vector>

#include "os/storage/storage_errors.h"

namespace swtee::os::storage {
namespace {

struct KdfCtxFree {
  void operator()(EVP_KDF_CTX* c) const { EVP_KDF_CTX_free(c); }
};
struct MacCtxFree {
  void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

// Fetched once; OpenSSL's implicit fetch per call costs more than the HKDF.
EVP_KDF* hkdf_impl() {
  static EVP_KDF* k = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  return k;
}
EVP_MAC* hmac_impl() {
  static EVP_MAC* m = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return m;
}
const EVP_CIPHER* gcm_impl() {
  static EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  return c;
}

bool fits_int(size_t n) { return n <= static_cast<size_t>(INT32_MAX); }

}  // namespace

SecretKey::SecretKey(Bytes b) {
  const size_t n = b.size() < k_.size() ? b.size() : k_.size();
  std::copy_n(b.begin(), n, k_.begin());
}

SecretKey::~SecretKey() { OPENSSL_cleanse(k_.data(), k_.size()); }

Result<SecretKey> hkdf(const SecretKey& ikm, Bytes salt, std::initializer_list<Bytes> info) {
  if (hkdf_impl() == nullptr) return Error{ENOSYS, "HKDF unavailable"};
  std::unique_ptr<EVP_KDF_CTX, KdfCtxFree> ctx(EVP_KDF_CTX_new(hkdf_impl()));
  if (!ctx) return Error{ENOMEM, "HKDF ctx"};
  std::vector<uint8_t> info_buf;
  for (Bytes part : info) info_buf.insert(info_buf.end(), part.begin(), part.end());
  char digest[] = "SHA256";
  OSSL_PARAM params[5];
  size_t n = 0;
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<uint8_t*>(ikm.bytes().data()),
                                                  ikm.bytes().size());
  if (!salt.empty())
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<uint8_t*>(salt.data()),
                                                    salt.size());
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info_buf.data(), info_buf.size());
  params[n] = OSSL_PARAM_construct_end();
  SecretKey out;
  if (EVP_KDF_derive(ctx.get(), out.mut().data(), out.mut().size(), params) != 1) return Error{EIO, "HKDF"};
  return out;
}

Result<Mac> hmac(const SecretKey& key, std::initializer_list<Bytes> parts) {
  if (hmac_impl() == nullptr) return Error{ENOSYS, "HMAC unavailable"};
  std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx(EVP_MAC_CTX_new(hmac_impl()));
  if (!ctx) return Error{ENOMEM, "HMAC ctx"};
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(ctx.get(), key.bytes().data(), key.bytes().size(), params) != 1) return Error{EIO, "HMAC init"};
  for (Bytes p : parts)
    if (EVP_MAC_update(ctx.get(), p.data(), p.size()) != 1) return Error{EIO, "HMAC update"};
  Mac mac{};
  size_t len = 0;
  if (EVP_MAC_final(ctx.get(), mac.data(), &len, mac.size()) != 1 || len != mac.size())
    return Error{EIO, "HMAC final"};
  return mac;
}

Result<Mac> sha256(Bytes in) {
  Mac out{};
  unsigned int len = 0;
  if (EVP_Digest(in.data(), in.size(), out.data(), &len, EVP_sha256(), nullptr) != 1 || len != out.size())
    return Error{EIO, "SHA-256"};
  return out;
}

bool equal_ct(Bytes a, Bytes b) { return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0; }

Status gcm_seal(const SecretKey& key, const Nonce& nonce, Bytes aad, Bytes in, std::span<uint8_t> out, Tag* tag) {
  if (out.size() != in.size() || !fits_int(in.size()) || !fits_int(aad.size())) return Error{EINVAL, "GCM sizes"};
  if (gcm_impl() == nullptr) return Error{ENOSYS, "AES-GCM unavailable"};
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return Error{ENOMEM, "GCM ctx"};
  int len = 0;
  if (EVP_EncryptInit_ex2(ctx.get(), gcm_impl(), key.bytes().data(), nonce.data(), nullptr) != 1)
    return Error{EIO, "GCM init"};
  if (!aad.empty() && EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1)
    return Error{EIO, "GCM aad"};
  if (!in.empty() && EVP_EncryptUpdate(ctx.get(), out.data(), &len, in.data(), static_cast<int>(in.size())) != 1)
    return Error{EIO, "GCM encrypt"};
  if (EVP_EncryptFinal_ex(ctx.get(), out.data() + in.size(), &len) != 1) return Error{EIO, "GCM final"};
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, tag->data()) != 1) return Error{EIO, "GCM tag"};
  return ok_status();
}

Status gcm_open(const SecretKey& key, const Nonce& nonce, Bytes aad, Bytes in, const Tag& tag,
                std::span<uint8_t> out) {
  if (out.size() != in.size() || !fits_int(in.size()) || !fits_int(aad.size())) return Error{EINVAL, "GCM sizes"};
  if (gcm_impl() == nullptr) return Error{ENOSYS, "AES-GCM unavailable"};
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return Error{ENOMEM, "GCM ctx"};
  int len = 0;
  Tag t = tag;
  bool ok = EVP_DecryptInit_ex2(ctx.get(), gcm_impl(), key.bytes().data(), nonce.data(), nullptr) == 1 &&
            (aad.empty() || EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1) &&
            (in.empty() || EVP_DecryptUpdate(ctx.get(), out.data(), &len, in.data(), static_cast<int>(in.size())) == 1) &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, t.data()) == 1 &&
            EVP_DecryptFinal_ex(ctx.get(), out.data() + in.size(), &len) == 1;
  if (!ok) {
    OPENSSL_cleanse(out.data(), out.size());
    return corrupt("GCM tag mismatch");
  }
  return ok_status();
}

Status random_bytes(std::span<uint8_t> out) {
  if (out.empty()) return ok_status();
  if (!fits_int(out.size()) || RAND_bytes(out.data(), static_cast<int>(out.size())) != 1)
    return Error{EIO, "RAND_bytes"};
  return ok_status();
}

}  // namespace swtee::os::storage
