#include "ta_runtime/crypto/asym_key.h"

#include <openssl/core_names.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <initializer_list>

namespace swtee::ta::crypto {
namespace {

constexpr std::array kCurves = {
    CurveInfo{TEE_ECC_CURVE_NIST_P192, "P-192", 192, 24},
    CurveInfo{TEE_ECC_CURVE_NIST_P224, "P-224", 224, 28},
    CurveInfo{TEE_ECC_CURVE_NIST_P256, "P-256", 256, 32},
    CurveInfo{TEE_ECC_CURVE_NIST_P384, "P-384", 384, 48},
    CurveInfo{TEE_ECC_CURVE_NIST_P521, "P-521", 521, 66},
    CurveInfo{TEE_ECC_CURVE_SM2, "SM2", 256, 32},
};

constexpr uint32_t kRsaDefaultExponent = 65537;
// Retries of the small-RSA prime search before giving up.
constexpr int kSmallRsaAttempts = 64;

bool present(std::span<const Attr> a, uint32_t id) noexcept { return find_attr(a, id) != nullptr; }

// OP-TEE's tee_svc_cryp_check_attr for generation parameters: each one the
// type takes for generation, none twice, the required ones all present;
// ITEM_NOT_FOUND otherwise (which TEE_GenerateKey turns into a panic).
TEE_Result check_gen_params(std::span<const Attr> params, std::initializer_list<uint32_t> allowed,
                            std::initializer_list<uint32_t> required) noexcept {
  for (size_t i = 0; i < params.size(); ++i) {
    if (std::find(allowed.begin(), allowed.end(), params[i].id) == allowed.end())
      return TEE_ERROR_ITEM_NOT_FOUND;
    for (size_t j = 0; j < i; ++j) {
      if (params[j].id == params[i].id) return TEE_ERROR_ITEM_NOT_FOUND;
    }
  }
  for (uint32_t id : required) {
    if (!present(params, id)) return TEE_ERROR_ITEM_NOT_FOUND;
  }
  return TEE_SUCCESS;
}

bool nonzero(const Attr* a) noexcept {
  if (a == nullptr) return false;
  for (size_t i = 0; i < a->ref.size(); ++i) {
    if (a->ref.data()[i] != 0) return true;
  }
  return false;
}

uint32_t num_bits(const Attr* a) noexcept {
  if (a == nullptr) return 0;
  BnPtr b = bn_from(a->ref);
  return b ? static_cast<uint32_t>(BN_num_bits(b.get())) : 0;
}

bool fits(const Attr* a, size_t bytes) noexcept {
  if (a == nullptr) return false;
  // Leading zeros do not count against the field size.
  size_t i = 0;
  while (i < a->ref.size() && a->ref.data()[i] == 0) ++i;
  return a->ref.size() - i <= bytes;
}

// The curve of an ECC/SM2 attribute set (SM2 keys may omit it).
const CurveInfo* curve_of(const ObjectTypeInfo& t, std::span<const Attr> attrs) noexcept {
  const Attr* c = find_attr(attrs, TEE_ATTR_ECC_CURVE);
  if (t.kind == KeyKind::kSm2) {
    if (c != nullptr && c->a != TEE_ECC_CURVE_SM2) return nullptr;
    return find_curve(TEE_ECC_CURVE_SM2);
  }
  if (c == nullptr || c->a == TEE_ECC_CURVE_SM2) return nullptr;
  return find_curve(c->a);
}

bool push_bn(OSSL_PARAM_BLD* bld, const char* key, const Attr* a, std::vector<BnPtr>* keep) noexcept {
  if (a == nullptr) return true;
  BnPtr b = bn_from(a->ref);
  if (!b || OSSL_PARAM_BLD_push_BN(bld, key, b.get()) != 1) return false;
  keep->push_back(std::move(b));
  return true;
}

PkeyPtr from_params(const char* keytype, OSSL_PARAM_BLD* bld, bool public_only) noexcept {
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, keytype, nullptr));
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return nullptr;
  EVP_PKEY* k = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &k, public_only ? EVP_PKEY_PUBLIC_KEY : EVP_PKEY_KEYPAIR, params.get()) !=
      1)
    return nullptr;
  return PkeyPtr(k);
}

