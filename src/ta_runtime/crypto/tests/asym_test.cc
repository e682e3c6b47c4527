// Asymmetric GP crypto: known answers (RFC 8032 Ed25519, RFC 7748 X25519,
// a fixed RSA-2048 key, DH over RFC 7919 ffdhe2048), key generation for
// every type, the GP formats (r || s, C1 || C3 || C2), SHORT_BUFFER, usage
// flags and the panics GP lists.
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include "ta_runtime/crypto/tests/asym_test_keys.h"
#include "ta_runtime/crypto/tests/test_util.h"
#include "ta_runtime/dispatcher.h"

namespace swtee::ta::crypto::testing {
namespace {

struct A {
  uint32_t id;
  Bytes buf;
  uint32_t a = 0;
};

// GP attributes viewing `attrs` (which must outlive them).
std::vector<TEE_Attribute> gp_attrs(const std::vector<A>& attrs) {
  std::vector<TEE_Attribute> v(attrs.size());
  for (size_t i = 0; i < attrs.size(); ++i) {
    if (attrs[i].id & TEE_ATTR_FLAG_VALUE) {
      TEE_InitValueAttribute(&v[i], attrs[i].id, attrs[i].a, 0);
    } else {
      TEE_InitRefAttribute(&v[i], attrs[i].id, attrs[i].buf.data(), attrs[i].buf.size());
    }
  }
  return v;
}

TEE_ObjectHandle object(uint32_t type, uint32_t max_bits, const std::vector<A>& attrs) {
  TEE_ObjectHandle h = TEE_HANDLE_NULL;
  EXPECT_EQ(TEE_AllocateTransientObject(type, max_bits, &h), TEE_SUCCESS);
  const std::vector<TEE_Attribute> v = gp_attrs(attrs);
  EXPECT_EQ(TEE_PopulateTransientObject(h, v.data(), static_cast<uint32_t>(v.size())), TEE_SUCCESS);
  return h;
}

TEE_OperationHandle keyed(uint32_t alg, uint32_t mode, uint32_t max_bits, TEE_ObjectHandle key) {
  TEE_OperationHandle op = TEE_HANDLE_NULL;
  EXPECT_EQ(TEE_AllocateOperation(&op, alg, mode, max_bits), TEE_SUCCESS);
  EXPECT_EQ(TEE_SetOperationKey(op, key), TEE_SUCCESS);
  return op;
}

// Frees a sign/verify operation pair and their key.
void release(TEE_OperationHandle s, TEE_OperationHandle v, TEE_ObjectHandle k) {
  TEE_FreeOperation(s);
  TEE_FreeOperation(v);
  TEE_FreeTransientObject(k);
}

Bytes sign(TEE_OperationHandle op, const Bytes& d, const std::vector<TEE_Attribute>& p = {}) {
  Bytes sig(1024);
  size_t n = sig.size();
  EXPECT_EQ(TEE_AsymmetricSignDigest(op, p.data(), static_cast<uint32_t>(p.size()), d.data(), d.size(),
                                     sig.data(), &n),
            TEE_SUCCESS);
  sig.resize(n);
  return sig;
}

TEE_Result verify(TEE_OperationHandle op, const Bytes& d, const Bytes& sig,
                  const std::vector<TEE_Attribute>& p = {}) {
  return TEE_AsymmetricVerifyDigest(op, p.data(), static_cast<uint32_t>(p.size()), d.data(), d.size(),
                                    sig.data(), sig.size());
}

Bytes buffer_attr(TEE_ObjectHandle h, uint32_t id) {
  Bytes b(1024);
  size_t n = b.size();
  EXPECT_EQ(TEE_GetObjectBufferAttribute(h, id, b.data(), &n), TEE_SUCCESS);
  b.resize(n);
  return b;
}

TEE_ObjectHandle generate(uint32_t type, uint32_t bits, const std::vector<A>& params = {}) {
  TEE_ObjectHandle h = TEE_HANDLE_NULL;
  EXPECT_EQ(TEE_AllocateTransientObject(type, bits, &h), TEE_SUCCESS);
  const std::vector<TEE_Attribute> v = gp_attrs(params);
  EXPECT_EQ(TEE_GenerateKey(h, bits, v.data(), static_cast<uint32_t>(v.size())), TEE_SUCCESS);
  return h;
}

TEE_ObjectHandle fixed_rsa(bool crt) {
  std::vector<A> a = {{TEE_ATTR_RSA_MODULUS, hex(kRsaN)},
                      {TEE_ATTR_RSA_PUBLIC_EXPONENT, hex(kRsaE)},
                      {TEE_ATTR_RSA_PRIVATE_EXPONENT, hex(kRsaD)}};
  if (crt) {
    a.push_back({TEE_ATTR_RSA_PRIME1, hex(kRsaP)});
    a.push_back({TEE_ATTR_RSA_PRIME2, hex(kRsaQ)});
    a.push_back({TEE_ATTR_RSA_EXPONENT1, hex(kRsaDp)});
    a.push_back({TEE_ATTR_RSA_EXPONENT2, hex(kRsaDq)});
    a.push_back({TEE_ATTR_RSA_COEFFICIENT, hex(kRsaQinv)});
  }
  return object(TEE_TYPE_RSA_KEYPAIR, 2048, a);
}

TEST(Rsa, FixedKeyKnownAnswerWithAndWithoutCrt) {
  const Bytes d = digest(TEE_ALG_SHA256, {'a', 'b', 'c'});
  for (bool crt : {true, false}) {
    TEE_ObjectHandle k = fixed_rsa(crt);
    TEE_ObjectInfo info{};
    ASSERT_EQ(TEE_GetObjectInfo1(k, &info), TEE_SUCCESS);
    EXPECT_EQ(info.objectSize, 2048u);
    TEE_OperationHandle s = keyed(TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, TEE_MODE_SIGN, 2048, k);
    EXPECT_EQ(to_hex(sign(s, d)), kRsaSigAbc) << "crt=" << crt;
    TEE_OperationHandle v = keyed(TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, TEE_MODE_VERIFY, 2048, k);
    EXPECT_EQ(verify(v, d, hex(kRsaSigAbc)), TEE_SUCCESS);
    Bytes bad = hex(kRsaSigAbc);
    bad[10] ^= 1;
    EXPECT_EQ(verify(v, d, bad), TEE_ERROR_SIGNATURE_INVALID);
    TEE_FreeOperation(s);
    TEE_FreeOperation(v);
    TEE_FreeTransientObject(k);
  }
}

TEST(Rsa, PublicKeyVerifiesAndDigestSizeIsChecked) {
  TEE_ObjectHandle pub =
      object(TEE_TYPE_RSA_PUBLIC_KEY, 2048,
             {{TEE_ATTR_RSA_MODULUS, hex(kRsaN)}, {TEE_ATTR_RSA_PUBLIC_EXPONENT, hex(kRsaE)}});
  TEE_OperationHandle v = keyed(TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, TEE_MODE_VERIFY, 2048, pub);
  const Bytes d = digest(TEE_ALG_SHA256, {'a', 'b', 'c'});
  EXPECT_EQ(verify(v, d, hex(kRsaSigAbc)), TEE_SUCCESS);
  // A digest of the wrong size: OP-TEE's core answers BAD_PARAMETERS, which
  // libutee's TEE_AsymmetricVerifyDigest turns into a panic.
  EXPECT_EXIT((void)verify(v, Bytes(d.begin(), d.end() - 1), hex(kRsaSigAbc)), kPanicked, "TEE_Panic");
  // A public key cannot sign.
  TEE_OperationHandle s = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateOperation(&s, TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, TEE_MODE_SIGN, 2048), TEE_SUCCESS);
  EXPECT_EXIT((void)TEE_SetOperationKey(s, pub), kPanicked, "TEE_Panic");
  TEE_FreeOperation(s);
  TEE_FreeOperation(v);
  TEE_FreeTransientObject(pub);
}

TEST(Rsa, PssSaltShortBufferAndReuse) {
  TEE_ObjectHandle k = fixed_rsa(true);
  TEE_OperationHandle s = keyed(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA384, TEE_MODE_SIGN, 2048, k);
  TEE_OperationHandle v = keyed(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA384, TEE_MODE_VERIFY, 2048, k);
  const Bytes d = digest(TEE_ALG_SHA384, {'x'});
  uint8_t small[8];
  size_t n = sizeof(small);
  EXPECT_EQ(TEE_AsymmetricSignDigest(s, nullptr, 0, d.data(), d.size(), small, &n), TEE_ERROR_SHORT_BUFFER);
  EXPECT_EQ(n, 256u);
  const Bytes sig = sign(s, d);  // still usable after SHORT_BUFFER
  EXPECT_EQ(sig.size(), 256u);
  EXPECT_EQ(verify(v, d, sig), TEE_SUCCESS);
  // Salt length is a parameter; verifying with another one fails.
  std::vector<TEE_Attribute> salt(1);
  TEE_InitValueAttribute(&salt[0], TEE_ATTR_RSA_PSS_SALT_LENGTH, 20, 0);
  const Bytes sig20 = sign(s, d, salt);
  EXPECT_EQ(verify(v, d, sig20, salt), TEE_SUCCESS);
  EXPECT_EQ(verify(v, d, sig20), TEE_ERROR_SIGNATURE_INVALID);
  TEE_FreeOperation(s);
  TEE_FreeOperation(v);
  TEE_FreeTransientObject(k);
}

TEST(Rsa, OaepLabelPkcs1AndNopadRoundTrips) {
  TEE_ObjectHandle k = fixed_rsa(true);
  const Bytes msg = {1, 2, 3, 4, 5};
  const Bytes label = {'l', 'b', 'l'};
  std::vector<TEE_Attribute> p(1);
  TEE_InitRefAttribute(&p[0], TEE_ATTR_RSA_OAEP_LABEL, label.data(), label.size());
  for (uint32_t alg : {TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, TEE_ALG_RSAES_PKCS1_V1_5, TEE_ALG_RSA_NOPAD}) {
    const bool oaep = alg == TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256;
    TEE_OperationHandle e = keyed(alg, TEE_MODE_ENCRYPT, 2048, k);
    TEE_OperationHandle d = keyed(alg, TEE_MODE_DECRYPT, 2048, k);
    Bytes ct(256);
    size_t n = 10;
    EXPECT_EQ(TEE_AsymmetricEncrypt(e, oaep ? p.data() : nullptr, oaep ? 1 : 0, msg.data(), msg.size(),
                                    ct.data(), &n),
              TEE_ERROR_SHORT_BUFFER);
    EXPECT_GE(n, alg == TEE_ALG_RSA_NOPAD ? 250u : 256u);  // raw RSA drops leading zero bytes
    n = ct.size();
    ASSERT_EQ(TEE_AsymmetricEncrypt(e, oaep ? p.data() : nullptr, oaep ? 1 : 0, msg.data(), msg.size(),
                                    ct.data(), &n),
              TEE_SUCCESS);
    ct.resize(n);
    Bytes pt(256);
    size_t m = pt.size();
    ASSERT_EQ(TEE_AsymmetricDecrypt(d, oaep ? p.data() : nullptr, oaep ? 1 : 0, ct.data(), ct.size(),
                                    pt.data(), &m),
              TEE_SUCCESS);
    pt.resize(m);
    EXPECT_EQ(pt, msg) << std::hex << alg;
    if (alg != TEE_ALG_RSA_NOPAD) {
      ct[5] ^= 0x40;  // padding check fails: BAD_PARAMETERS, as OP-TEE
      m = 256;
      EXPECT_EQ(TEE_AsymmetricDecrypt(d, oaep ? p.data() : nullptr, oaep ? 1 : 0, ct.data(), ct.size(),
                                      pt.data(), &m),
                TEE_ERROR_BAD_PARAMETERS);
    }
    TEE_FreeOperation(e);
    TEE_FreeOperation(d);
  }
  TEE_FreeTransientObject(k);
}

TEST(Rsa, GenerateSizesAndExponent) {
  const Bytes e3 = {0x03};
  for (uint32_t bits : {256u, 520u, 1024u, 2048u, 4096u}) {
    TEE_ObjectHandle k = bits == 520
                             ? generate(TEE_TYPE_RSA_KEYPAIR, bits, {{TEE_ATTR_RSA_PUBLIC_EXPONENT, e3}})
                             : generate(TEE_TYPE_RSA_KEYPAIR, bits);
    TEE_ObjectInfo info{};
    ASSERT_EQ(TEE_GetObjectInfo1(k, &info), TEE_SUCCESS);
    EXPECT_EQ(info.objectSize, bits);
    EXPECT_EQ(buffer_attr(k, TEE_ATTR_RSA_MODULUS).size(), (bits + 7) / 8);
    EXPECT_EQ(to_hex(buffer_attr(k, TEE_ATTR_RSA_PUBLIC_EXPONENT)), bits == 520 ? "03" : "010001");
    // Sign/verify works with the generated key (a 256-bit modulus only has
    // room for a short DigestInfo-less input: the bare v1.5 variant).
    const uint32_t alg = bits == 256 ? TEE_ALG_RSASSA_PKCS1_V1_5 : TEE_ALG_RSASSA_PKCS1_V1_5_SHA1;
    const Bytes d = bits == 256 ? Bytes(16, 0x5a) : digest(TEE_ALG_SHA1, {'k'});
    TEE_OperationHandle s = keyed(alg, TEE_MODE_SIGN, bits, k);
    TEE_OperationHandle v = keyed(alg, TEE_MODE_VERIFY, bits, k);
    EXPECT_EQ(verify(v, d, sign(s, d)), TEE_SUCCESS) << bits;
    TEE_FreeOperation(s);
    TEE_FreeOperation(v);
    TEE_FreeTransientObject(k);
  }
  TEE_ObjectHandle h = TEE_HANDLE_NULL;
  EXPECT_EQ(TEE_AllocateTransientObject(TEE_TYPE_RSA_KEYPAIR, 128, &h), TEE_ERROR_NOT_SUPPORTED);
  EXPECT_EQ(TEE_AllocateTransientObject(TEE_TYPE_RSA_KEYPAIR, 8192, &h), TEE_ERROR_NOT_SUPPORTED);
}

TEST(Rsa, PartialCrtIsRejectedAndKeyPairCopiesToPublic) {
  TEE_ObjectHandle h = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateTransientObject(TEE_TYPE_RSA_KEYPAIR, 2048, &h), TEE_SUCCESS);
  const Bytes n = hex(kRsaN), e = hex(kRsaE), d = hex(kRsaD), p = hex(kRsaP);
  TEE_Attribute a[4];
  TEE_InitRefAttribute(&a[0], TEE_ATTR_RSA_MODULUS, n.data(), n.size());
  TEE_InitRefAttribute(&a[1], TEE_ATTR_RSA_PUBLIC_EXPONENT, e.data(), e.size());
  TEE_InitRefAttribute(&a[2], TEE_ATTR_RSA_PRIVATE_EXPONENT, d.data(), d.size());
  TEE_InitRefAttribute(&a[3], TEE_ATTR_RSA_PRIME1, p.data(), p.size());
  // A partial CRT group: OP-TEE's attribute check answers ITEM_NOT_FOUND,
  // which libutee's TEE_PopulateTransientObject turns into a panic.
  EXPECT_EXIT((void)TEE_PopulateTransientObject(h, a, 4), kPanicked, "TEE_Panic");
  TEE_FreeTransientObject(h);

