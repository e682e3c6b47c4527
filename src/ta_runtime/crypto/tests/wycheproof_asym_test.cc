// Wycheproof, asymmetric files: RSA PKCS#1 v1.5 / PSS / OAEP, DSA, ECDSA,
// Ed25519, ECDH, X25519, X448 through the GP API. The policy is at the top
// of wycheproof_test.cc; the harness-only conversions (DER signatures to
// GP's r || s, compressed points to X/Y, a private scalar to its public
// point) use OpenSSL directly, every verdict comes from the GP API.
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/x509.h>

#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ta_runtime/crypto/asym_op.h"
#include "ta_runtime/crypto/object.h"
#include "ta_runtime/crypto/operation.h"
#include "ta_runtime/crypto/tests/test_util.h"
#include "ta_runtime/crypto/tests/wycheproof_runner.h"

namespace swtee::ta::crypto::testing {
namespace {

struct In {
  uint32_t id;
  Bytes buf;
  uint32_t a = 0;
};

std::vector<TEE_Attribute> attrs_of(const std::vector<In>& in) {
  std::vector<TEE_Attribute> v(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i].id & TEE_ATTR_FLAG_VALUE) {
      TEE_InitValueAttribute(&v[i], in[i].id, in[i].a, 0);
    } else {
      TEE_InitRefAttribute(&v[i], in[i].id, in[i].buf.data(), in[i].buf.size());
    }
  }
  return v;
}

// A populated key, or nullptr when GP refuses it (size or values).
TEE_ObjectHandle try_object(uint32_t type, uint32_t bits, const std::vector<In>& in) {
  TEE_ObjectHandle h = TEE_HANDLE_NULL;
  if (TEE_AllocateTransientObject(type, bits, &h) != TEE_SUCCESS) return TEE_HANDLE_NULL;
  const auto v = attrs_of(in);
  if (TEE_PopulateTransientObject(h, v.data(), static_cast<uint32_t>(v.size())) != TEE_SUCCESS) {
    TEE_FreeTransientObject(h);
    return TEE_HANDLE_NULL;
  }
  return h;
}

// An operation keyed with `key` (freed here), or nullptr when GP refuses.
// SetOperationKey panics on a key OpenSSL cannot load, so callers only pass
// keys the runner has already validated through populate.
TEE_OperationHandle try_op(uint32_t alg, uint32_t mode, uint32_t bits, TEE_ObjectHandle key) {
  if (key == TEE_HANDLE_NULL) return TEE_HANDLE_NULL;
  TEE_OperationHandle op = TEE_HANDLE_NULL;
  if (TEE_AllocateOperation(&op, alg, mode, bits) != TEE_SUCCESS) {
    TEE_FreeTransientObject(key);
    return TEE_HANDLE_NULL;
  }
  const TEE_Result r = TEE_SetOperationKey(op, key);
  TEE_FreeTransientObject(key);
  if (r != TEE_SUCCESS) {
    TEE_FreeOperation(op);
    return TEE_HANDLE_NULL;
  }
  return op;
}

uint32_t hash_alg(const std::string& sha) {
  static const std::map<std::string, uint32_t> k = {
      {"SHA-1", TEE_ALG_SHA1},        {"SHA-224", TEE_ALG_SHA224},    {"SHA-256", TEE_ALG_SHA256},
      {"SHA-384", TEE_ALG_SHA384},    {"SHA-512", TEE_ALG_SHA512},    {"SHA3-224", TEE_ALG_SHA3_224},
      {"SHA3-256", TEE_ALG_SHA3_256}, {"SHA3-384", TEE_ALG_SHA3_384}, {"SHA3-512", TEE_ALG_SHA3_512}};
  auto it = k.find(sha);
  return it == k.end() ? 0 : it->second;
}

// The GP algorithm of a family for a hash: index by TEE_ALG_SHA* order.
uint32_t with_hash(uint32_t hash, std::initializer_list<std::pair<uint32_t, uint32_t>> table) {
  for (const auto& [h, alg] : table) {
    if (h == hash) return alg;
  }
  return 0;
}