// 04 || X || Y with both coordinates left-padded to the field size.
bool ec_point(const CurveInfo& c, const Attr* x, const Attr* y, SecureBytes* out) noexcept {
  if (!fits(x, c.bytes) || !fits(y, c.bytes) || !out->resize(1 + 2 * c.bytes)) return false;
  uint8_t* p = out->data();
  std::memset(p, 0, out->size());
  p[0] = 0x04;
  BnPtr bx = bn_from(x->ref), by = bn_from(y->ref);
  return bx && by && BN_bn2binpad(bx.get(), p + 1, static_cast<int>(c.bytes)) >= 0 &&
         BN_bn2binpad(by.get(), p + 1 + c.bytes, static_cast<int>(c.bytes)) >= 0;
}

PkeyPtr ec_pkey(const ObjectTypeInfo& t, std::span<const Attr> attrs, bool public_only) noexcept {
  const CurveInfo* c = curve_of(t, attrs);
  if (c == nullptr) return nullptr;
  SecureBytes pub;
  if (!ec_point(*c, find_attr(attrs, TEE_ATTR_ECC_PUBLIC_VALUE_X),
                find_attr(attrs, TEE_ATTR_ECC_PUBLIC_VALUE_Y), &pub))
    return nullptr;
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  std::vector<BnPtr> keep;
  if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, c->group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, pub.data(), pub.size()) != 1)
    return nullptr;
  if (!public_only &&
      !push_bn(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, find_attr(attrs, TEE_ATTR_ECC_PRIVATE_VALUE), &keep))
    return nullptr;
  return from_params(t.kind == KeyKind::kSm2 ? "SM2" : "EC", bld.get(), public_only);
}

PkeyPtr raw_pkey(const char* name, const Attr* pub, const Attr* priv, size_t len, bool public_only) noexcept {
  if (!public_only) {
    if (priv == nullptr || priv->ref.size() != len) return nullptr;
    return PkeyPtr(EVP_PKEY_new_raw_private_key_ex(nullptr, name, nullptr, priv->ref.data(), len));
  }
  if (pub == nullptr || pub->ref.size() != len) return nullptr;
  return PkeyPtr(EVP_PKEY_new_raw_public_key_ex(nullptr, name, nullptr, pub->ref.data(), len));
}

// A raw key pair's public value must be the one its private value gives
// (signing uses the private value alone, verifying the public one).
bool raw_pair_consistent(const ObjectTypeInfo& t, std::span<const Attr> attrs, size_t len) noexcept {
  PkeyPtr k = asym_pkey(t, attrs, false);
  uint8_t pub[56];
  size_t n = sizeof(pub);
  if (!k || EVP_PKEY_get_raw_public_key(k.get(), pub, &n) != 1 || n != len) return false;
  for (const Attr& a : attrs) {
    if (attr_is_public(a.id)) return CRYPTO_memcmp(a.ref.data(), pub, len) == 0;
  }
  return false;
}

bool push_attr(uint32_t id, const void* p, size_t n, std::vector<Attr>* out) noexcept {
  Attr a;
  a.id = id;
  if (!a.ref.assign(p, n)) return false;
  out->push_back(std::move(a));
  return true;
}

bool push_value(uint32_t id, uint32_t v, std::vector<Attr>* out) noexcept {
  Attr a;
  a.id = id;
  a.a = v;
  out->push_back(std::move(a));
  return true;
}

bool export_bn(const EVP_PKEY* k, const char* name, uint32_t id, std::vector<Attr>* out) noexcept {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(k, name, &raw) != 1) return false;
  BnPtr b(raw);
  return bn_to_attr(b.get(), id, out);
}

PkeyPtr keygen(const char* keytype, const OSSL_PARAM* params) noexcept {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, keytype, nullptr));
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1) return nullptr;
  if (params != nullptr && EVP_PKEY_CTX_set_params(ctx.get(), params) != 1) return nullptr;
  EVP_PKEY* k = nullptr;
  if (EVP_PKEY_generate(ctx.get(), &k) != 1) return nullptr;
  return PkeyPtr(k);
}