  TEE_ObjectHandle pair = fixed_rsa(true);
  TEE_ObjectHandle pub = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateTransientObject(TEE_TYPE_RSA_PUBLIC_KEY, 2048, &pub), TEE_SUCCESS);
  ASSERT_EQ(TEE_CopyObjectAttributes1(pub, pair), TEE_SUCCESS);
  EXPECT_EQ(buffer_attr(pub, TEE_ATTR_RSA_MODULUS), n);
  Bytes buf(512);
  size_t len = buf.size();
  EXPECT_EQ(TEE_GetObjectBufferAttribute(pub, TEE_ATTR_RSA_PRIVATE_EXPONENT, buf.data(), &len),
            TEE_ERROR_ITEM_NOT_FOUND);
  TEE_FreeTransientObject(pub);
  TEE_FreeTransientObject(pair);
}

TEST(Ecdsa, EveryCurveSignsRawRs) {
  struct C {
    uint32_t curve, bits, alg, hash;
  };
  for (const C& c : {C{TEE_ECC_CURVE_NIST_P192, 192, TEE_ALG_ECDSA_SHA1, TEE_ALG_SHA1},
                     C{TEE_ECC_CURVE_NIST_P224, 224, TEE_ALG_ECDSA_SHA224, TEE_ALG_SHA224},
                     C{TEE_ECC_CURVE_NIST_P256, 256, TEE_ALG_ECDSA_SHA256, TEE_ALG_SHA256},
                     C{TEE_ECC_CURVE_NIST_P384, 384, TEE_ALG_ECDSA_SHA384, TEE_ALG_SHA384},
                     C{TEE_ECC_CURVE_NIST_P521, 521, TEE_ALG_ECDSA_SHA512, TEE_ALG_SHA512}}) {
    EXPECT_EQ(TEE_IsAlgorithmSupported(c.alg, c.curve), TEE_SUCCESS);
    TEE_ObjectHandle k = generate(TEE_TYPE_ECDSA_KEYPAIR, c.bits, {{TEE_ATTR_ECC_CURVE, {}, c.curve}});
    uint32_t ca = 0, cb = 0;
    ASSERT_EQ(TEE_GetObjectValueAttribute(k, TEE_ATTR_ECC_CURVE, &ca, &cb), TEE_SUCCESS);
    EXPECT_EQ(ca, c.curve);
    TEE_OperationHandle s = keyed(c.alg, TEE_MODE_SIGN, c.bits, k);
    TEE_OperationHandle v = keyed(c.alg, TEE_MODE_VERIFY, c.bits, k);
    const Bytes d = digest(c.hash, {'m'});
    const Bytes sig = sign(s, d);
    EXPECT_EQ(sig.size(), 2 * ((c.bits + 7) / 8));
    EXPECT_EQ(verify(v, d, sig), TEE_SUCCESS);
    Bytes bad = sig;
    bad.back() ^= 1;
    EXPECT_EQ(verify(v, d, bad), TEE_ERROR_SIGNATURE_INVALID);
    TEE_FreeOperation(s);
    TEE_FreeOperation(v);
    TEE_FreeTransientObject(k);
  }
  EXPECT_EQ(TEE_IsAlgorithmSupported(TEE_ALG_ECDSA_SHA256, TEE_ECC_CURVE_25519), TEE_ERROR_NOT_SUPPORTED);
  EXPECT_EQ(TEE_IsAlgorithmSupported(TEE_ALG_ECDSA_SHA256, TEE_CRYPTO_ELEMENT_NONE), TEE_ERROR_NOT_SUPPORTED);
}