Outcome verify_vector(TEE_OperationHandle op, const Bytes& digest, const Bytes& sig,
                      const std::string& result, const std::vector<In>& params = {}) {
  const auto p = attrs_of(params);
  const TEE_Result r = TEE_AsymmetricVerifyDigest(op, p.data(), static_cast<uint32_t>(p.size()),
                                                  digest.data(), digest.size(), sig.data(), sig.size());
  TEE_FreeOperation(op);
  if (r != TEE_SUCCESS && r != TEE_ERROR_SIGNATURE_INVALID) return Outcome::kFail;  // only these two answers
  return judge(result, r == TEE_SUCCESS, true);
}

uint32_t rsa_bits(const Bytes& n) {
  BIGNUM* b = BN_bin2bn(n.data(), static_cast<int>(n.size()), nullptr);
  const auto bits = static_cast<uint32_t>(BN_num_bits(b));
  BN_free(b);
  return bits;
}

TEE_ObjectHandle rsa_public(const Json& g) {
  const Bytes n = hex(g["publicKey"]["modulus"].s()), e = hex(g["publicKey"]["publicExponent"].s());
  return try_object(TEE_TYPE_RSA_PUBLIC_KEY, rsa_bits(n),
                    {{TEE_ATTR_RSA_MODULUS, n}, {TEE_ATTR_RSA_PUBLIC_EXPONENT, e}});
}

TEE_ObjectHandle rsa_private(const Json& k) {
  const Bytes n = hex(k["modulus"].s());
  std::vector<In> in = {{TEE_ATTR_RSA_MODULUS, n},
                        {TEE_ATTR_RSA_PUBLIC_EXPONENT, hex(k["publicExponent"].s())},
                        {TEE_ATTR_RSA_PRIVATE_EXPONENT, hex(k["privateExponent"].s())}};
  if (!k["prime1"].s().empty()) {
    in.push_back({TEE_ATTR_RSA_PRIME1, hex(k["prime1"].s())});
    in.push_back({TEE_ATTR_RSA_PRIME2, hex(k["prime2"].s())});
    in.push_back({TEE_ATTR_RSA_EXPONENT1, hex(k["exponent1"].s())});
    in.push_back({TEE_ATTR_RSA_EXPONENT2, hex(k["exponent2"].s())});
    in.push_back({TEE_ATTR_RSA_COEFFICIENT, hex(k["coefficient"].s())});
  }
  return try_object(TEE_TYPE_RSA_KEYPAIR, rsa_bits(n), in);
}

uint32_t rsa_pkcs1_alg(uint32_t h) {
  return with_hash(h, {{TEE_ALG_SHA1, TEE_ALG_RSASSA_PKCS1_V1_5_SHA1},
                       {TEE_ALG_SHA224, TEE_ALG_RSASSA_PKCS1_V1_5_SHA224},
                       {TEE_ALG_SHA256, TEE_ALG_RSASSA_PKCS1_V1_5_SHA256},
                       {TEE_ALG_SHA384, TEE_ALG_RSASSA_PKCS1_V1_5_SHA384},
                       {TEE_ALG_SHA512, TEE_ALG_RSASSA_PKCS1_V1_5_SHA512},
                       {TEE_ALG_SHA3_224, TEE_ALG_RSASSA_PKCS1_V1_5_SHA3_224},
                       {TEE_ALG_SHA3_256, TEE_ALG_RSASSA_PKCS1_V1_5_SHA3_256},
                       {TEE_ALG_SHA3_384, TEE_ALG_RSASSA_PKCS1_V1_5_SHA3_384},
                       {TEE_ALG_SHA3_512, TEE_ALG_RSASSA_PKCS1_V1_5_SHA3_512}});
}

Outcome rsa_pkcs1_verify(const Json& g, const Json& t) {
  const uint32_t h = hash_alg(g["sha"].s());
  TEE_ObjectHandle k = rsa_public(g);
  const uint32_t bits = k == TEE_HANDLE_NULL ? 0 : rsa_bits(hex(g["publicKey"]["modulus"].s()));
  TEE_OperationHandle op = try_op(rsa_pkcs1_alg(h), TEE_MODE_VERIFY, bits, k);
  if (op == TEE_HANDLE_NULL) return skip_or_reject(t["result"].s());
  return verify_vector(op, digest(h, hex(t["msg"].s())), hex(t["sig"].s()), t["result"].s());
}