// RSA below OpenSSL's 512-bit keygen floor: two random primes whose product
// has exactly `bits` bits, d = e^-1 mod lcm(p-1, q-1), and the CRT values.
TEE_Result rsa_small(uint32_t bits, const BIGNUM* e, std::vector<Attr>* out) noexcept {
  BnCtxPtr ctx(BN_CTX_secure_new());
  BnPtr p(BN_secure_new()), q(BN_secure_new()), n(BN_new()), p1(BN_secure_new()), q1(BN_secure_new()),
      lcm(BN_secure_new()), g(BN_secure_new()), d(BN_secure_new()), dp(BN_secure_new()), dq(BN_secure_new()),
      qi(BN_secure_new());
  if (!ctx || !p || !q || !n || !p1 || !q1 || !lcm || !g || !d || !dp || !dq || !qi)
    return TEE_ERROR_OUT_OF_MEMORY;
  for (int attempt = 0; attempt < kSmallRsaAttempts; ++attempt) {
    if (BN_generate_prime_ex2(p.get(), static_cast<int>(bits - bits / 2), 0, nullptr, nullptr, nullptr,
                              ctx.get()) != 1 ||
        BN_generate_prime_ex2(q.get(), static_cast<int>(bits / 2), 0, nullptr, nullptr, nullptr, ctx.get()) !=
            1)
      return TEE_ERROR_GENERIC;
    if (BN_cmp(p.get(), q.get()) == 0 || BN_mul(n.get(), p.get(), q.get(), ctx.get()) != 1 ||
        BN_num_bits(n.get()) != static_cast<int>(bits))
      continue;
    if (BN_sub(p1.get(), p.get(), BN_value_one()) != 1 || BN_sub(q1.get(), q.get(), BN_value_one()) != 1 ||
        BN_gcd(g.get(), p1.get(), q1.get(), ctx.get()) != 1 ||
        BN_mul(lcm.get(), p1.get(), q1.get(), ctx.get()) != 1 ||
        BN_div(lcm.get(), nullptr, lcm.get(), g.get(), ctx.get()) != 1)
      return TEE_ERROR_GENERIC;
    if (BN_mod_inverse(d.get(), e, lcm.get(), ctx.get()) == nullptr) continue;  // gcd(e, lcm) != 1
    if (BN_mod(dp.get(), d.get(), p1.get(), ctx.get()) != 1 ||
        BN_mod(dq.get(), d.get(), q1.get(), ctx.get()) != 1 ||
        BN_mod_inverse(qi.get(), q.get(), p.get(), ctx.get()) == nullptr)
      return TEE_ERROR_GENERIC;
    const bool ok =
        bn_to_attr(n.get(), TEE_ATTR_RSA_MODULUS, out) && bn_to_attr(e, TEE_ATTR_RSA_PUBLIC_EXPONENT, out) &&
        bn_to_attr(d.get(), TEE_ATTR_RSA_PRIVATE_EXPONENT, out) &&
        bn_to_attr(p.get(), TEE_ATTR_RSA_PRIME1, out) && bn_to_attr(q.get(), TEE_ATTR_RSA_PRIME2, out) &&
        bn_to_attr(dp.get(), TEE_ATTR_RSA_EXPONENT1, out) &&
        bn_to_attr(dq.get(), TEE_ATTR_RSA_EXPONENT2, out) &&
        bn_to_attr(qi.get(), TEE_ATTR_RSA_COEFFICIENT, out);
    return ok ? TEE_SUCCESS : TEE_ERROR_OUT_OF_MEMORY;
  }
  return TEE_ERROR_GENERIC;
}

