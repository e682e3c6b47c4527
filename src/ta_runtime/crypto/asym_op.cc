#include "ta_runtime/crypto/asym_op.h"

#include <openssl/core_names.h>
#include <openssl/rsa.h>

#include "ta_runtime/crypto/asym_key.h"
#include "ta_runtime/crypto/evp_cache.h"

namespace swtee::ta::crypto {
namespace {

bool needs_private(uint32_t mode) noexcept {
  return mode == TEE_MODE_SIGN || mode == TEE_MODE_DECRYPT || mode == TEE_MODE_DERIVE;
}

bool init_for_mode(Operation& op, EVP_PKEY_CTX* ctx) noexcept {
  const AlgInfo& a = *op.alg;
  const EVP_MD* md = a.md != nullptr ? fetch_md(a.md) : nullptr;
  switch (a.scheme) {
    case Scheme::kRsaPkcs1Sign:
    case Scheme::kRsaPss:
    case Scheme::kDsa:
    case Scheme::kEcdsa:
    case Scheme::kSm2Dsa: {
      const int r = op.mode == TEE_MODE_SIGN ? EVP_PKEY_sign_init(ctx) : EVP_PKEY_verify_init(ctx);
      if (r != 1) return false;
      if (a.scheme == Scheme::kRsaPkcs1Sign) {
        return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
               (md == nullptr || EVP_PKEY_CTX_set_signature_md(ctx, md) == 1);
      }
      if (a.scheme == Scheme::kRsaPss) {
        return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1 &&
               EVP_PKEY_CTX_set_signature_md(ctx, md) == 1 && EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) == 1;
      }
      return true;  // DSA/ECDSA/SM2 sign the digest as given (no md: any length)
    }
    case Scheme::kRsaPkcs1Enc:
    case Scheme::kRsaOaep:
    case Scheme::kRsaNopad:
    case Scheme::kSm2Pke: {
      const int r = op.mode == TEE_MODE_ENCRYPT ? EVP_PKEY_encrypt_init(ctx) : EVP_PKEY_decrypt_init(ctx);
      if (r != 1) return false;
      if (a.scheme == Scheme::kRsaPkcs1Enc) return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1;
      if (a.scheme == Scheme::kRsaNopad) return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING) == 1;
      if (a.scheme == Scheme::kRsaOaep) {
        return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) == 1 &&
               EVP_PKEY_CTX_set_rsa_oaep_md(ctx, md) == 1;
      }
      return true;  // SM2: SM3 is OpenSSL's default and GP's only choice
    }
    case Scheme::kEcdh:
    case Scheme::kX25519:
    case Scheme::kX448:
      return EVP_PKEY_derive_init(ctx) == 1;
    case Scheme::kEd25519:
    case Scheme::kDh:
    case Scheme::kNone:
      return true;  // no EVP_PKEY_CTX (Ed25519 uses an EVP_MD_CTX, DH BIGNUMs)
  }
  return false;
}

TEE_Result store_secret(Object& dst, const uint8_t* p, size_t n) noexcept {
  if (n == 0 || static_cast<uint64_t>(n) * 8 > dst.max_size) return TEE_ERROR_BAD_PARAMETERS;
  Attr at;
  at.id = TEE_ATTR_SECRET_VALUE;
  if (!at.ref.assign(p, n)) return TEE_ERROR_OUT_OF_MEMORY;
  dst.attrs.clear();
  dst.attrs.push_back(std::move(at));
  dst.key_size = static_cast<uint32_t>(n * 8);
  dst.handle_flags |= TEE_HANDLE_FLAG_INITIALIZED;
  return TEE_SUCCESS;
}

// Every parameter must be one of `allowed`; returns the one with id `want`.
const Attr* only_param(std::span<const Attr> params, std::initializer_list<uint32_t> allowed, uint32_t want,
                       bool* ok) noexcept {
  for (const Attr& a : params) {
    bool known = false;
    for (uint32_t id : allowed) known = known || a.id == id;
    if (!known) *ok = false;
  }
  return find_attr(params, want);
}