Outcome rsa_pkcs1_sign(const Json& g, const Json& t) {
  const uint32_t h = hash_alg(g["sha"].s());
  const Bytes n = hex(g["privateKey"]["modulus"].s());
  TEE_OperationHandle op = try_op(rsa_pkcs1_alg(h), TEE_MODE_SIGN, rsa_bits(n), rsa_private(g["privateKey"]));
  if (op == TEE_HANDLE_NULL) return skip_or_reject(t["result"].s());
  const Bytes d = digest(h, hex(t["msg"].s()));
  Bytes sig(n.size() + 8);
  size_t len = sig.size();
  const bool ok =
      TEE_AsymmetricSignDigest(op, nullptr, 0, d.data(), d.size(), sig.data(), &len) == TEE_SUCCESS;
  TEE_FreeOperation(op);
  sig.resize(ok ? len : 0);
  return judge(t["result"].s(), ok, sig == hex(t["sig"].s()));
}

Outcome rsa_pss_verify(const Json& g, const Json& t) {
  const uint32_t h = hash_alg(g["sha"].s());
  // GP's PSS uses MGF1 with the signature hash; other MGF hashes are not expressible.
  if (g["mgf"].s() != "MGF1" || hash_alg(g["mgfSha"].s()) != h) return skip_or_reject(t["result"].s());
  const uint32_t alg = with_hash(h, {{TEE_ALG_SHA1, TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA1},
                                     {TEE_ALG_SHA224, TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA224},
                                     {TEE_ALG_SHA256, TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256},
                                     {TEE_ALG_SHA384, TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA384},
                                     {TEE_ALG_SHA512, TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA512}});
  TEE_OperationHandle op =
      try_op(alg, TEE_MODE_VERIFY, rsa_bits(hex(g["publicKey"]["modulus"].s())), rsa_public(g));
  if (op == TEE_HANDLE_NULL) return skip_or_reject(t["result"].s());
  return verify_vector(op, digest(h, hex(t["msg"].s())), hex(t["sig"].s()), t["result"].s(),
                       {{TEE_ATTR_RSA_PSS_SALT_LENGTH, {}, static_cast<uint32_t>(g["sLen"].i())}});
}

Outcome rsa_decrypt(uint32_t alg, const std::vector<In>& params, const Json& g, const Json& t) {
  const Bytes n = hex(g["privateKey"]["modulus"].s());
  TEE_OperationHandle op = try_op(alg, TEE_MODE_DECRYPT, rsa_bits(n), rsa_private(g["privateKey"]));
  if (op == TEE_HANDLE_NULL) return skip_or_reject(t["result"].s());
  const Bytes ct = hex(t["ct"].s());
  Bytes pt(n.size() + 8);
  size_t len = pt.size();
  const auto p = attrs_of(params);
  const TEE_Result r = TEE_AsymmetricDecrypt(op, p.data(), static_cast<uint32_t>(p.size()), ct.data(),
                                             ct.size(), pt.data(), &len);
  TEE_FreeOperation(op);
  if (r != TEE_SUCCESS && r != TEE_ERROR_BAD_PARAMETERS) return Outcome::kFail;
  pt.resize(r == TEE_SUCCESS ? len : 0);
  return judge(t["result"].s(), r == TEE_SUCCESS, pt == hex(t["msg"].s()));
}

Outcome rsa_oaep(const Json& g, const Json& t) {
  const uint32_t h = hash_alg(g["sha"].s()), mgf = hash_alg(g["mgfSha"].s());
  const uint32_t alg = with_hash(h, {{TEE_ALG_SHA1, TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA1},
                                     {TEE_ALG_SHA224, TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA224},
                                     {TEE_ALG_SHA256, TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256},
                                     {TEE_ALG_SHA384, TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA384},
                                     {TEE_ALG_SHA512, TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA512}});
  if (alg == 0 || mgf == 0 || g["mgf"].s() != "MGF1") return skip_or_reject(t["result"].s());
  std::vector<In> params = {{TEE_ATTR_RSA_OAEP_LABEL, hex(t["label"].s())}};
  if (mgf != h) {
    // OP-TEE's TEE_ATTR_RSA_OAEP_MGF_HASH: a 4-byte buffer with the digest id.
    Bytes id(4);
    std::memcpy(id.data(), &mgf, 4);
    params.push_back({TEE_ATTR_RSA_OAEP_MGF_HASH, id});
  }
  return rsa_decrypt(alg, params, g, t);
}

Outcome rsa_pkcs1_decrypt(const Json& g, const Json& t) {
  return rsa_decrypt(TEE_ALG_RSAES_PKCS1_V1_5, {}, g, t);
}