TEE_Result gen_rsa(uint32_t bits, std::span<const Attr> params, std::vector<Attr>* out) noexcept {
  BnPtr e;
  if (const Attr* pe = find_attr(params, TEE_ATTR_RSA_PUBLIC_EXPONENT)) {
    e = bn_from(pe->ref);
    // GP: an odd exponent of at least 65537 is what every implementation
    // accepts; OpenSSL wants odd and > 1.
    if (!e || !BN_is_odd(e.get()) || BN_is_one(e.get()) || BN_num_bits(e.get()) > 256)
      return TEE_ERROR_BAD_PARAMETERS;
  } else {
    e.reset(BN_new());
    if (!e || BN_set_word(e.get(), kRsaDefaultExponent) != 1) return TEE_ERROR_OUT_OF_MEMORY;
  }
  if (bits < 512) return rsa_small(bits, e.get(), out);
  size_t nbits = bits;
  OSSL_PARAM p[3];
  p[0] = OSSL_PARAM_construct_size_t(OSSL_PKEY_PARAM_RSA_BITS, &nbits);
  unsigned char ebuf[64];
  const int elen = BN_bn2nativepad(e.get(), ebuf, sizeof(ebuf));
  if (elen < 0) return TEE_ERROR_BAD_PARAMETERS;
  p[1] = OSSL_PARAM_construct_BN(OSSL_PKEY_PARAM_RSA_E, ebuf, sizeof(ebuf));
  p[2] = OSSL_PARAM_construct_end();
  PkeyPtr k = keygen("RSA", p);
  if (!k) return TEE_ERROR_GENERIC;
  const bool ok = export_bn(k.get(), OSSL_PKEY_PARAM_RSA_N, TEE_ATTR_RSA_MODULUS, out) &&
                  export_bn(k.get(), OSSL_PKEY_PARAM_RSA_E, TEE_ATTR_RSA_PUBLIC_EXPONENT, out) &&
                  export_bn(k.get(), OSSL_PKEY_PARAM_RSA_D, TEE_ATTR_RSA_PRIVATE_EXPONENT, out) &&
                  export_bn(k.get(), OSSL_PKEY_PARAM_RSA_FACTOR1, TEE_ATTR_RSA_PRIME1, out) &&
                  export_bn(k.get(), OSSL_PKEY_PARAM_RSA_FACTOR2, TEE_ATTR_RSA_PRIME2, out) &&
                  export_bn(k.get(), OSSL_PKEY_PARAM_RSA_EXPONENT1, TEE_ATTR_RSA_EXPONENT1, out) &&
                  export_bn(k.get(), OSSL_PKEY_PARAM_RSA_EXPONENT2, TEE_ATTR_RSA_EXPONENT2, out) &&
                  export_bn(k.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1, TEE_ATTR_RSA_COEFFICIENT, out);
  return ok ? TEE_SUCCESS : TEE_ERROR_GENERIC;
}

// x uniformly in [1, bound - 1].
bool random_below(BIGNUM* x, const BIGNUM* bound, BN_CTX* ctx) noexcept {
  BnPtr m(BN_dup(bound));
  if (!m || BN_sub_word(m.get(), 1) != 1 || BN_is_zero(m.get())) return false;
  return BN_priv_rand_range_ex(x, m.get(), 0, ctx) == 1 && BN_add_word(x, 1) == 1;
}