// As on OP-TEE (libtomcrypt truncates to the order, so does OpenSSL): any
// digest length signs and verifies, with the GP 1.3 and the GP 1.1 ids; a
// long digest is its leftmost order-size bytes.
TEST(Ecdsa, AnyDigestLengthSignsAndVerifies) {
  struct C {
    uint32_t curve, bits, alg;
  };
  for (const C& c : {C{TEE_ECC_CURVE_NIST_P256, 256, TEE_ALG_ECDSA_SHA256},
                     C{TEE_ECC_CURVE_NIST_P256, 256, __OPTEE_ALG_ECDSA_P256},
                     C{TEE_ECC_CURVE_NIST_P384, 384, TEE_ALG_ECDSA_SHA512},
                     C{TEE_ECC_CURVE_NIST_P521, 521, __OPTEE_ALG_ECDSA_P521}}) {
    TEE_ObjectHandle k = generate(TEE_TYPE_ECDSA_KEYPAIR, c.bits, {{TEE_ATTR_ECC_CURVE, {}, c.curve}});
    TEE_OperationHandle s = keyed(c.alg, TEE_MODE_SIGN, c.bits, k);
    TEE_OperationHandle v = keyed(c.alg, TEE_MODE_VERIFY, c.bits, k);
    for (size_t len : {size_t{0}, size_t{1}, size_t{20}, size_t{31}, size_t{64}, size_t{100}}) {
      Bytes d(len);
      for (size_t i = 0; i < len; ++i) d[i] = static_cast<uint8_t>(i * 7 + 1);
      Bytes sig(200);
      size_t n = sig.size();
      ASSERT_EQ(TEE_AsymmetricSignDigest(s, nullptr, 0, len != 0 ? d.data() : nullptr, len, sig.data(), &n),
                TEE_SUCCESS)
          << std::hex << c.alg << " len " << std::dec << len;
      sig.resize(n);
      EXPECT_EQ(sig.size(), 2 * ((c.bits + 7) / 8));
      EXPECT_EQ(TEE_AsymmetricVerifyDigest(v, nullptr, 0, len != 0 ? d.data() : nullptr, len, sig.data(),
                                           sig.size()),
                TEE_SUCCESS);
      if (len == 0) continue;
      Bytes other = d;
      other[0] ^= 1;
      EXPECT_EQ(verify(v, other, sig), TEE_ERROR_SIGNATURE_INVALID);
    }
    // A digest longer than the order counts by its leftmost bytes only.
    const size_t order = (c.bits + 7) / 8;
    Bytes lng(order + 16, 0x5a);
    const Bytes sig = sign(s, lng);
    if (c.bits % 8 == 0) {
      lng.back() ^= 1;
      EXPECT_EQ(verify(v, lng, sig), TEE_SUCCESS);
    }
    release(s, v, k);
  }
}

// OP-TEE's ECC verify answers BAD_PARAMETERS for an r || s of another width;
// libutee's TEE_AsymmetricVerifyDigest panics on it.
TEST(Ecdsa, SignatureOfTheWrongWidthPanics) {
  TEE_ObjectHandle k =
      generate(TEE_TYPE_ECDSA_KEYPAIR, 256, {{TEE_ATTR_ECC_CURVE, {}, TEE_ECC_CURVE_NIST_P256}});
  TEE_OperationHandle s = keyed(TEE_ALG_ECDSA_SHA256, TEE_MODE_SIGN, 256, k);
  TEE_OperationHandle v = keyed(TEE_ALG_ECDSA_SHA256, TEE_MODE_VERIFY, 256, k);
  const Bytes d = digest(TEE_ALG_SHA256, {'m'});
  const Bytes sig = sign(s, d);
  ASSERT_EQ(verify(v, d, sig), TEE_SUCCESS);
  EXPECT_EXIT((void)verify(v, d, Bytes(sig.begin(), sig.end() - 1)), kPanicked, "TEE_Panic");
  Bytes longer = sig;
  longer.push_back(0);
  EXPECT_EXIT((void)verify(v, d, longer), kPanicked, "TEE_Panic");
  EXPECT_EXIT((void)verify(v, d, {}), kPanicked, "TEE_Panic");
  release(s, v, k);
}