// DER SEQUENCE { r, s } -> r || s (each `half` bytes); nullopt for DER that
// does not parse, is not canonical (re-encoding differs) or does not fit.
std::optional<Bytes> der_to_rs(const Bytes& der, size_t half) {
  const unsigned char* p = der.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (sig == nullptr) return std::nullopt;
  std::optional<Bytes> out;
  unsigned char* re = nullptr;
  const int relen = i2d_ECDSA_SIG(sig, &re);
  const BIGNUM *r = nullptr, *s = nullptr;
  ECDSA_SIG_get0(sig, &r, &s);
  if (p == der.data() + der.size() && relen == static_cast<int>(der.size()) &&
      std::memcmp(re, der.data(), der.size()) == 0 && !BN_is_negative(r) && !BN_is_negative(s) &&
      BN_num_bytes(r) <= static_cast<int>(half) && BN_num_bytes(s) <= static_cast<int>(half)) {
    Bytes rs(2 * half);
    BN_bn2binpad(r, rs.data(), static_cast<int>(half));
    BN_bn2binpad(s, rs.data() + half, static_cast<int>(half));
    out = rs;
  }
  OPENSSL_free(re);
  ECDSA_SIG_free(sig);
  return out;
}

struct Curve {
  const char* name;
  uint32_t id, bits;
  int nid;
};