// DSA and DH share the shape: domain (p, g, [q]) given, x random, y = g^x mod p.
TEE_Result gen_dlog(const ObjectTypeInfo& t, uint32_t bits, std::span<const Attr> params,
                    std::vector<Attr>* out) noexcept {
  const bool dsa = t.kind == KeyKind::kDsa;
  const uint32_t id_p = dsa ? TEE_ATTR_DSA_PRIME : TEE_ATTR_DH_PRIME;
  const uint32_t id_g = dsa ? TEE_ATTR_DSA_BASE : TEE_ATTR_DH_BASE;
  const uint32_t id_q = dsa ? TEE_ATTR_DSA_SUBPRIME : TEE_ATTR_DH_SUBPRIME;
  const TEE_Result r = dsa ? check_gen_params(params, {id_p, id_q, id_g}, {id_p, id_q, id_g})
                           : check_gen_params(params, {id_p, id_g, id_q, TEE_ATTR_DH_X_BITS}, {id_p, id_g});
  if (r != TEE_SUCCESS) return r;
  const Attr* ap = find_attr(params, id_p);
  const Attr* ag = find_attr(params, id_g);
  const Attr* aq = find_attr(params, id_q);
  const Attr* axb = dsa ? nullptr : find_attr(params, TEE_ATTR_DH_X_BITS);
  if (ap == nullptr || ag == nullptr || (dsa && aq == nullptr)) return TEE_ERROR_BAD_PARAMETERS;
  BnCtxPtr ctx(BN_CTX_secure_new());
  BnPtr p = bn_from(ap->ref), g = bn_from(ag->ref), q = aq != nullptr ? bn_from(aq->ref) : nullptr;
  BnPtr x(BN_secure_new()), y(BN_new());
  if (!ctx || !p || !g || (aq != nullptr && !q) || !x || !y) return TEE_ERROR_OUT_OF_MEMORY;
  if (static_cast<uint32_t>(BN_num_bits(p.get())) != bits || !BN_is_odd(p.get()))
    return TEE_ERROR_BAD_PARAMETERS;
  if (BN_cmp(g.get(), BN_value_one()) <= 0 || BN_cmp(g.get(), p.get()) >= 0) return TEE_ERROR_BAD_PARAMETERS;
  if (q && (BN_cmp(q.get(), BN_value_one()) <= 0 || BN_cmp(q.get(), p.get()) >= 0))
    return TEE_ERROR_BAD_PARAMETERS;
  if (q) {
    if (!random_below(x.get(), q.get(), ctx.get())) return TEE_ERROR_GENERIC;
  } else if (axb != nullptr && axb->a != 0) {  // X_BITS 0: no constraint (as OP-TEE)
    if (axb->a >= bits) return TEE_ERROR_BAD_PARAMETERS;
    if (BN_priv_rand_ex(x.get(), static_cast<int>(axb->a), BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY, 0,
                        ctx.get()) != 1)
      return TEE_ERROR_GENERIC;
  } else {
    BnPtr pm1(BN_dup(p.get()));
    if (!pm1 || BN_sub_word(pm1.get(), 1) != 1 || !random_below(x.get(), pm1.get(), ctx.get()))
      return TEE_ERROR_GENERIC;
  }
  BN_set_flags(x.get(), BN_FLG_CONSTTIME);
  if (BN_mod_exp_mont_consttime(y.get(), g.get(), x.get(), p.get(), ctx.get(), nullptr) != 1)
    return TEE_ERROR_GENERIC;
  bool ok = bn_to_attr(p.get(), id_p, out) && bn_to_attr(g.get(), id_g, out) &&
            (!q || bn_to_attr(q.get(), id_q, out)) &&
            bn_to_attr(y.get(), dsa ? TEE_ATTR_DSA_PUBLIC_VALUE : TEE_ATTR_DH_PUBLIC_VALUE, out) &&
            bn_to_attr(x.get(), dsa ? TEE_ATTR_DSA_PRIVATE_VALUE : TEE_ATTR_DH_PRIVATE_VALUE, out);
  if (ok && axb != nullptr) ok = push_value(TEE_ATTR_DH_X_BITS, axb->a, out);
  return ok ? TEE_SUCCESS : TEE_ERROR_OUT_OF_MEMORY;
}