TEE_Result derive_dh(const Operation& op, std::span<const Attr> params, Object& dst) noexcept {
  bool ok = true;
  const Attr* peer = only_param(params, {TEE_ATTR_DH_PUBLIC_VALUE}, TEE_ATTR_DH_PUBLIC_VALUE, &ok);
  const Attr* ap = find_attr(op.akey, TEE_ATTR_DH_PRIME);
  const Attr* ax = find_attr(op.akey, TEE_ATTR_DH_PRIVATE_VALUE);
  const Attr* aq = find_attr(op.akey, TEE_ATTR_DH_SUBPRIME);
  if (!ok || peer == nullptr || ap == nullptr || ax == nullptr) return TEE_ERROR_BAD_PARAMETERS;
  BnCtxPtr ctx(BN_CTX_secure_new());
  BnPtr p = bn_from(ap->ref), x = bn_from(ax->ref), y = bn_from(peer->ref), z(BN_secure_new()), pm1(BN_new());
  if (!ctx || !p || !x || !y || !z || !pm1 || !BN_copy(pm1.get(), p.get()) || BN_sub_word(pm1.get(), 1) != 1)
    return TEE_ERROR_OUT_OF_MEMORY;
  // SP 800-56A public-key checks: 1 < y < p - 1, and y^q = 1 when q is known.
  if (BN_cmp(y.get(), BN_value_one()) <= 0 || BN_cmp(y.get(), pm1.get()) >= 0)
    return TEE_ERROR_BAD_PARAMETERS;
  if (aq != nullptr) {
    BnPtr q = bn_from(aq->ref), t(BN_new());
    if (!q || !t || BN_mod_exp(t.get(), y.get(), q.get(), p.get(), ctx.get()) != 1)
      return TEE_ERROR_OUT_OF_MEMORY;
    if (!BN_is_one(t.get())) return TEE_ERROR_BAD_PARAMETERS;
  }
  BN_set_flags(x.get(), BN_FLG_CONSTTIME);
  if (BN_mod_exp_mont_consttime(z.get(), y.get(), x.get(), p.get(), ctx.get(), nullptr) != 1)
    return TEE_ERROR_GENERIC;
  // OP-TEE compatibility: the secret is the minimal big-endian value.
  SecureBytes out;
  const int n = BN_num_bytes(z.get());
  if (n <= 0 || !out.resize(static_cast<size_t>(n)) || BN_bn2bin(z.get(), out.data()) != n)
    return TEE_ERROR_GENERIC;
  return store_secret(dst, out.data(), out.size());
}

PkeyPtr ec_peer(const Operation& op, std::span<const Attr> params, bool* ok) noexcept {
  const Attr* x =
      only_param(params, {TEE_ATTR_ECC_PUBLIC_VALUE_X, TEE_ATTR_ECC_PUBLIC_VALUE_Y, TEE_ATTR_ECC_CURVE},
                 TEE_ATTR_ECC_PUBLIC_VALUE_X, ok);
  const Attr* y = find_attr(params, TEE_ATTR_ECC_PUBLIC_VALUE_Y);
  const Attr* own = find_attr(op.akey, TEE_ATTR_ECC_CURVE);
  if (!*ok || x == nullptr || y == nullptr || own == nullptr) return nullptr;
  const uint32_t curve = own->a;
  // A curve attribute among the parameters must name the key's own curve.
  if (const Attr* pc = find_attr(params, TEE_ATTR_ECC_CURVE); pc != nullptr && pc->a != curve) return nullptr;
  std::vector<Attr> pub;
  pub.push_back(*x);
  pub.push_back(*y);
  Attr c;
  c.id = TEE_ATTR_ECC_CURVE;
  c.a = curve;
  pub.push_back(std::move(c));
  const ObjectTypeInfo* t = find_object_type(TEE_TYPE_ECDH_PUBLIC_KEY);
  return t == nullptr ? nullptr : asym_pkey(*t, pub, true);
}

}  // namespace

bool asym_key_fits(const Operation& op, const Object& key) noexcept {
  const uint32_t want = op.alg->key_type;
  const uint32_t have = key.type->type;
  if (have != want && (needs_private(op.mode) || have != public_type_of(want))) return false;
  if (op.alg->curve != 0) {
    const Attr* c = key.find(TEE_ATTR_ECC_CURVE);
    if (c == nullptr || c->a != op.alg->curve) return false;
  }
  return true;
}