const Curve* curve(const std::string& name) {
  static const Curve k[] = {{"secp224r1", TEE_ECC_CURVE_NIST_P224, 224, NID_secp224r1},
                            {"secp256r1", TEE_ECC_CURVE_NIST_P256, 256, NID_X9_62_prime256v1},
                            {"secp384r1", TEE_ECC_CURVE_NIST_P384, 384, NID_secp384r1},
                            {"secp521r1", TEE_ECC_CURVE_NIST_P521, 521, NID_secp521r1},
                            {"secp192r1", TEE_ECC_CURVE_NIST_P192, 192, NID_X9_62_prime192v1}};
  for (const auto& c : k) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

Handler ecdsa(bool der) {
  return [der](const Json& g, const Json& t) {
    const Curve* c = curve(g["publicKey"]["curve"].s());
    const uint32_t h = hash_alg(g["sha"].s());
    const uint32_t alg = with_hash(h, {{TEE_ALG_SHA1, TEE_ALG_ECDSA_SHA1},
                                       {TEE_ALG_SHA224, TEE_ALG_ECDSA_SHA224},
                                       {TEE_ALG_SHA256, TEE_ALG_ECDSA_SHA256},
                                       {TEE_ALG_SHA384, TEE_ALG_ECDSA_SHA384},
                                       {TEE_ALG_SHA512, TEE_ALG_ECDSA_SHA512},
                                       {TEE_ALG_SHA3_224, TEE_ALG_ECDSA_SHA3_224},
                                       {TEE_ALG_SHA3_256, TEE_ALG_ECDSA_SHA3_256},
                                       {TEE_ALG_SHA3_384, TEE_ALG_ECDSA_SHA3_384},
                                       {TEE_ALG_SHA3_512, TEE_ALG_ECDSA_SHA3_512}});
    if (c == nullptr || alg == 0) return skip_or_reject(t["result"].s());
    Bytes sig = hex(t["sig"].s());
    if (der) {
      const auto rs = der_to_rs(sig, (c->bits + 7) / 8);
      if (!rs) return judge(t["result"].s(), false, false);  // unparsable / non-canonical DER: rejected
      sig = *rs;
    } else if (sig.size() != 2 * ((c->bits + 7) / 8)) {
      // An r || s of another width panics the TA (as on OP-TEE): rejected.
      return judge(t["result"].s(), false, false);
    }
    TEE_ObjectHandle k = try_object(TEE_TYPE_ECDSA_PUBLIC_KEY, c->bits,
                                    {{TEE_ATTR_ECC_PUBLIC_VALUE_X, hex(g["publicKey"]["wx"].s())},
                                     {TEE_ATTR_ECC_PUBLIC_VALUE_Y, hex(g["publicKey"]["wy"].s())},
                                     {TEE_ATTR_ECC_CURVE, {}, c->id}});
    TEE_OperationHandle op = try_op(alg, TEE_MODE_VERIFY, c->bits, k);
    if (op == TEE_HANDLE_NULL) return skip_or_reject(t["result"].s());
    return verify_vector(op, digest(h, hex(t["msg"].s())), sig, t["result"].s());
  };
}

Handler dsa(bool der) {
  return [der](const Json& g, const Json& t) {
    const Json& pk = g["publicKey"];
    const uint32_t h = hash_alg(g["sha"].s());
    const uint32_t alg = with_hash(h, {{TEE_ALG_SHA1, TEE_ALG_DSA_SHA1},
                                       {TEE_ALG_SHA224, TEE_ALG_DSA_SHA224},
                                       {TEE_ALG_SHA256, TEE_ALG_DSA_SHA256}});
    const Bytes q = hex(pk["q"].s());
    const size_t half = (rsa_bits(q) + 7) / 8;
    Bytes sig = hex(t["sig"].s());
    if (der) {
      const auto rs = der_to_rs(sig, half);
      if (!rs) return judge(t["result"].s(), false, false);
      sig = *rs;
    }
    const auto bits = static_cast<uint32_t>(pk["keySize"].i());
    TEE_ObjectHandle k = try_object(TEE_TYPE_DSA_PUBLIC_KEY, bits,
                                    {{TEE_ATTR_DSA_PRIME, hex(pk["p"].s())},
                                     {TEE_ATTR_DSA_SUBPRIME, q},
                                     {TEE_ATTR_DSA_BASE, hex(pk["g"].s())},
                                     {TEE_ATTR_DSA_PUBLIC_VALUE, hex(pk["y"].s())}});
    TEE_OperationHandle op = try_op(alg, TEE_MODE_VERIFY, bits, k);
    if (op == TEE_HANDLE_NULL) return skip_or_reject(t["result"].s());
    return verify_vector(op, digest(h, hex(t["msg"].s())), sig, t["result"].s());
  };
}

Outcome ed25519(const Json& g, const Json& t) {
  TEE_ObjectHandle k = try_object(TEE_TYPE_ED25519_PUBLIC_KEY, 256,
                                  {{TEE_ATTR_ED25519_PUBLIC_VALUE, hex(g["publicKey"]["pk"].s())}});
  TEE_OperationHandle op = try_op(TEE_ALG_ED25519, TEE_MODE_VERIFY, 256, k);
  if (op == TEE_HANDLE_NULL) return skip_or_reject(t["result"].s());
  return verify_vector(op, hex(t["msg"].s()), hex(t["sig"].s()), t["result"].s());
}

// The shared secret through the code TEE_DeriveKey runs, minus its panic
// (GP's TEE_DeriveKey has no error return; a rejected peer panics the TA).
std::optional<Bytes> derive(TEE_OperationHandle h, const std::vector<In>& peer) {
  std::vector<Attr> ps;
  for (const auto& p : peer) {
    Attr a;
    a.id = p.id;
    a.a = p.a;
    EXPECT_TRUE(a.ref.assign(p.buf.data(), p.buf.size()));
    ps.push_back(std::move(a));
  }
  TEE_ObjectHandle out = TEE_HANDLE_NULL;
  EXPECT_EQ(TEE_AllocateTransientObject(TEE_TYPE_GENERIC_SECRET, 4096, &out), TEE_SUCCESS);
  const TEE_Result r = asym_derive(*operation_or_panic(h, "test"), ps, *lookup_object(out));
  std::optional<Bytes> secret;
  if (r == TEE_SUCCESS) {
    Bytes b(600);
    size_t n = b.size();
    EXPECT_EQ(TEE_GetObjectBufferAttribute(out, TEE_ATTR_SECRET_VALUE, b.data(), &n), TEE_SUCCESS);
    b.resize(n);
    secret = b;
  }
  TEE_FreeTransientObject(out);
  return secret;
}

Handler xdh(bool x25519) {
  return [x25519](const Json&, const Json& t) {
    const Bytes priv = hex(t["private"].s()), pub = hex(t["public"].s());
    const size_t len = x25519 ? 32 : 56;
    if (priv.size() != len) return skip_or_reject(t["result"].s());
    // The key pair's own public value (GP requires it at populate).
    EVP_PKEY* k =
        EVP_PKEY_new_raw_private_key_ex(nullptr, x25519 ? "X25519" : "X448", nullptr, priv.data(), len);
    Bytes own(len);
    size_t ol = len;
    EXPECT_EQ(EVP_PKEY_get_raw_public_key(k, own.data(), &ol), 1);
    EVP_PKEY_free(k);
    const uint32_t type = x25519 ? TEE_TYPE_X25519_KEYPAIR : TEE_TYPE_X448_KEYPAIR;
    const uint32_t bits = x25519 ? 256 : 448;
    const uint32_t pub_id = x25519 ? TEE_ATTR_X25519_PUBLIC_VALUE : TEE_ATTR_X448_PUBLIC_VALUE;
    TEE_ObjectHandle key = try_object(
        type, bits,
        {{pub_id, own}, {x25519 ? TEE_ATTR_X25519_PRIVATE_VALUE : TEE_ATTR_X448_PRIVATE_VALUE, priv}});
    TEE_OperationHandle op = try_op(x25519 ? TEE_ALG_X25519 : TEE_ALG_X448, TEE_MODE_DERIVE, bits, key);
    if (op == TEE_HANDLE_NULL) return skip_or_reject(t["result"].s());
    const auto secret = derive(op, {{pub_id, pub}});
    TEE_FreeOperation(op);
    return judge(t["result"].s(), secret.has_value(), secret && *secret == hex(t["shared"].s()));
  };
}

// X/Y of an X9.62 point (compressed or not); nullopt when it is not a point.
std::optional<std::pair<Bytes, Bytes>> point_xy(int nid, const Bytes& enc, size_t bytes) {
  EC_GROUP* grp = EC_GROUP_new_by_curve_name(nid);
  EC_POINT* pt = EC_POINT_new(grp);
  BIGNUM *x = BN_new(), *y = BN_new();
  std::optional<std::pair<Bytes, Bytes>> out;
  if (EC_POINT_oct2point(grp, pt, enc.data(), enc.size(), nullptr) == 1 &&
      EC_POINT_get_affine_coordinates(grp, pt, x, y, nullptr) == 1) {
    Bytes bx(bytes), by(bytes);
    BN_bn2binpad(x, bx.data(), static_cast<int>(bytes));
    BN_bn2binpad(y, by.data(), static_cast<int>(bytes));
    out = std::make_pair(bx, by);
  }
  BN_free(x);
  BN_free(y);
  EC_POINT_free(pt);
  EC_GROUP_free(grp);
  return out;
}

// The public point d*G of a private scalar (the key pair GP populates).
std::optional<std::pair<Bytes, Bytes>> public_of(int nid, const Bytes& priv, size_t bytes) {
  EC_GROUP* grp = EC_GROUP_new_by_curve_name(nid);
  EC_POINT* pt = EC_POINT_new(grp);
  BIGNUM* d = BN_bin2bn(priv.data(), static_cast<int>(priv.size()), nullptr);
  std::optional<std::pair<Bytes, Bytes>> out;
  unsigned char buf[1 + 2 * 66];
  if (EC_POINT_mul(grp, pt, d, nullptr, nullptr, nullptr) == 1 && !EC_POINT_is_at_infinity(grp, pt)) {
    const size_t n = EC_POINT_point2oct(grp, pt, POINT_CONVERSION_UNCOMPRESSED, buf, sizeof(buf), nullptr);
    if (n == 1 + 2 * bytes)
      out = std::make_pair(Bytes(buf + 1, buf + 1 + bytes), Bytes(buf + 1 + bytes, buf + n));
  }
  BN_free(d);
  EC_POINT_free(pt);
  EC_GROUP_free(grp);
  return out;
}

// X/Y of a SubjectPublicKeyInfo on a named curve. nullopt when the DER does
// not parse or carries explicit curve parameters (GP has no way to pass
// those: a TA would refuse such a key before TEE_DeriveKey). A point on
// another named curve is handed to GP, which must reject it.
std::optional<std::pair<Bytes, Bytes>> spki_xy(const Bytes& der) {
  const unsigned char* p = der.data();
  EVP_PKEY* k = d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size()));
  std::optional<std::pair<Bytes, Bytes>> out;
  char group[64], encoding[32];
  size_t glen = 0, elen = 0;
  BIGNUM *x = nullptr, *y = nullptr;
  if (k != nullptr && p == der.data() + der.size() &&
      EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), &glen) == 1 &&
      glen != 0 &&
      EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_EC_ENCODING, encoding, sizeof(encoding), &elen) ==
          1 &&
      std::strcmp(encoding, OSSL_PKEY_EC_ENCODING_GROUP) == 0 &&
      EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_EC_PUB_X, &x) == 1 &&
      EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_EC_PUB_Y, &y) == 1) {
    Bytes bx(static_cast<size_t>(BN_num_bytes(x))), by(static_cast<size_t>(BN_num_bytes(y)));
    BN_bn2bin(x, bx.data());
    BN_bn2bin(y, by.data());
    out = std::make_pair(bx, by);
  }
  BN_free(x);
  BN_free(y);
  EVP_PKEY_free(k);
  return out;
}