TEE_Result gen_ec(const ObjectTypeInfo& t, uint32_t bits, std::span<const Attr> params,
                  std::vector<Attr>* out) noexcept {
  // ECDSA/ECDH need the curve (OP-TEE: GEN_KEY_REQ); SM2's is optional here.
  const TEE_Result r = t.kind == KeyKind::kEcc
                           ? check_gen_params(params, {TEE_ATTR_ECC_CURVE}, {TEE_ATTR_ECC_CURVE})
                           : check_gen_params(params, {TEE_ATTR_ECC_CURVE}, {});
  if (r != TEE_SUCCESS) return r;
  const CurveInfo* c = curve_of(t, params);
  if (c == nullptr || c->bits != bits) return TEE_ERROR_BAD_PARAMETERS;
  char group[16];
  std::snprintf(group, sizeof(group), "%s", c->group);
  OSSL_PARAM p[2] = {OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
                     OSSL_PARAM_construct_end()};
  PkeyPtr k = keygen(t.kind == KeyKind::kSm2 ? "SM2" : "EC", p);
  if (!k) return TEE_ERROR_GENERIC;
  uint8_t pub[1 + 2 * 66];
  size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(k.get(), OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof(pub), &len) != 1 ||
      len != 1 + 2 * c->bytes || pub[0] != 0x04)
    return TEE_ERROR_GENERIC;
  BnPtr x(BN_bin2bn(pub + 1, static_cast<int>(c->bytes), nullptr));
  BnPtr y(BN_bin2bn(pub + 1 + c->bytes, static_cast<int>(c->bytes), nullptr));
  const bool ok = x && y && bn_to_attr(x.get(), TEE_ATTR_ECC_PUBLIC_VALUE_X, out) &&
                  bn_to_attr(y.get(), TEE_ATTR_ECC_PUBLIC_VALUE_Y, out) &&
                  export_bn(k.get(), OSSL_PKEY_PARAM_PRIV_KEY, TEE_ATTR_ECC_PRIVATE_VALUE, out) &&
                  push_value(TEE_ATTR_ECC_CURVE, c->id, out);
  return ok ? TEE_SUCCESS : TEE_ERROR_GENERIC;
}

TEE_Result gen_raw(const char* name, uint32_t pub_id, uint32_t priv_id, std::span<const Attr> params,
                   std::vector<Attr>* out) noexcept {
  if (!params.empty()) return TEE_ERROR_BAD_PARAMETERS;
  PkeyPtr k = keygen(name, nullptr);
  if (!k) return TEE_ERROR_GENERIC;
  uint8_t pub[64], priv[64];
  size_t pl = sizeof(pub), kl = sizeof(priv);
  const bool ok = EVP_PKEY_get_raw_public_key(k.get(), pub, &pl) == 1 &&
                  EVP_PKEY_get_raw_private_key(k.get(), priv, &kl) == 1 && push_attr(pub_id, pub, pl, out) &&
                  push_attr(priv_id, priv, kl, out);
  OPENSSL_cleanse(priv, sizeof(priv));
  return ok ? TEE_SUCCESS : TEE_ERROR_GENERIC;
}

}  // namespace

const CurveInfo* find_curve(uint32_t curve) noexcept {
  for (const auto& c : kCurves) {
    if (c.id == curve) return &c;
  }
  return nullptr;
}