// RSASSA with a hash takes exactly that hash's size: OP-TEE's core answers
// BAD_PARAMETERS, libutee's TEE_AsymmetricSignDigest panics (it lets only
// SUCCESS and SHORT_BUFFER through).
TEST(Rsa, SignWithDigestOfWrongSizePanics) {
  TEE_ObjectHandle k = fixed_rsa(true);
  for (uint32_t alg : {TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256}) {
    TEE_OperationHandle s = keyed(alg, TEE_MODE_SIGN, 2048, k);
    const Bytes d = digest(TEE_ALG_SHA256, {'a'});
    Bytes sig(256);
    size_t n = sig.size();
    EXPECT_EXIT((void)TEE_AsymmetricSignDigest(s, nullptr, 0, d.data(), d.size() - 1, sig.data(), &n),
                kPanicked, "TEE_Panic");
    Bytes longer = d;
    longer.push_back(0);
    EXPECT_EXIT((void)TEE_AsymmetricSignDigest(s, nullptr, 0, longer.data(), longer.size(), sig.data(), &n),
                kPanicked, "TEE_Panic");
    TEE_FreeOperation(s);
  }
  TEE_FreeTransientObject(k);
}

// Generation parameters OP-TEE's attribute check refuses (ITEM_NOT_FOUND:
// one the type does not take, one given twice, a required one missing)
// panic, since libutee's TEE_GenerateKey lets only SUCCESS and
// BAD_PARAMETERS through.
TEST(AsymGenerate, ParameterSetErrorsPanic) {
  auto gen = [](uint32_t type, uint32_t bits, const std::vector<A>& params) {
    TEE_ObjectHandle h = TEE_HANDLE_NULL;
    EXPECT_EQ(TEE_AllocateTransientObject(type, bits, &h), TEE_SUCCESS);
    const std::vector<TEE_Attribute> v = gp_attrs(params);
    const TEE_Result r = TEE_GenerateKey(h, bits, v.data(), static_cast<uint32_t>(v.size()));
    TEE_FreeTransientObject(h);
    return r;
  };
  const A curve{TEE_ATTR_ECC_CURVE, {}, TEE_ECC_CURVE_NIST_P256};
  EXPECT_EXIT((void)gen(TEE_TYPE_ECDSA_KEYPAIR, 256, {}), kPanicked, "TEE_Panic");
  EXPECT_EXIT((void)gen(TEE_TYPE_ECDH_KEYPAIR, 256, {curve, curve}), kPanicked, "TEE_Panic");
  EXPECT_EXIT((void)gen(TEE_TYPE_ECDSA_KEYPAIR, 256, {curve, {TEE_ATTR_RSA_PUBLIC_EXPONENT, {1, 0, 1}}}),
              kPanicked, "TEE_Panic");
  EXPECT_EXIT((void)gen(TEE_TYPE_RSA_KEYPAIR, 512, {{TEE_ATTR_RSA_MODULUS, Bytes(64, 1)}}), kPanicked,
              "TEE_Panic");
  EXPECT_EXIT((void)gen(TEE_TYPE_DSA_KEYPAIR, 1024,
                        {{TEE_ATTR_DSA_PRIME, hex(kDsaP)}, {TEE_ATTR_DSA_BASE, hex(kDsaG)}}),
              kPanicked, "TEE_Panic");
  EXPECT_EXIT((void)gen(TEE_TYPE_AES, 128, {{TEE_ATTR_SECRET_VALUE, Bytes(16, 1)}}), kPanicked, "TEE_Panic");
  EXPECT_EQ(gen(TEE_TYPE_ECDSA_KEYPAIR, 256, {curve}), TEE_SUCCESS);
}

TEST(Ecdsa, Gp11CurveBoundIdRefusesOtherCurves) {
  TEE_ObjectHandle k =
      generate(TEE_TYPE_ECDSA_KEYPAIR, 384, {{TEE_ATTR_ECC_CURVE, {}, TEE_ECC_CURVE_NIST_P384}});
  TEE_OperationHandle op = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateOperation(&op, __OPTEE_ALG_ECDSA_P256, TEE_MODE_SIGN, 384), TEE_ERROR_NOT_SUPPORTED);
  ASSERT_EQ(TEE_AllocateOperation(&op, __OPTEE_ALG_ECDSA_P384, TEE_MODE_SIGN, 384), TEE_SUCCESS);
  EXPECT_EQ(TEE_SetOperationKey(op, k), TEE_SUCCESS);
  TEE_FreeOperation(op);
  TEE_FreeTransientObject(k);
}

TEST(Ecdsa, PointOffTheCurvePanicsAtSetKey) {
  TEE_ObjectHandle k =
      generate(TEE_TYPE_ECDSA_KEYPAIR, 256, {{TEE_ATTR_ECC_CURVE, {}, TEE_ECC_CURVE_NIST_P256}});
  Bytes x = buffer_attr(k, TEE_ATTR_ECC_PUBLIC_VALUE_X), y = buffer_attr(k, TEE_ATTR_ECC_PUBLIC_VALUE_Y);
  y.back() ^= 1;
  TEE_ObjectHandle pub = object(TEE_TYPE_ECDSA_PUBLIC_KEY, 256,
                                {{TEE_ATTR_ECC_PUBLIC_VALUE_X, x},
                                 {TEE_ATTR_ECC_PUBLIC_VALUE_Y, y},
                                 {TEE_ATTR_ECC_CURVE, {}, TEE_ECC_CURVE_NIST_P256}});
  TEE_OperationHandle op = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateOperation(&op, TEE_ALG_ECDSA_SHA256, TEE_MODE_VERIFY, 256), TEE_SUCCESS);
  EXPECT_EXIT((void)TEE_SetOperationKey(op, pub), kPanicked, "TEE_Panic");
  TEE_FreeOperation(op);
  TEE_FreeTransientObject(pub);
  TEE_FreeTransientObject(k);
}

Bytes derive_secret(uint32_t alg, uint32_t bits, TEE_ObjectHandle mine, const std::vector<A>& peer) {
  TEE_OperationHandle op = keyed(alg, TEE_MODE_DERIVE, bits, mine);
  std::vector<TEE_Attribute> p(peer.size());
  for (size_t i = 0; i < peer.size(); ++i)
    TEE_InitRefAttribute(&p[i], peer[i].id, peer[i].buf.data(), peer[i].buf.size());
  TEE_ObjectHandle out = TEE_HANDLE_NULL;
  EXPECT_EQ(TEE_AllocateTransientObject(TEE_TYPE_GENERIC_SECRET, 4096, &out), TEE_SUCCESS);
  TEE_DeriveKey(op, p.data(), static_cast<uint32_t>(p.size()), out);
  const Bytes r = buffer_attr(out, TEE_ATTR_SECRET_VALUE);
  TEE_FreeTransientObject(out);
  TEE_FreeOperation(op);
  return r;
}

TEST(Ecdh, BothSidesAgreeOnEveryCurve) {
  for (uint32_t curve = TEE_ECC_CURVE_NIST_P192; curve <= TEE_ECC_CURVE_NIST_P521; ++curve) {
    const uint32_t bits = curve == 1 ? 192 : curve == 2 ? 224 : curve == 3 ? 256 : curve == 4 ? 384 : 521;
    TEE_ObjectHandle a = generate(TEE_TYPE_ECDH_KEYPAIR, bits, {{TEE_ATTR_ECC_CURVE, {}, curve}});
    TEE_ObjectHandle b = generate(TEE_TYPE_ECDH_KEYPAIR, bits, {{TEE_ATTR_ECC_CURVE, {}, curve}});
    const Bytes ab =
        derive_secret(TEE_ALG_ECDH_DERIVE_SHARED_SECRET, bits, a,
                      {{TEE_ATTR_ECC_PUBLIC_VALUE_X, buffer_attr(b, TEE_ATTR_ECC_PUBLIC_VALUE_X)},
                       {TEE_ATTR_ECC_PUBLIC_VALUE_Y, buffer_attr(b, TEE_ATTR_ECC_PUBLIC_VALUE_Y)}});
    const Bytes ba =
        derive_secret(TEE_ALG_ECDH_DERIVE_SHARED_SECRET, bits, b,
                      {{TEE_ATTR_ECC_PUBLIC_VALUE_X, buffer_attr(a, TEE_ATTR_ECC_PUBLIC_VALUE_X)},
                       {TEE_ATTR_ECC_PUBLIC_VALUE_Y, buffer_attr(a, TEE_ATTR_ECC_PUBLIC_VALUE_Y)}});
    EXPECT_EQ(ab, ba);
    EXPECT_EQ(ab.size(), (bits + 7) / 8);
    TEE_FreeTransientObject(a);
    TEE_FreeTransientObject(b);
  }
}