Outcome ecdh(bool spki, const Json& g, const Json& t) {
  const Curve* c = curve(g["curve"].s());
  if (c == nullptr) return skip_or_reject(t["result"].s());
  const size_t bytes = (c->bits + 7) / 8;
  Bytes priv = hex(t["private"].s());
  while (priv.size() > bytes && priv[0] == 0) priv.erase(priv.begin());
  const auto own = public_of(c->nid, priv, bytes);
  const auto peer = spki ? spki_xy(hex(t["public"].s())) : point_xy(c->nid, hex(t["public"].s()), bytes);
  // A peer encoding that is no point of the curve never reaches GP: rejected.
  if (!peer) return judge(t["result"].s(), false, false);
  if (!own) return skip_or_reject(t["result"].s());
  TEE_ObjectHandle key = try_object(TEE_TYPE_ECDH_KEYPAIR, c->bits,
                                    {{TEE_ATTR_ECC_PUBLIC_VALUE_X, own->first},
                                     {TEE_ATTR_ECC_PUBLIC_VALUE_Y, own->second},
                                     {TEE_ATTR_ECC_PRIVATE_VALUE, priv},
                                     {TEE_ATTR_ECC_CURVE, {}, c->id}});
  TEE_OperationHandle op = try_op(TEE_ALG_ECDH_DERIVE_SHARED_SECRET, TEE_MODE_DERIVE, c->bits, key);
  if (op == TEE_HANDLE_NULL) return skip_or_reject(t["result"].s());
  const auto secret =
      derive(op, {{TEE_ATTR_ECC_PUBLIC_VALUE_X, peer->first}, {TEE_ATTR_ECC_PUBLIC_VALUE_Y, peer->second}});
  TEE_FreeOperation(op);
  return judge(t["result"].s(), secret.has_value(), secret && *secret == hex(t["shared"].s()));
}