const Attr* find_attr(std::span<const Attr> attrs, uint32_t id) noexcept {
  for (const auto& a : attrs) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

BnPtr bn_from(const SecureBytes& b) noexcept {
  BnPtr r(BN_secure_new());
  if (!r) return nullptr;
  if (b.size() > static_cast<size_t>(INT32_MAX) ||
      BN_bin2bn(b.data(), static_cast<int>(b.size()), r.get()) == nullptr)
    return nullptr;
  return r;
}

bool bn_to_attr(const BIGNUM* b, uint32_t id, std::vector<Attr>* out) noexcept {
  Attr a;
  a.id = id;
  const int n = BN_num_bytes(b);
  if (!a.ref.resize(n == 0 ? 1 : static_cast<size_t>(n))) return false;
  if (n != 0 && BN_bn2bin(b, a.ref.data()) != n) return false;
  out->push_back(std::move(a));
  return true;
}

TEE_Result asym_populate_check(const ObjectTypeInfo& t, std::span<const Attr> attrs,
                               uint32_t* bits) noexcept {
  switch (t.kind) {
    case KeyKind::kSecret:
      return TEE_ERROR_BAD_PARAMETERS;
    case KeyKind::kRsa: {
      const Attr* n = find_attr(attrs, TEE_ATTR_RSA_MODULUS);
      if (!nonzero(n) || !nonzero(find_attr(attrs, TEE_ATTR_RSA_PUBLIC_EXPONENT)))
        return TEE_ERROR_BAD_PARAMETERS;
      if (t.keypair && !nonzero(find_attr(attrs, TEE_ATTR_RSA_PRIVATE_EXPONENT)))
        return TEE_ERROR_BAD_PARAMETERS;
      size_t crt = 0;
      for (uint32_t id : t.optional) crt += present(attrs, id) ? 1 : 0;
      // All CRT values or none (OP-TEE's check_attr: ITEM_NOT_FOUND).
      if (crt != 0 && crt != t.optional.size()) return TEE_ERROR_ITEM_NOT_FOUND;
      *bits = num_bits(n);
      return TEE_SUCCESS;
    }
    case KeyKind::kDsa:
    case KeyKind::kDh: {
      const bool dsa = t.kind == KeyKind::kDsa;
      const Attr* p = find_attr(attrs, dsa ? TEE_ATTR_DSA_PRIME : TEE_ATTR_DH_PRIME);
      if (!nonzero(p) || !nonzero(find_attr(attrs, dsa ? TEE_ATTR_DSA_BASE : TEE_ATTR_DH_BASE)))
        return TEE_ERROR_BAD_PARAMETERS;
      if (dsa && !nonzero(find_attr(attrs, TEE_ATTR_DSA_SUBPRIME))) return TEE_ERROR_BAD_PARAMETERS;
      *bits = num_bits(p);
      return TEE_SUCCESS;
    }
    case KeyKind::kEcc:
    case KeyKind::kSm2: {
      const CurveInfo* c = curve_of(t, attrs);
      if (c == nullptr) return TEE_ERROR_BAD_PARAMETERS;
      if (!fits(find_attr(attrs, TEE_ATTR_ECC_PUBLIC_VALUE_X), c->bytes) ||
          !fits(find_attr(attrs, TEE_ATTR_ECC_PUBLIC_VALUE_Y), c->bytes))
        return TEE_ERROR_BAD_PARAMETERS;
      if (t.keypair && !fits(find_attr(attrs, TEE_ATTR_ECC_PRIVATE_VALUE), c->bytes))
        return TEE_ERROR_BAD_PARAMETERS;
      *bits = c->bits;
      return TEE_SUCCESS;
    }
    case KeyKind::kEd25519:
    case KeyKind::kX25519:
    case KeyKind::kX448: {
      const size_t len = t.kind == KeyKind::kX448 ? 56 : 32;
      for (const Attr& a : attrs) {
        if (a.ref.size() != len) return TEE_ERROR_BAD_PARAMETERS;
      }
      if (t.keypair && !raw_pair_consistent(t, attrs, len)) return TEE_ERROR_BAD_PARAMETERS;
      *bits = static_cast<uint32_t>(t.kind == KeyKind::kX448 ? 448 : 256);
      return TEE_SUCCESS;
    }
  }
  return TEE_ERROR_BAD_PARAMETERS;
}

TEE_Result asym_generate(const ObjectTypeInfo& t, uint32_t bits, std::span<const Attr> params,
                         std::vector<Attr>* out) noexcept {
  if (!t.keypair) return TEE_ERROR_BAD_PARAMETERS;  // GP generates key pairs only
  switch (t.kind) {
    case KeyKind::kSecret:
      return TEE_ERROR_BAD_PARAMETERS;
    case KeyKind::kRsa: {
      const TEE_Result r = check_gen_params(params, {TEE_ATTR_RSA_PUBLIC_EXPONENT}, {});
      return r != TEE_SUCCESS ? r : gen_rsa(bits, params, out);
    }
    case KeyKind::kDsa:
    case KeyKind::kDh:
      return gen_dlog(t, bits, params, out);
    case KeyKind::kEcc:
    case KeyKind::kSm2:
      return gen_ec(t, bits, params, out);
    case KeyKind::kEd25519:
      return gen_raw("ED25519", TEE_ATTR_ED25519_PUBLIC_VALUE, TEE_ATTR_ED25519_PRIVATE_VALUE, params, out);
    case KeyKind::kX25519:
      return gen_raw("X25519", TEE_ATTR_X25519_PUBLIC_VALUE, TEE_ATTR_X25519_PRIVATE_VALUE, params, out);
    case KeyKind::kX448:
      return gen_raw("X448", TEE_ATTR_X448_PUBLIC_VALUE, TEE_ATTR_X448_PRIVATE_VALUE, params, out);
  }
  return TEE_ERROR_BAD_PARAMETERS;
}

PkeyPtr asym_pkey(const ObjectTypeInfo& t, std::span<const Attr> attrs, bool public_only) noexcept {
  public_only = public_only || !t.keypair;
  switch (t.kind) {
    case KeyKind::kSecret:
    case KeyKind::kDh:
      return nullptr;
    case KeyKind::kRsa: {
      ParamBldPtr bld(OSSL_PARAM_BLD_new());
      std::vector<BnPtr> keep;
      if (!bld || !push_bn(bld.get(), OSSL_PKEY_PARAM_RSA_N, find_attr(attrs, TEE_ATTR_RSA_MODULUS), &keep) ||
          !push_bn(bld.get(), OSSL_PKEY_PARAM_RSA_E, find_attr(attrs, TEE_ATTR_RSA_PUBLIC_EXPONENT), &keep))
        return nullptr;
      if (!public_only) {
        static constexpr struct {
          const char* name;
          uint32_t id;
        } kPriv[] = {{OSSL_PKEY_PARAM_RSA_D, TEE_ATTR_RSA_PRIVATE_EXPONENT},
                     {OSSL_PKEY_PARAM_RSA_FACTOR1, TEE_ATTR_RSA_PRIME1},
                     {OSSL_PKEY_PARAM_RSA_FACTOR2, TEE_ATTR_RSA_PRIME2},
                     {OSSL_PKEY_PARAM_RSA_EXPONENT1, TEE_ATTR_RSA_EXPONENT1},
                     {OSSL_PKEY_PARAM_RSA_EXPONENT2, TEE_ATTR_RSA_EXPONENT2},
                     {OSSL_PKEY_PARAM_RSA_COEFFICIENT1, TEE_ATTR_RSA_COEFFICIENT}};
        for (const auto& p : kPriv) {
          if (!push_bn(bld.get(), p.name, find_attr(attrs, p.id), &keep)) return nullptr;
        }
      }
      return from_params("RSA", bld.get(), public_only);
    }
    case KeyKind::kDsa: {
      ParamBldPtr bld(OSSL_PARAM_BLD_new());
      std::vector<BnPtr> keep;
      if (!bld || !push_bn(bld.get(), OSSL_PKEY_PARAM_FFC_P, find_attr(attrs, TEE_ATTR_DSA_PRIME), &keep) ||
          !push_bn(bld.get(), OSSL_PKEY_PARAM_FFC_Q, find_attr(attrs, TEE_ATTR_DSA_SUBPRIME), &keep) ||
          !push_bn(bld.get(), OSSL_PKEY_PARAM_FFC_G, find_attr(attrs, TEE_ATTR_DSA_BASE), &keep) ||
          !push_bn(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, find_attr(attrs, TEE_ATTR_DSA_PUBLIC_VALUE), &keep))
        return nullptr;
      if (!public_only &&
          !push_bn(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, find_attr(attrs, TEE_ATTR_DSA_PRIVATE_VALUE), &keep))
        return nullptr;
      return from_params("DSA", bld.get(), public_only);
    }
    case KeyKind::kEcc:
    case KeyKind::kSm2:
      return ec_pkey(t, attrs, public_only);
    case KeyKind::kEd25519:
      return raw_pkey("ED25519", find_attr(attrs, TEE_ATTR_ED25519_PUBLIC_VALUE),
                      find_attr(attrs, TEE_ATTR_ED25519_PRIVATE_VALUE), 32, public_only);
    case KeyKind::kX25519:
      return raw_pkey("X25519", find_attr(attrs, TEE_ATTR_X25519_PUBLIC_VALUE),
                      find_attr(attrs, TEE_ATTR_X25519_PRIVATE_VALUE), 32, public_only);
    case KeyKind::kX448:
      return raw_pkey("X448", find_attr(attrs, TEE_ATTR_X448_PUBLIC_VALUE),
                      find_attr(attrs, TEE_ATTR_X448_PRIVATE_VALUE), 56, public_only);
  }
  return nullptr;
}

}  // namespace swtee::ta::crypto