TEST(Ecdh, InvalidPeerPointPanics) {
  TEE_ObjectHandle a =
      generate(TEE_TYPE_ECDH_KEYPAIR, 256, {{TEE_ATTR_ECC_CURVE, {}, TEE_ECC_CURVE_NIST_P256}});
  Bytes y = buffer_attr(a, TEE_ATTR_ECC_PUBLIC_VALUE_Y);
  y.back() ^= 1;
  EXPECT_EXIT((void)derive_secret(TEE_ALG_ECDH_DERIVE_SHARED_SECRET, 256, a,
                                  {{TEE_ATTR_ECC_PUBLIC_VALUE_X, buffer_attr(a, TEE_ATTR_ECC_PUBLIC_VALUE_X)},
                                   {TEE_ATTR_ECC_PUBLIC_VALUE_Y, y}}),
              kPanicked, "TEE_Panic");
  TEE_FreeTransientObject(a);
}

TEST(X25519, Rfc7748Section61) {
  const Bytes a_priv = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  const Bytes a_pub = hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  const Bytes b_pub = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  TEE_ObjectHandle a =
      object(TEE_TYPE_X25519_KEYPAIR, 256,
             {{TEE_ATTR_X25519_PUBLIC_VALUE, a_pub}, {TEE_ATTR_X25519_PRIVATE_VALUE, a_priv}});
  EXPECT_EQ(to_hex(derive_secret(TEE_ALG_X25519, 256, a, {{TEE_ATTR_X25519_PUBLIC_VALUE, b_pub}})),
            "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  TEE_FreeTransientObject(a);
  // A low-order peer point gives the all-zero secret: refused (panic).
  TEE_ObjectHandle g = generate(TEE_TYPE_X25519_KEYPAIR, 256);
  EXPECT_EXIT((void)derive_secret(TEE_ALG_X25519, 256, g, {{TEE_ATTR_X25519_PUBLIC_VALUE, Bytes(32, 0)}}),
              kPanicked, "TEE_Panic");
  TEE_FreeTransientObject(g);
}

TEST(X448, GeneratedPairsAgree) {
  TEE_ObjectHandle a = generate(TEE_TYPE_X448_KEYPAIR, 448), b = generate(TEE_TYPE_X448_KEYPAIR, 448);
  const Bytes ab = derive_secret(TEE_ALG_X448, 448, a,
                                 {{TEE_ATTR_X448_PUBLIC_VALUE, buffer_attr(b, TEE_ATTR_X448_PUBLIC_VALUE)}});
  const Bytes ba = derive_secret(TEE_ALG_X448, 448, b,
                                 {{TEE_ATTR_X448_PUBLIC_VALUE, buffer_attr(a, TEE_ATTR_X448_PUBLIC_VALUE)}});
  EXPECT_EQ(ab, ba);
  EXPECT_EQ(ab.size(), 56u);
  TEE_FreeTransientObject(a);
  TEE_FreeTransientObject(b);
}

struct EdVector {
  const char *priv, *pub, *msg, *sig;
};

TEST(Ed25519, Rfc8032Section71) {
  const EdVector vs[] = {
      {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
       "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
       "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf"
       "5f0595bbe24655141438e7a100b"},
      {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
       "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
       "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2"
       "eaeb4302aeeb00d291612bb0c00"},
      {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
       "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
       "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c1"
       "5e9716ed28dc027beceea1ec40a"},
  };
  for (const auto& v : vs) {
    TEE_ObjectHandle k =
        object(TEE_TYPE_ED25519_KEYPAIR, 256,
               {{TEE_ATTR_ED25519_PUBLIC_VALUE, hex(v.pub)}, {TEE_ATTR_ED25519_PRIVATE_VALUE, hex(v.priv)}});
    TEE_OperationHandle s = keyed(TEE_ALG_ED25519, TEE_MODE_SIGN, 256, k);
    TEE_OperationHandle ver = keyed(TEE_ALG_ED25519, TEE_MODE_VERIFY, 256, k);
    EXPECT_EQ(to_hex(sign(s, hex(v.msg))), v.sig);
    EXPECT_EQ(verify(ver, hex(v.msg), hex(v.sig)), TEE_SUCCESS);
    EXPECT_EQ(verify(ver, Bytes{0x01}, hex(v.sig)), TEE_ERROR_SIGNATURE_INVALID);
    TEE_FreeOperation(s);
    TEE_FreeOperation(ver);
    TEE_FreeTransientObject(k);
  }
}

TEST(Ed25519, MismatchedKeyPairIsRejected) {
  TEE_ObjectHandle h = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateTransientObject(TEE_TYPE_ED25519_KEYPAIR, 256, &h), TEE_SUCCESS);
  const Bytes priv = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  Bytes pub = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  pub[0] ^= 1;
  TEE_Attribute a[2];
  TEE_InitRefAttribute(&a[0], TEE_ATTR_ED25519_PUBLIC_VALUE, pub.data(), pub.size());
  TEE_InitRefAttribute(&a[1], TEE_ATTR_ED25519_PRIVATE_VALUE, priv.data(), priv.size());
  EXPECT_EQ(TEE_PopulateTransientObject(h, a, 2), TEE_ERROR_BAD_PARAMETERS);
  TEE_InitRefAttribute(&a[0], TEE_ATTR_ED25519_PUBLIC_VALUE, pub.data(), 31);
  EXPECT_EQ(TEE_PopulateTransientObject(h, a, 2), TEE_ERROR_BAD_PARAMETERS);
  TEE_FreeTransientObject(h);
}

TEST(Ed25519, ContextAndPrehashAreNotSupportedOnOpenSsl30) {
  TEE_ObjectHandle k = generate(TEE_TYPE_ED25519_KEYPAIR, 256);
  TEE_OperationHandle s = keyed(TEE_ALG_ED25519, TEE_MODE_SIGN, 256, k);
  const Bytes ctx = {'f', 'o', 'o'}, msg = {1};
  std::vector<TEE_Attribute> p(1);
  TEE_InitRefAttribute(&p[0], TEE_ATTR_EDDSA_CTX, ctx.data(), ctx.size());
  Bytes sig(64);
  size_t n = sig.size();
  EXPECT_EQ(TEE_AsymmetricSignDigest(s, p.data(), 1, msg.data(), msg.size(), sig.data(), &n),
            TEE_ERROR_NOT_SUPPORTED);
  TEE_InitValueAttribute(&p[0], TEE_ATTR_EDDSA_PREHASH, 1, 0);
  EXPECT_EQ(TEE_AsymmetricSignDigest(s, p.data(), 1, msg.data(), msg.size(), sig.data(), &n),
            TEE_ERROR_NOT_SUPPORTED);
  TEE_InitValueAttribute(&p[0], TEE_ATTR_EDDSA_PREHASH, 0, 0);  // explicitly pure
  EXPECT_EQ(TEE_AsymmetricSignDigest(s, p.data(), 1, msg.data(), msg.size(), sig.data(), &n), TEE_SUCCESS);
  TEE_FreeOperation(s);
  TEE_FreeTransientObject(k);
}