void asym_clear_key(Operation& op) noexcept {
  EVP_PKEY_CTX_free(op.pctx);
  op.pctx = nullptr;
  EVP_PKEY_free(op.pkey);
  op.pkey = nullptr;
  op.akey.clear();
}

TEE_Result asym_set_key(Operation& op, const Object& key) noexcept {
  asym_clear_key(op);
  if (op.alg->scheme == Scheme::kDh) {
    op.akey = key.attrs;
    for (const Attr& a : op.akey) {
      if (!attr_is_value(a.id) && a.ref.size() != 0 && a.ref.data() == nullptr)
        return TEE_ERROR_OUT_OF_MEMORY;
    }
    return TEE_SUCCESS;
  }
  if (op.alg->scheme == Scheme::kEcdh) {
    // The peer's point is read on the key's curve (asym_derive).
    const Attr* c = key.find(TEE_ATTR_ECC_CURVE);
    if (c == nullptr) return TEE_ERROR_BAD_PARAMETERS;
    op.akey.push_back(*c);
  }
  PkeyPtr pkey = asym_pkey(*key.type, key.attrs, !needs_private(op.mode));
  if (!pkey) return TEE_ERROR_BAD_PARAMETERS;
  PkeyCtxPtr ctx;
  if (op.alg->scheme == Scheme::kEd25519) {
    if (op.md_ctx == nullptr && (op.md_ctx = EVP_MD_CTX_new()) == nullptr) return TEE_ERROR_OUT_OF_MEMORY;
  } else {
    ctx.reset(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
    if (!ctx) return TEE_ERROR_OUT_OF_MEMORY;
    if (!init_for_mode(op, ctx.get())) return TEE_ERROR_BAD_PARAMETERS;
  }
  op.pkey = pkey.release();
  op.pctx = ctx.release();
  return TEE_SUCCESS;
}

TEE_Result asym_derive(Operation& op, std::span<const Attr> params, Object& dst) noexcept {
  if (op.alg->scheme == Scheme::kDh) return derive_dh(op, params, dst);
  bool ok = true;
  PkeyPtr peer;
  switch (op.alg->scheme) {
    case Scheme::kEcdh:
      peer = ec_peer(op, params, &ok);
      break;
    case Scheme::kX25519:
    case Scheme::kX448: {
      const bool x25519 = op.alg->scheme == Scheme::kX25519;
      const uint32_t id = x25519 ? TEE_ATTR_X25519_PUBLIC_VALUE : TEE_ATTR_X448_PUBLIC_VALUE;
      const size_t len = x25519 ? 32 : 56;
      const Attr* pub = only_param(params, {id}, id, &ok);
      if (ok && pub != nullptr && pub->ref.size() == len)
        peer.reset(EVP_PKEY_new_raw_public_key_ex(nullptr, x25519 ? "X25519" : "X448", nullptr,
                                                  pub->ref.data(), len));
      break;
    }
    case Scheme::kNone:
    case Scheme::kRsaPkcs1Sign:
    case Scheme::kRsaPss:
    case Scheme::kRsaPkcs1Enc:
    case Scheme::kRsaOaep:
    case Scheme::kRsaNopad:
    case Scheme::kDsa:
    case Scheme::kEcdsa:
    case Scheme::kEd25519:
    case Scheme::kSm2Dsa:
    case Scheme::kSm2Pke:
    case Scheme::kDh:
      return TEE_ERROR_BAD_PARAMETERS;
  }
  if (!peer) return TEE_ERROR_BAD_PARAMETERS;
  // validate_peer = 1: OpenSSL checks the point/public key before use.
  if (EVP_PKEY_derive_set_peer_ex(op.pctx, peer.get(), 1) != 1) return TEE_ERROR_BAD_PARAMETERS;
  size_t n = 0;
  if (EVP_PKEY_derive(op.pctx, nullptr, &n) != 1 || n == 0 || n > 132) return TEE_ERROR_GENERIC;
  uint8_t secret[132];
  // X25519/X448 refuse an all-zero result (a low-order peer point).
  const bool derived = EVP_PKEY_derive(op.pctx, secret, &n) == 1;
  const TEE_Result r = derived ? store_secret(dst, secret, n) : TEE_ERROR_BAD_PARAMETERS;
  OPENSSL_cleanse(secret, sizeof(secret));
  return r;
}

}  // namespace swtee::ta::crypto