TEST(WycheproofAsym, RsaPkcs1Verify) {
  for (const char* f : {"rsa_signature_2048_sha224_test.json", "rsa_signature_2048_sha256_test.json",
                        "rsa_signature_2048_sha384_test.json", "rsa_signature_2048_sha512_test.json",
                        "rsa_signature_3072_sha256_test.json", "rsa_signature_3072_sha384_test.json",
                        "rsa_signature_3072_sha512_test.json", "rsa_signature_4096_sha256_test.json",
                        "rsa_signature_4096_sha384_test.json", "rsa_signature_4096_sha512_test.json"})
    run_file(f, rsa_pkcs1_verify);
}

TEST(WycheproofAsym, RsaPkcs1SignGeneration) {
  for (const char* f : {"rsa_pkcs1_2048_sig_gen_test.json", "rsa_pkcs1_3072_sig_gen_test.json",
                        "rsa_pkcs1_4096_sig_gen_test.json"})
    run_file(f, rsa_pkcs1_sign);
}

TEST(WycheproofAsym, RsaPss) {
  for (const char* f : {"rsa_pss_2048_sha1_mgf1_20_test.json", "rsa_pss_2048_sha256_mgf1_0_test.json",
                        "rsa_pss_2048_sha256_mgf1_32_test.json", "rsa_pss_2048_sha384_mgf1_48_test.json",
                        "rsa_pss_3072_sha256_mgf1_32_test.json", "rsa_pss_4096_sha256_mgf1_32_test.json",
                        "rsa_pss_4096_sha384_mgf1_48_test.json", "rsa_pss_4096_sha512_mgf1_32_test.json",
                        "rsa_pss_4096_sha512_mgf1_64_test.json", "rsa_pss_misc_test.json"})
    run_file(f, rsa_pss_verify);
}