// A signature scheme's round trip: sig_len bytes that verify, and that stop
// verifying once byte `at` is XORed with `flip`.
struct SignCase {
  uint32_t alg, bits, hash;
  size_t sig_len, at;
  uint8_t flip;
};

void sign_verify_flip(const SignCase& c, TEE_ObjectHandle k, const Bytes& msg) {
  TEE_OperationHandle s = keyed(c.alg, TEE_MODE_SIGN, c.bits, k);
  TEE_OperationHandle v = keyed(c.alg, TEE_MODE_VERIFY, c.bits, k);
  const Bytes d = digest(c.hash, msg);
  const Bytes sig = sign(s, d);
  EXPECT_EQ(sig.size(), c.sig_len) << std::hex << c.alg;
  EXPECT_EQ(verify(v, d, sig), TEE_SUCCESS);
  Bytes bad = sig;
  bad.at(c.at) ^= c.flip;
  EXPECT_EQ(verify(v, d, bad), TEE_ERROR_SIGNATURE_INVALID);
  TEE_FreeOperation(s);
  TEE_FreeOperation(v);
}

// DSA domain (1024/160) fixed; keys generated from it.
TEST(Dsa, GenerateSignVerify) {
  TEE_ObjectHandle k = generate(TEE_TYPE_DSA_KEYPAIR, 1024,
                                {{TEE_ATTR_DSA_PRIME, hex(kDsaP)},
                                 {TEE_ATTR_DSA_SUBPRIME, hex(kDsaQ)},
                                 {TEE_ATTR_DSA_BASE, hex(kDsaG)}});
  sign_verify_flip({TEE_ALG_DSA_SHA1, 1024, TEE_ALG_SHA1, 40, 0, 0x80}, k, {'d', 's', 'a'});
  TEE_FreeTransientObject(k);
  // GP DSA sizes: 512..1024 in steps of 64, 2048, 3072.
  TEE_ObjectHandle h = TEE_HANDLE_NULL;
  EXPECT_EQ(TEE_AllocateTransientObject(TEE_TYPE_DSA_KEYPAIR, 1000, &h), TEE_ERROR_NOT_SUPPORTED);
  ASSERT_EQ(TEE_AllocateTransientObject(TEE_TYPE_DSA_KEYPAIR, 3072, &h), TEE_SUCCESS);
  TEE_FreeTransientObject(h);
}

// FIPS 186-4 §4.6: a digest longer than the subprime is truncated to its
// leftmost N bits. As OP-TEE (crypto_acipher_dsa_sign, syscall_asymm_verify)
// DSA_SHA256 with a 160-bit q signs the truncated digest (|q| bytes; the full
// hash panics) and verifies either the full hash or the truncated one.
// Checked with the DSA verification equation on the truncated digest, by hand.
TEST(Dsa, DigestLongerThanSubprimeIsTruncated) {
  TEE_ObjectHandle k = generate(TEE_TYPE_DSA_KEYPAIR, 1024,
                                {{TEE_ATTR_DSA_PRIME, hex(kDsaP)},
                                 {TEE_ATTR_DSA_SUBPRIME, hex(kDsaQ)},
                                 {TEE_ATTR_DSA_BASE, hex(kDsaG)}});
  TEE_OperationHandle s = keyed(TEE_ALG_DSA_SHA256, TEE_MODE_SIGN, 1024, k);
  TEE_OperationHandle v = keyed(TEE_ALG_DSA_SHA256, TEE_MODE_VERIFY, 1024, k);
  const Bytes d = digest(TEE_ALG_SHA256, {'a', 'b', 'c'});
  ASSERT_EQ(d.size(), 32u);
  const Bytes d20(d.begin(), d.begin() + 20);
  Bytes out(40);
  size_t n = out.size();
  EXPECT_EXIT((void)TEE_AsymmetricSignDigest(s, nullptr, 0, d.data(), d.size(), out.data(), &n), kPanicked,
              "TEE_Panic");
  const Bytes sig = sign(s, d20);
  ASSERT_EQ(sig.size(), 40u);
  EXPECT_EQ(verify(v, d, sig), TEE_SUCCESS);
  EXPECT_EQ(verify(v, d20, sig), TEE_SUCCESS);
  EXPECT_EXIT((void)verify(v, Bytes(d.begin(), d.begin() + 24), sig), kPanicked, "TEE_Panic");
  // v = (g^(z w) y^(r w) mod p) mod q == r, z = the leftmost 160 bits of d.
  const Bytes y = buffer_attr(k, TEE_ATTR_DSA_PUBLIC_VALUE);
  const Bytes pb = hex(kDsaP), qb = hex(kDsaQ), gb = hex(kDsaG);
  auto bn = [](const uint8_t* b, size_t n) { return BN_bin2bn(b, static_cast<int>(n), nullptr); };
  BN_CTX* ctx = BN_CTX_new();
  BIGNUM *P = bn(pb.data(), pb.size()), *Q = bn(qb.data(), qb.size()), *G = bn(gb.data(), gb.size());
  BIGNUM *Y = bn(y.data(), y.size()), *R = bn(sig.data(), 20), *S = bn(sig.data() + 20, 20);
  BIGNUM* Z = bn(d.data(), 20);
  BIGNUM *W = BN_new(), *U1 = BN_new(), *U2 = BN_new(), *T1 = BN_new(), *T2 = BN_new(), *V = BN_new();
  ASSERT_NE(BN_mod_inverse(W, S, Q, ctx), nullptr);
  ASSERT_EQ(BN_mod_mul(U1, Z, W, Q, ctx), 1);
  ASSERT_EQ(BN_mod_mul(U2, R, W, Q, ctx), 1);
  ASSERT_EQ(BN_mod_exp(T1, G, U1, P, ctx), 1);
  ASSERT_EQ(BN_mod_exp(T2, Y, U2, P, ctx), 1);
  ASSERT_EQ(BN_mod_mul(V, T1, T2, P, ctx), 1);
  ASSERT_EQ(BN_nnmod(V, V, Q, ctx), 1);
  EXPECT_EQ(BN_cmp(V, R), 0);
  for (BIGNUM* b : {P, Q, G, Y, R, S, Z, W, U1, U2, T1, T2, V}) BN_free(b);
  BN_CTX_free(ctx);
  TEE_FreeOperation(s);
  TEE_FreeOperation(v);
  TEE_FreeTransientObject(k);
}

// p, q, g of RFC 7919 ffdhe2048 as OpenSSL knows it (test harness only).
std::vector<Bytes> ffdhe2048() {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "DH", nullptr);
  EVP_PKEY* params = nullptr;
  char group[] = "ffdhe2048";
  OSSL_PARAM p[] = {OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
                    OSSL_PARAM_construct_end()};
  EXPECT_EQ(EVP_PKEY_paramgen_init(ctx), 1);
  EXPECT_EQ(EVP_PKEY_CTX_set_params(ctx, p), 1);
  EXPECT_EQ(EVP_PKEY_paramgen(ctx, &params), 1);
  std::vector<Bytes> out;
  for (const char* name : {OSSL_PKEY_PARAM_FFC_P, OSSL_PKEY_PARAM_FFC_Q, OSSL_PKEY_PARAM_FFC_G}) {
    BIGNUM* b = nullptr;
    EXPECT_EQ(EVP_PKEY_get_bn_param(params, name, &b), 1);
    Bytes v(static_cast<size_t>(BN_num_bytes(b)));
    BN_bn2bin(b, v.data());
    BN_free(b);
    out.push_back(v);
  }
  EVP_PKEY_free(params);
  EVP_PKEY_CTX_free(ctx);
  return out;
}

