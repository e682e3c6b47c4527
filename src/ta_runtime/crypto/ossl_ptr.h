// Move-only owners for the OpenSSL objects the asymmetric code handles
// (never a raw owning pointer across a return path).
#pragma once

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

#include <memory>

namespace swtee::ta::crypto {

// Calls Free on the pointer; one deleter per OpenSSL free function.
template <auto Free>
struct OsslFree {
  template <typename T>
  void operator()(T* p) const noexcept {
    Free(p);
  }
};

using BnPtr = std::unique_ptr<BIGNUM, OsslFree<BN_clear_free>>;  // clears the limbs
using BnCtxPtr = std::unique_ptr<BN_CTX, OsslFree<BN_CTX_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, OsslFree<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OsslFree<EVP_PKEY_CTX_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, OsslFree<OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, OsslFree<OSSL_PARAM_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OsslFree<EVP_MD_CTX_free>>;

}  // namespace swtee::ta::crypto