TEST(WycheproofAsym, RsaOaep) {
  for (const char* f :
       {"rsa_oaep_2048_sha1_mgf1sha1_test.json", "rsa_oaep_2048_sha224_mgf1sha1_test.json",
        "rsa_oaep_2048_sha224_mgf1sha224_test.json", "rsa_oaep_2048_sha256_mgf1sha1_test.json",
        "rsa_oaep_2048_sha256_mgf1sha256_test.json", "rsa_oaep_2048_sha384_mgf1sha1_test.json",
        "rsa_oaep_2048_sha384_mgf1sha384_test.json", "rsa_oaep_2048_sha512_mgf1sha1_test.json",
        "rsa_oaep_2048_sha512_mgf1sha512_test.json", "rsa_oaep_3072_sha256_mgf1sha1_test.json",
        "rsa_oaep_3072_sha256_mgf1sha256_test.json", "rsa_oaep_3072_sha512_mgf1sha1_test.json",
        "rsa_oaep_3072_sha512_mgf1sha512_test.json", "rsa_oaep_4096_sha256_mgf1sha1_test.json",
        "rsa_oaep_4096_sha256_mgf1sha256_test.json", "rsa_oaep_4096_sha512_mgf1sha1_test.json",
        "rsa_oaep_4096_sha512_mgf1sha512_test.json", "rsa_oaep_misc_test.json"})
    run_file(f, rsa_oaep);
}

TEST(WycheproofAsym, RsaPkcs1Decrypt) {
  for (const char* f : {"rsa_pkcs1_2048_test.json", "rsa_pkcs1_3072_test.json", "rsa_pkcs1_4096_test.json"})
    run_file(f, rsa_pkcs1_decrypt);
}

TEST(WycheproofAsym, Ecdsa) {
  for (const char* f : {"ecdsa_secp224r1_sha224_p1363_test.json", "ecdsa_secp224r1_sha256_p1363_test.json",
                        "ecdsa_secp224r1_sha512_p1363_test.json", "ecdsa_secp256r1_sha256_p1363_test.json",
                        "ecdsa_secp256r1_sha512_p1363_test.json", "ecdsa_secp384r1_sha384_p1363_test.json",
                        "ecdsa_secp384r1_sha512_p1363_test.json", "ecdsa_secp521r1_sha512_p1363_test.json"})
    run_file(f, ecdsa(false));
  for (const char* f : {"ecdsa_secp224r1_sha224_test.json", "ecdsa_secp224r1_sha256_test.json",
                        "ecdsa_secp224r1_sha512_test.json", "ecdsa_secp256r1_sha256_test.json",
                        "ecdsa_secp256r1_sha512_test.json", "ecdsa_secp384r1_sha256_test.json",
                        "ecdsa_secp384r1_sha384_test.json", "ecdsa_secp384r1_sha512_test.json",
                        "ecdsa_secp521r1_sha512_test.json"})
    run_file(f, ecdsa(true));
}

TEST(WycheproofAsym, Dsa) {
  for (const char* f : {"dsa_2048_224_sha224_p1363_test.json", "dsa_2048_224_sha256_p1363_test.json",
                        "dsa_2048_256_sha256_p1363_test.json", "dsa_3072_256_sha256_p1363_test.json"})
    run_file(f, dsa(false));
  for (const char* f : {"dsa_2048_224_sha224_test.json", "dsa_2048_224_sha256_test.json",
                        "dsa_2048_256_sha256_test.json", "dsa_3072_256_sha256_test.json"})
    run_file(f, dsa(true));
}

TEST(WycheproofAsym, Ed25519) { run_file("ed25519_test.json", ed25519); }
TEST(WycheproofAsym, X25519) { run_file("x25519_test.json", xdh(true)); }
TEST(WycheproofAsym, X448) { run_file("x448_test.json", xdh(false)); }

TEST(WycheproofAsym, Ecdh) {
  for (const char* f : {"ecdh_secp224r1_ecpoint_test.json", "ecdh_secp256r1_ecpoint_test.json",
                        "ecdh_secp384r1_ecpoint_test.json", "ecdh_secp521r1_ecpoint_test.json"})
    run_file(f, [](const Json& g, const Json& t) { return ecdh(false, g, t); });
  for (const char* f : {"ecdh_secp224r1_test.json", "ecdh_secp256r1_test.json", "ecdh_secp384r1_test.json",
                        "ecdh_secp521r1_test.json"})
    run_file(f, [](const Json& g, const Json& t) { return ecdh(true, g, t); });
}

}  // namespace
}  // namespace swtee::ta::crypto::testing