TEST(Dh, Ffdhe2048AgreesAndMatchesModExp) {
  const auto g = ffdhe2048();
  const std::vector<A> params = {
      {TEE_ATTR_DH_PRIME, g[0]}, {TEE_ATTR_DH_BASE, g[2]}, {TEE_ATTR_DH_SUBPRIME, g[1]}};
  TEE_ObjectHandle a = generate(TEE_TYPE_DH_KEYPAIR, 2048, params);
  TEE_ObjectHandle b = generate(TEE_TYPE_DH_KEYPAIR, 2048, params);
  const Bytes ya = buffer_attr(a, TEE_ATTR_DH_PUBLIC_VALUE), yb = buffer_attr(b, TEE_ATTR_DH_PUBLIC_VALUE);
  const Bytes ab = derive_secret(TEE_ALG_DH_DERIVE_SHARED_SECRET, 2048, a, {{TEE_ATTR_DH_PUBLIC_VALUE, yb}});
  const Bytes ba = derive_secret(TEE_ALG_DH_DERIVE_SHARED_SECRET, 2048, b, {{TEE_ATTR_DH_PUBLIC_VALUE, ya}});
  EXPECT_EQ(ab, ba);
  // Independent check: yb^xa mod p.
  const Bytes xa = buffer_attr(a, TEE_ATTR_DH_PRIVATE_VALUE);
  BN_CTX* ctx = BN_CTX_new();
  BIGNUM* p = BN_bin2bn(g[0].data(), static_cast<int>(g[0].size()), nullptr);
  BIGNUM* y = BN_bin2bn(yb.data(), static_cast<int>(yb.size()), nullptr);
  BIGNUM* x = BN_bin2bn(xa.data(), static_cast<int>(xa.size()), nullptr);
  BIGNUM* z = BN_new();
  ASSERT_EQ(BN_mod_exp(z, y, x, p, ctx), 1);
  Bytes zb(static_cast<size_t>(BN_num_bytes(z)));
  BN_bn2bin(z, zb.data());
  EXPECT_EQ(ab, zb);
  BN_free(p);
  BN_free(y);
  BN_free(x);
  BN_free(z);
  BN_CTX_free(ctx);
  // Out-of-range and wrong-subgroup peers are refused.
  EXPECT_EXIT(
      (void)derive_secret(TEE_ALG_DH_DERIVE_SHARED_SECRET, 2048, a, {{TEE_ATTR_DH_PUBLIC_VALUE, Bytes{1}}}),
      kPanicked, "TEE_Panic");
  TEE_FreeTransientObject(a);
  TEE_FreeTransientObject(b);
}

TEST(Dh, SmallSafePrimeWithXBits) {
  // 256-bit safe prime: below OpenSSL's DH floor, handled with BIGNUMs.
  const Bytes p = hex("d324a0d8af27a7a4c9f4f8c6b9f116a91947833245988720b19c877ec972ac2f");
  const std::vector<A> params = {
      {TEE_ATTR_DH_PRIME, p}, {TEE_ATTR_DH_BASE, {0x02}}, {TEE_ATTR_DH_X_BITS, {}, 160}};
  TEE_ObjectHandle a = generate(TEE_TYPE_DH_KEYPAIR, 256, params);
  TEE_ObjectHandle b = generate(TEE_TYPE_DH_KEYPAIR, 256, params);
  EXPECT_EQ(buffer_attr(a, TEE_ATTR_DH_PRIVATE_VALUE).size(), 20u);
  EXPECT_EQ(derive_secret(TEE_ALG_DH_DERIVE_SHARED_SECRET, 256, a,
                          {{TEE_ATTR_DH_PUBLIC_VALUE, buffer_attr(b, TEE_ATTR_DH_PUBLIC_VALUE)}}),
            derive_secret(TEE_ALG_DH_DERIVE_SHARED_SECRET, 256, b,
                          {{TEE_ATTR_DH_PUBLIC_VALUE, buffer_attr(a, TEE_ATTR_DH_PUBLIC_VALUE)}}));
  TEE_FreeTransientObject(a);
  TEE_FreeTransientObject(b);
}

// TEE_ATTR_DH_X_BITS = 0 means no constraint on the private value (OP-TEE),
// not an error: the key is checked against y = g^x mod p, computed here.
TEST(Dh, XBitsZeroMeansNoConstraint) {
  const Bytes p = hex("d324a0d8af27a7a4c9f4f8c6b9f116a91947833245988720b19c877ec972ac2f");
  const std::vector<A> params = {
      {TEE_ATTR_DH_PRIME, p}, {TEE_ATTR_DH_BASE, {0x02}}, {TEE_ATTR_DH_X_BITS, {}, 0}};
  TEE_ObjectHandle a = generate(TEE_TYPE_DH_KEYPAIR, 256, params);
  const Bytes xb = buffer_attr(a, TEE_ATTR_DH_PRIVATE_VALUE);
  const Bytes yb = buffer_attr(a, TEE_ATTR_DH_PUBLIC_VALUE);
  BN_CTX* ctx = BN_CTX_new();
  BIGNUM* bp = BN_bin2bn(p.data(), static_cast<int>(p.size()), nullptr);
  BIGNUM* x = BN_bin2bn(xb.data(), static_cast<int>(xb.size()), nullptr);
  BIGNUM* y = BN_new();
  BIGNUM* g = BN_new();
  ASSERT_EQ(BN_set_word(g, 2), 1);
  ASSERT_EQ(BN_mod_exp(y, g, x, bp, ctx), 1);
  Bytes want(static_cast<size_t>(BN_num_bytes(y)));
  BN_bn2bin(y, want.data());
  EXPECT_EQ(yb, want);
  EXPECT_LT(BN_cmp(x, bp), 0);
  EXPECT_GT(BN_num_bits(x), 160) << "unconstrained, not a short exponent";
  BN_free(g);
  BN_free(y);
  BN_free(x);
  BN_free(bp);
  BN_CTX_free(ctx);
  TEE_FreeTransientObject(a);
}

TEST(Sm2, SignVerifyAndEncryptDecrypt) {
  TEE_ObjectHandle k = generate(TEE_TYPE_SM2_DSA_KEYPAIR, 256);
  sign_verify_flip({TEE_ALG_SM2_DSA_SM3, 256, TEE_ALG_SM3, 64, 3, 4}, k, {'s', 'm', '2'});
  TEE_FreeTransientObject(k);

  TEE_ObjectHandle pk = generate(TEE_TYPE_SM2_PKE_KEYPAIR, 256);
  TEE_OperationHandle e = keyed(TEE_ALG_SM2_PKE, TEE_MODE_ENCRYPT, 256, pk);
  TEE_OperationHandle dec = keyed(TEE_ALG_SM2_PKE, TEE_MODE_DECRYPT, 256, pk);
  const Bytes msg = {'h', 'e', 'l', 'l', 'o'};
  Bytes ct(200);
  size_t n = 10;
  EXPECT_EQ(TEE_AsymmetricEncrypt(e, nullptr, 0, msg.data(), msg.size(), ct.data(), &n),
            TEE_ERROR_SHORT_BUFFER);
  EXPECT_EQ(n, 65u + 32u + msg.size());
  n = ct.size();
  ASSERT_EQ(TEE_AsymmetricEncrypt(e, nullptr, 0, msg.data(), msg.size(), ct.data(), &n), TEE_SUCCESS);
  ct.resize(n);
  EXPECT_EQ(ct[0], 0x04);  // C1 uncompressed, then C2, then C3 (OP-TEE's order)
  // The layout checked from first principles (GM/T 0003.4): with
  // (x2, y2) = d * C1, C2 = M ^ KDF(x2 || y2) and C3 = SM3(x2 || M || y2).
  {
    const Bytes d = buffer_attr(pk, TEE_ATTR_ECC_PRIVATE_VALUE);
    EC_GROUP* g = EC_GROUP_new_by_curve_name(NID_sm2);
    EC_POINT* c1 = EC_POINT_new(g);
    EC_POINT* p2 = EC_POINT_new(g);
    BIGNUM* bd = BN_bin2bn(d.data(), static_cast<int>(d.size()), nullptr);
    BIGNUM *x2 = BN_new(), *y2 = BN_new();
    ASSERT_EQ(EC_POINT_oct2point(g, c1, ct.data(), 65, nullptr), 1);
    ASSERT_EQ(EC_POINT_mul(g, p2, nullptr, c1, bd, nullptr), 1);
    ASSERT_EQ(EC_POINT_get_affine_coordinates(g, p2, x2, y2, nullptr), 1);
    uint8_t xy[64];
    ASSERT_EQ(BN_bn2binpad(x2, xy, 32), 32);
    ASSERT_EQ(BN_bn2binpad(y2, xy + 32, 32), 32);
    auto sm3 = [](std::initializer_list<Bytes> parts) {
      EVP_MD_CTX* c = EVP_MD_CTX_new();
      EXPECT_EQ(EVP_DigestInit_ex2(c, EVP_sm3(), nullptr), 1);
      for (const Bytes& part : parts) EVP_DigestUpdate(c, part.data(), part.size());
      Bytes out(32);
      unsigned int n = 0;
      EVP_DigestFinal_ex(c, out.data(), &n);
      EVP_MD_CTX_free(c);
      return out;
    };
    const Bytes x2b(xy, xy + 32), y2b(xy + 32, xy + 64);
    // KDF(x2 || y2, 5 bytes): the first bytes of SM3(x2 || y2 || 00000001).
    const Bytes t = sm3({x2b, y2b, Bytes{0, 0, 0, 1}});
    Bytes c2(msg.size());
    for (size_t i = 0; i < msg.size(); ++i) c2[i] = static_cast<uint8_t>(msg[i] ^ t[i]);
    EXPECT_EQ(Bytes(ct.begin() + 65, ct.begin() + 65 + static_cast<long>(msg.size())), c2) << "C2 after C1";
    EXPECT_EQ(Bytes(ct.end() - 32, ct.end()), sm3({x2b, msg, y2b})) << "C3 last";
    BN_free(x2);
    BN_free(y2);
    BN_free(bd);
    EC_POINT_free(p2);
    EC_POINT_free(c1);
    EC_GROUP_free(g);
  }
  Bytes pt(64);
  size_t m = pt.size();
  ASSERT_EQ(TEE_AsymmetricDecrypt(dec, nullptr, 0, ct.data(), ct.size(), pt.data(), &m), TEE_SUCCESS);
  pt.resize(m);
  EXPECT_EQ(pt, msg);
  ct.back() ^= 1;  // C3 no longer matches: OP-TEE's CIPHERTEXT_INVALID
  m = 64;
  EXPECT_EQ(TEE_AsymmetricDecrypt(dec, nullptr, 0, ct.data(), ct.size(), pt.data(), &m),
            TEE_ERROR_CIPHERTEXT_INVALID);
  TEE_FreeOperation(e);
  TEE_FreeOperation(dec);
  TEE_FreeTransientObject(pk);
  EXPECT_EQ(TEE_IsAlgorithmSupported(TEE_ALG_SM2_KEP, TEE_ECC_CURVE_SM2), TEE_ERROR_NOT_SUPPORTED);
}

TEST(AsymState, UsageModeAndClassArePoliced) {
  TEE_ObjectHandle k = fixed_rsa(true);
  ASSERT_EQ(TEE_RestrictObjectUsage1(k, TEE_USAGE_VERIFY), TEE_SUCCESS);
  TEE_OperationHandle s = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateOperation(&s, TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, TEE_MODE_SIGN, 2048), TEE_SUCCESS);
  EXPECT_EXIT((void)TEE_SetOperationKey(s, k), kPanicked, "TEE_Panic");  // no SIGN usage
  const Bytes d(32, 1);
  Bytes sig(256);
  size_t n = sig.size();
  EXPECT_EXIT((void)TEE_AsymmetricSignDigest(s, nullptr, 0, d.data(), d.size(), sig.data(), &n), kPanicked,
              "TEE_Panic");  // no key
  TEE_OperationHandle v = keyed(TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, TEE_MODE_VERIFY, 2048, k);
  EXPECT_EXIT((void)TEE_AsymmetricSignDigest(v, nullptr, 0, d.data(), d.size(), sig.data(), &n), kPanicked,
              "TEE_Panic");  // VERIFY operation
  EXPECT_EXIT((void)TEE_AsymmetricEncrypt(v, nullptr, 0, d.data(), d.size(), sig.data(), &n), kPanicked,
              "TEE_Panic");  // wrong class
  TEE_OperationInfo info{};
  TEE_GetOperationInfo(v, &info);
  EXPECT_EQ(info.operationClass, static_cast<uint32_t>(TEE_OPERATION_ASYMMETRIC_SIGNATURE));
  // As on OP-TEE: an asymmetric operation has no Init, so a key sets KEY_SET only.
  EXPECT_EQ(info.handleState & (TEE_HANDLE_FLAG_KEY_SET | TEE_HANDLE_FLAG_INITIALIZED),
            static_cast<uint32_t>(TEE_HANDLE_FLAG_KEY_SET));
  EXPECT_EQ(TEE_AllocateOperation(&s, TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, TEE_MODE_ENCRYPT, 2048),
            TEE_ERROR_NOT_SUPPORTED);
  // Copy shares the key; the copy signs/verifies independently.
  TEE_OperationHandle c = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateOperation(&c, TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, TEE_MODE_VERIFY, 2048), TEE_SUCCESS);
  TEE_CopyOperation(c, v);
  const Bytes abc = digest(TEE_ALG_SHA256, {'a', 'b', 'c'});
  TEE_FreeOperation(v);
  EXPECT_EQ(verify(c, abc, hex(kRsaSigAbc)), TEE_SUCCESS);
  TEE_FreeOperation(c);
  TEE_FreeTransientObject(k);
}

TEST(GpHkdf, Rfc5869Case1WithHashAttribute) {
  const Bytes ikm(22, 0x0b), salt = hex("000102030405060708090a0b0c"), info = hex("f0f1f2f3f4f5f6f7f8f9");
  TEE_ObjectHandle k = object(TEE_TYPE_HKDF, 176, {{TEE_ATTR_SECRET_VALUE, ikm}});
  TEE_OperationHandle op = keyed(TEE_ALG_HKDF, TEE_MODE_DERIVE, 176, k);
  TEE_Attribute p[4];
  TEE_InitRefAttribute(&p[0], TEE_ATTR_HKDF_SALT, salt.data(), salt.size());
  TEE_InitRefAttribute(&p[1], TEE_ATTR_HKDF_INFO, info.data(), info.size());
  TEE_InitValueAttribute(&p[2], TEE_ATTR_KDF_KEY_SIZE, 42, 0);
  TEE_InitValueAttribute(&p[3], TEE_ATTR_HKDF_HASH_ALGORITHM, TEE_ALG_SHA256, 0);
  TEE_ObjectHandle out = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateTransientObject(TEE_TYPE_GENERIC_SECRET, 512, &out), TEE_SUCCESS);
  TEE_DeriveKey(op, p, 4, out);
  EXPECT_EQ(to_hex(buffer_attr(out, TEE_ATTR_SECRET_VALUE)),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  // SHA-256 is the default hash.
  TEE_ResetTransientObject(out);
  TEE_DeriveKey(op, p, 3, out);
  EXPECT_EQ(buffer_attr(out, TEE_ATTR_SECRET_VALUE).size(), 42u);
  TEE_FreeTransientObject(out);
  TEE_FreeOperation(op);
  TEE_FreeTransientObject(k);
}

}  // namespace
}  // namespace swtee::ta::crypto::testing
