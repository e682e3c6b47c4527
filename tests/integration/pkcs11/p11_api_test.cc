// xtest 45xx: libswtee-pkcs11.so through the PKCS#11 API, in a private
// swtee stack: mechanisms with known answers (or OpenSSL as the reference),
// the attribute rules, PIN lockout, cross-process session handles, and the
// absence of partial objects after failures.
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "keys_stay.h"
#include "p11_client.h"

extern char** environ;

namespace swtee::p11test {
namespace {

const char kSoPin[] = "so-pin-4500";
const char kUserPin[] = "user-4500";
using Bytes = std::vector<uint8_t>;

Bytes hex(const char* h) {
  Bytes b;
  for (size_t i = 0; h[i] && h[i + 1]; i += 2)
    b.push_back(static_cast<uint8_t>(std::stoi(std::string(h + i, 2), nullptr, 16)));
  return b;
}

CK_UTF8CHAR_PTR pin(const char* p) { return reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>(p)); }

Module* g_mod = nullptr;

class Pkcs11 : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    g_mod = new Module(SWTEE_PKCS11_MODULE);
    ASSERT_EQ(init_threaded(*g_mod), CKR_OK);
    CK_TOKEN_INFO ti;
    ASSERT_EQ((*g_mod)->C_GetTokenInfo(0, &ti), CKR_OK);
    if (!(ti.flags & CKF_USER_PIN_INITIALIZED)) {
      CK_UTF8CHAR label[32];
      std::memset(label, ' ', sizeof(label));
      std::memcpy(label, "xtest-4500", 10);
      ASSERT_EQ((*g_mod)->C_InitToken(0, pin(kSoPin), std::strlen(kSoPin), label), CKR_OK);
      CK_SESSION_HANDLE s;
      ASSERT_EQ((*g_mod)->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &s),
                CKR_OK);
      ASSERT_EQ((*g_mod)->C_Login(s, CKU_SO, pin(kSoPin), std::strlen(kSoPin)), CKR_OK);
      ASSERT_EQ((*g_mod)->C_InitPIN(s, pin(kUserPin), std::strlen(kUserPin)), CKR_OK);
      ASSERT_EQ((*g_mod)->C_CloseSession(s), CKR_OK);
    }
  }
  static void TearDownTestSuite() {
    (*g_mod)->C_Finalize(nullptr);
    delete g_mod;
    g_mod = nullptr;
  }
  void SetUp() override {
    ASSERT_EQ(m()->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &s_), CKR_OK);
    ASSERT_EQ(m()->C_Login(s_, CKU_USER, pin(kUserPin), std::strlen(kUserPin)), CKR_OK);
  }
  void TearDown() override { m()->C_CloseSession(s_); }
  static const Module& m() { return *g_mod; }

  CK_OBJECT_HANDLE secret(CK_KEY_TYPE kt, const Bytes& v, bool sensitive = false, bool extractable = true) {
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_BBOOL t = CK_TRUE;
    CK_BBOOL sens = sensitive;
    CK_BBOOL ext = extractable;
    CK_ATTRIBUTE a[] = {{CKA_CLASS, &cls, sizeof(cls)},
                        {CKA_KEY_TYPE, &kt, sizeof(kt)},
                        {CKA_VALUE, const_cast<uint8_t*>(v.data()), v.size()},
                        {CKA_ENCRYPT, &t, 1},
                        {CKA_DECRYPT, &t, 1},
                        {CKA_SIGN, &t, 1},
                        {CKA_VERIFY, &t, 1},
                        {CKA_WRAP, &t, 1},
                        {CKA_UNWRAP, &t, 1},
                        {CKA_SENSITIVE, &sens, 1},
                        {CKA_EXTRACTABLE, &ext, 1}};
    CK_OBJECT_HANDLE h = 0;
    EXPECT_EQ(m()->C_CreateObject(s_, a, 11, &h), CKR_OK);
    return h;
  }

  Bytes run(CK_MECHANISM mech, CK_OBJECT_HANDLE key, const Bytes& in, bool encrypt) {
    EXPECT_EQ(encrypt ? m()->C_EncryptInit(s_, &mech, key) : m()->C_DecryptInit(s_, &mech, key), CKR_OK);
    CK_ULONG n = 0;
    auto call = [&](CK_BYTE_PTR out) {
      return encrypt ? m()->C_Encrypt(s_, const_cast<uint8_t*>(in.data()), in.size(), out, &n)
                     : m()->C_Decrypt(s_, const_cast<uint8_t*>(in.data()), in.size(), out, &n);
    };
    EXPECT_EQ(call(nullptr), CKR_OK);  // length query keeps the operation
    Bytes out(n);
    CK_RV rv = call(out.data());
    EXPECT_EQ(rv, CKR_OK);
    out.resize(rv == CKR_OK ? n : 0);
    return out;
  }

  Bytes sign(CK_MECHANISM mech, CK_OBJECT_HANDLE key, const Bytes& data) {
    EXPECT_EQ(m()->C_SignInit(s_, &mech, key), CKR_OK);
    CK_ULONG n = 0;
    EXPECT_EQ(m()->C_Sign(s_, const_cast<uint8_t*>(data.data()), data.size(), nullptr, &n), CKR_OK);
    Bytes sig(n);
    EXPECT_EQ(m()->C_Sign(s_, const_cast<uint8_t*>(data.data()), data.size(), sig.data(), &n), CKR_OK);
    sig.resize(n);
    return sig;
  }

  CK_RV verify(CK_MECHANISM mech, CK_OBJECT_HANDLE key, const Bytes& data, Bytes sig) {
    CK_RV rv = m()->C_VerifyInit(s_, &mech, key);
    if (rv != CKR_OK) return rv;
    return m()->C_Verify(s_, const_cast<uint8_t*>(data.data()), data.size(), sig.data(), sig.size());
  }

  size_t object_count() { return find_all(m(), s_).size(); }

  void keypair(CK_MECHANISM_TYPE mt, CK_ATTRIBUTE* pub_extra, CK_ULONG pub_n, CK_OBJECT_HANDLE* pub,
               CK_OBJECT_HANDLE* priv, bool derive = false) {
    CK_MECHANISM mech = {mt, nullptr, 0};
    CK_BBOOL t = CK_TRUE;
    CK_BBOOL d = derive;
    std::vector<CK_ATTRIBUTE> pt(pub_extra, pub_extra + pub_n);
    pt.push_back({CKA_VERIFY, &t, 1});
    if (mt == CKM_RSA_PKCS_KEY_PAIR_GEN) pt.push_back({CKA_ENCRYPT, &t, 1});
    std::vector<CK_ATTRIBUTE> vt = {{CKA_SIGN, &t, 1}, {CKA_DERIVE, &d, 1}};
    if (mt == CKM_RSA_PKCS_KEY_PAIR_GEN) vt.push_back({CKA_DECRYPT, &t, 1});
    ASSERT_EQ(m()->C_GenerateKeyPair(s_, &mech, pt.data(), pt.size(), vt.data(), vt.size(), pub, priv),
              CKR_OK);
  }

  CK_SESSION_HANDLE s_ = 0;
};

TEST_F(Pkcs11, X4502_Digests) {
  const Bytes abc = {'a', 'b', 'c'};
  struct {
    CK_MECHANISM_TYPE m;
    const char* want;
  } cases[] = {
      {CKM_SHA_1, "a9993e364706816aba3e25717850c26c9cd0d89d"},
      {CKM_SHA224, "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"},
      {CKM_SHA256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {CKM_SHA384,
       "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"},
      {CKM_SHA512,
       "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4"
       "423643c"
       "e80e2a9ac94fa54ca49f"},
  };
  for (auto& c : cases) {
    CK_MECHANISM mech = {c.m, nullptr, 0};
    ASSERT_EQ(m()->C_DigestInit(s_, &mech), CKR_OK);
    CK_BYTE out[64];
    CK_ULONG n = sizeof(out);
    ASSERT_EQ(m()->C_Digest(s_, const_cast<uint8_t*>(abc.data()), 3, out, &n), CKR_OK);
    EXPECT_EQ(Bytes(out, out + n), hex(c.want)) << c.m;
    // Multi-part gives the same.
    ASSERT_EQ(m()->C_DigestInit(s_, &mech), CKR_OK);
    ASSERT_EQ(m()->C_DigestUpdate(s_, const_cast<uint8_t*>(abc.data()), 1), CKR_OK);
    ASSERT_EQ(m()->C_DigestUpdate(s_, const_cast<uint8_t*>(abc.data()) + 1, 2), CKR_OK);
    n = sizeof(out);
    ASSERT_EQ(m()->C_DigestFinal(s_, out, &n), CKR_OK);
    EXPECT_EQ(Bytes(out, out + n), hex(c.want)) << c.m;
  }
}

TEST_F(Pkcs11, X4503_AesKnownAnswers) {
  // FIPS-197 C.1
  auto k = secret(CKK_AES, hex("000102030405060708090a0b0c0d0e0f"));
  EXPECT_EQ(run({CKM_AES_ECB, nullptr, 0}, k, hex("00112233445566778899aabbccddeeff"), true),
            hex("69c4e0d86a7b0430d8cdb78070b4c55a"));
  // CBC, CTR and GCM against OpenSSL.
  Bytes key32(32);
  for (size_t i = 0; i < 32; ++i) key32[i] = static_cast<uint8_t>(i * 7);
  auto k32 = secret(CKK_AES, key32);
  Bytes data(4096 + 16);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i);
  Bytes iv(16, 0x42);
  auto ossl = [&](const EVP_CIPHER* c, const Bytes& in, Bytes* tag, const Bytes& aad) {
    EVP_CIPHER_CTX* x = EVP_CIPHER_CTX_new();
    EVP_EncryptInit_ex(x, c, nullptr, nullptr, nullptr);
    if (tag) EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_IVLEN, 12, nullptr);
    EVP_EncryptInit_ex(x, nullptr, nullptr, key32.data(), iv.data());
    EVP_CIPHER_CTX_set_padding(x, 0);
    int n = 0;
    if (!aad.empty()) EVP_EncryptUpdate(x, nullptr, &n, aad.data(), static_cast<int>(aad.size()));
    Bytes out(in.size() + 16);
    EVP_EncryptUpdate(x, out.data(), &n, in.data(), static_cast<int>(in.size()));
    int f = 0;
    EVP_EncryptFinal_ex(x, out.data() + n, &f);
    out.resize(static_cast<size_t>(n + f));
    if (tag) {
      tag->resize(16);
      EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_GET_TAG, 16, tag->data());
    }
    EVP_CIPHER_CTX_free(x);
    return out;
  };
  CK_MECHANISM cbc = {CKM_AES_CBC, iv.data(), 16};
  auto ct = run(cbc, k32, data, true);
  EXPECT_EQ(ct, ossl(EVP_aes_256_cbc(), data, nullptr, {}));
  EXPECT_EQ(run(cbc, k32, ct, false), data);
  CK_AES_CTR_PARAMS ctr{};
  ctr.ulCounterBits = 128;
  std::memcpy(ctr.cb, iv.data(), 16);
  CK_MECHANISM ctrm = {CKM_AES_CTR, &ctr, sizeof(ctr)};
  Bytes odd(data.begin(), data.begin() + 1000);
  ct = run(ctrm, k32, odd, true);
  EXPECT_EQ(ct, ossl(EVP_aes_256_ctr(), odd, nullptr, {}));
  EXPECT_EQ(run(ctrm, k32, ct, false), odd);
  Bytes aad = {1, 2, 3, 4, 5};
  CK_GCM_PARAMS g{};
  g.pIv = iv.data();
  g.ulIvLen = 12;
  g.ulIvBits = 96;
  g.pAAD = aad.data();
  g.ulAADLen = aad.size();
  g.ulTagBits = 128;
  CK_MECHANISM gcm = {CKM_AES_GCM, &g, sizeof(g)};
  Bytes tag;
  Bytes want = ossl(EVP_aes_256_gcm(), odd, &tag, aad);
  want.insert(want.end(), tag.begin(), tag.end());
  ct = run(gcm, k32, odd, true);
  EXPECT_EQ(ct, want);
  EXPECT_EQ(run(gcm, k32, ct, false), odd);
  // A changed tag is refused and releases nothing.
  ct.back() ^= 1;
  ASSERT_EQ(m()->C_DecryptInit(s_, &gcm, k32), CKR_OK);
  Bytes out(ct.size());
  CK_ULONG n = out.size();
  EXPECT_EQ(m()->C_Decrypt(s_, ct.data(), ct.size(), out.data(), &n), CKR_ENCRYPTED_DATA_INVALID);
  // ECB/CBC need whole blocks.
  ASSERT_EQ(m()->C_EncryptInit(s_, &cbc, k32), CKR_OK);
  n = out.size();
  EXPECT_EQ(m()->C_Encrypt(s_, odd.data(), 17, out.data(), &n), CKR_DATA_LEN_RANGE);
}

TEST_F(Pkcs11, X4504_HmacKnownAnswer) {
  // RFC 4231 test case 4.
  auto k = secret(CKK_GENERIC_SECRET, hex("0102030405060708090a0b0c0d0e0f10111213141516171819"));
  Bytes data(50, 0xcd);
  CK_MECHANISM mech = {CKM_SHA256_HMAC, nullptr, 0};
  auto mac = sign(mech, k, data);
  EXPECT_EQ(mac, hex("82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"));
  EXPECT_EQ(verify(mech, k, data, mac), CKR_OK);
  mac[0] ^= 1;
  EXPECT_EQ(verify(mech, k, data, mac), CKR_SIGNATURE_INVALID);
  for (CK_MECHANISM_TYPE t : {CKM_SHA_1_HMAC, CKM_SHA224_HMAC, CKM_SHA384_HMAC, CKM_SHA512_HMAC}) {
    const EVP_MD* md = t == CKM_SHA_1_HMAC    ? EVP_sha1()
                       : t == CKM_SHA224_HMAC ? EVP_sha224()
                       : t == CKM_SHA384_HMAC ? EVP_sha384()
                                              : EVP_sha512();
    Bytes key = hex("0102030405060708090a0b0c0d0e0f10111213141516171819");
    unsigned char want[64];
    unsigned int wn = 0;
    HMAC(md, key.data(), static_cast<int>(key.size()), data.data(), data.size(), want, &wn);
    EXPECT_EQ(sign({t, nullptr, 0}, k, data), Bytes(want, want + wn)) << t;
  }
}

EVP_PKEY* rsa_pub(const Module& mod, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE pub) {
  Bytes n = get_bytes(mod, s, pub, CKA_MODULUS);
  Bytes e = get_bytes(mod, s, pub, CKA_PUBLIC_EXPONENT);
  EVP_PKEY* key = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
  BIGNUM* bn = BN_bin2bn(n.data(), static_cast<int>(n.size()), nullptr);
  BIGNUM* be = BN_bin2bn(e.data(), static_cast<int>(e.size()), nullptr);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_BN(bld, "n", bn);
  OSSL_PARAM_BLD_push_BN(bld, "e", be);
  OSSL_PARAM* p = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_fromdata_init(ctx);
  EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, p);
  OSSL_PARAM_free(p);
  OSSL_PARAM_BLD_free(bld);
  BN_free(bn);
  BN_free(be);
  EVP_PKEY_CTX_free(ctx);
  return key;
}

bool ossl_verify(EVP_PKEY* k, const EVP_MD* md, const Bytes& data, const Bytes& sig, int pad = 0) {
  EVP_MD_CTX* c = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pc = nullptr;
  bool ok = EVP_DigestVerifyInit(c, &pc, md, nullptr, k) == 1;
  if (ok && pad) {
    EVP_PKEY_CTX_set_rsa_padding(pc, pad);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, 32);
  }
  ok = ok && EVP_DigestVerify(c, sig.data(), sig.size(), data.data(), data.size()) == 1;
  EVP_MD_CTX_free(c);
  return ok;
}

TEST_F(Pkcs11, X4505_RsaSignVerifyEncrypt) {
  CK_ULONG bits = 2048;
  CK_ATTRIBUTE pa[] = {{CKA_MODULUS_BITS, &bits, sizeof(bits)}};
  CK_OBJECT_HANDLE pub = 0;
  CK_OBJECT_HANDLE priv = 0;
  keypair(CKM_RSA_PKCS_KEY_PAIR_GEN, pa, 1, &pub, &priv);
  EVP_PKEY* k = rsa_pub(m(), s_, pub);
  ASSERT_NE(k, nullptr);
  Bytes data(300, 0x61);
  auto sig = sign({CKM_SHA256_RSA_PKCS, nullptr, 0}, priv, data);
  EXPECT_EQ(sig.size(), 256u);
  EXPECT_TRUE(ossl_verify(k, EVP_sha256(), data, sig));
  EXPECT_EQ(verify({CKM_SHA256_RSA_PKCS, nullptr, 0}, pub, data, sig), CKR_OK);
  CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA256, CKG_MGF1_SHA256, 32};
  CK_MECHANISM pssm = {CKM_SHA256_RSA_PKCS_PSS, &pss, sizeof(pss)};
  sig = sign(pssm, priv, data);
  EXPECT_TRUE(ossl_verify(k, EVP_sha256(), data, sig, RSA_PKCS1_PSS_PADDING));
  EXPECT_EQ(verify(pssm, pub, data, sig), CKR_OK);
  sig[5] ^= 1;
  EXPECT_EQ(verify(pssm, pub, data, sig), CKR_SIGNATURE_INVALID);
  // Raw PKCS#1 v1.5 over a DigestInfo, as TLS libraries do.
  Bytes di = hex("3031300d060960864801650304020105000420");
  unsigned char h[32];
  EVP_Digest(data.data(), data.size(), h, nullptr, EVP_sha256(), nullptr);
  di.insert(di.end(), h, h + 32);
  sig = sign({CKM_RSA_PKCS, nullptr, 0}, priv, di);
  EXPECT_TRUE(ossl_verify(k, EVP_sha256(), data, sig));
  // OAEP round trip.
  CK_RSA_PKCS_OAEP_PARAMS oaep = {CKM_SHA256, CKG_MGF1_SHA256, CKZ_DATA_SPECIFIED, nullptr, 0};
  CK_MECHANISM om = {CKM_RSA_PKCS_OAEP, &oaep, sizeof(oaep)};
  Bytes msg = {'h', 'e', 'l', 'l', 'o'};
  auto ct = run(om, pub, msg, true);
  EXPECT_EQ(ct.size(), 256u);
  EXPECT_EQ(run(om, priv, ct, false), msg);
  EVP_PKEY_free(k);
}

TEST_F(Pkcs11, X4506_EcdsaAllCurves) {
  struct {
    const char* oid;
    size_t sig_len;
  } curves[] = {{"06082a8648ce3d030107", 64}, {"06052b81040022", 96}, {"06052b81040023", 132}};
  for (auto& c : curves) {
    Bytes params = hex(c.oid);
    CK_ATTRIBUTE pa[] = {{CKA_EC_PARAMS, params.data(), params.size()}};
    CK_OBJECT_HANDLE pub = 0;
    CK_OBJECT_HANDLE priv = 0;
    keypair(CKM_EC_KEY_PAIR_GEN, pa, 1, &pub, &priv);
    Bytes data(100, 0x33);
    for (CK_MECHANISM_TYPE mt : {CKM_ECDSA_SHA256, CKM_ECDSA_SHA384, CKM_ECDSA_SHA512}) {
      auto sig = sign({mt, nullptr, 0}, priv, data);
      EXPECT_EQ(sig.size(), c.sig_len);
      EXPECT_EQ(verify({mt, nullptr, 0}, pub, data, sig), CKR_OK) << c.oid << " " << mt;
      sig[3] ^= 0x10;
      EXPECT_EQ(verify({mt, nullptr, 0}, pub, data, sig), CKR_SIGNATURE_INVALID);
    }
    Bytes digest(32, 0x77);
    auto sig = sign({CKM_ECDSA, nullptr, 0}, priv, digest);
    EXPECT_EQ(verify({CKM_ECDSA, nullptr, 0}, pub, digest, sig), CKR_OK);
    EXPECT_FALSE(get_bytes(m(), s_, pub, CKA_EC_POINT).empty());
  }
}

TEST_F(Pkcs11, X4507_Ed25519) {
  Bytes params = hex("06032b6570");
  CK_ATTRIBUTE pa[] = {{CKA_EC_PARAMS, params.data(), params.size()}};
  CK_OBJECT_HANDLE pub = 0;
  CK_OBJECT_HANDLE priv = 0;
  keypair(CKM_EC_EDWARDS_KEY_PAIR_GEN, pa, 1, &pub, &priv);
  Bytes data(77, 0x21);
  auto sig = sign({CKM_EDDSA, nullptr, 0}, priv, data);
  ASSERT_EQ(sig.size(), 64u);
  EXPECT_EQ(verify({CKM_EDDSA, nullptr, 0}, pub, data, sig), CKR_OK);
  // OpenSSL agrees.
  Bytes point = get_bytes(m(), s_, pub, CKA_EC_POINT);
  ASSERT_EQ(point.size(), 34u);
  EVP_PKEY* k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, point.data() + 2, 32);
  ASSERT_NE(k, nullptr);
  EXPECT_TRUE(ossl_verify(k, nullptr, data, sig));
  EVP_PKEY_free(k);
}

TEST_F(Pkcs11, X4508_EcdhDeriveAgrees) {
  Bytes params = hex("06082a8648ce3d030107");
  CK_ATTRIBUTE pa[] = {{CKA_EC_PARAMS, params.data(), params.size()}};
  CK_OBJECT_HANDLE pub[2];
  CK_OBJECT_HANDLE priv[2];
  keypair(CKM_EC_KEY_PAIR_GEN, pa, 1, &pub[0], &priv[0], true);
  keypair(CKM_EC_KEY_PAIR_GEN, pa, 1, &pub[1], &priv[1], true);
  Bytes shared[2];
  for (int i = 0; i < 2; ++i) {
    Bytes peer = get_bytes(m(), s_, pub[1 - i], CKA_EC_POINT);
    CK_ECDH1_DERIVE_PARAMS p = {CKD_NULL, 0, nullptr, peer.size(), peer.data()};
    CK_MECHANISM mech = {CKM_ECDH1_DERIVE, &p, sizeof(p)};
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
    CK_BBOOL f = CK_FALSE;
    CK_BBOOL t = CK_TRUE;
    CK_ATTRIBUTE tmpl[] = {{CKA_CLASS, &cls, sizeof(cls)},
                           {CKA_KEY_TYPE, &kt, sizeof(kt)},
                           {CKA_SENSITIVE, &f, 1},
                           {CKA_EXTRACTABLE, &t, 1}};
    CK_OBJECT_HANDLE out = 0;
    ASSERT_EQ(m()->C_DeriveKey(s_, &mech, priv[i], tmpl, 4, &out), CKR_OK);
    shared[i] = get_bytes(m(), s_, out, CKA_VALUE);
  }
  EXPECT_EQ(shared[0].size(), 32u);
  EXPECT_EQ(shared[0], shared[1]);
}

TEST_F(Pkcs11, X4509_AesKeyWrapKnownAnswer) {
  // RFC 3394 4.1
  auto kek = secret(CKK_AES, hex("000102030405060708090a0b0c0d0e0f"));
  auto key = secret(CKK_AES, hex("00112233445566778899aabbccddeeff"));
  CK_MECHANISM kw = {CKM_AES_KEY_WRAP, nullptr, 0};
  CK_ULONG n = 0;
  ASSERT_EQ(m()->C_WrapKey(s_, &kw, kek, key, nullptr, &n), CKR_OK);
  Bytes wrapped(n);
  ASSERT_EQ(m()->C_WrapKey(s_, &kw, kek, key, wrapped.data(), &n), CKR_OK);
  EXPECT_EQ(wrapped, hex("1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5"));
  CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
  CK_KEY_TYPE kt = CKK_AES;
  CK_BBOOL f = CK_FALSE;
  CK_BBOOL t = CK_TRUE;
  CK_ATTRIBUTE tmpl[] = {{CKA_CLASS, &cls, sizeof(cls)},
                         {CKA_KEY_TYPE, &kt, sizeof(kt)},
                         {CKA_SENSITIVE, &f, 1},
                         {CKA_EXTRACTABLE, &t, 1}};
  CK_OBJECT_HANDLE back = 0;
  ASSERT_EQ(m()->C_UnwrapKey(s_, &kw, kek, wrapped.data(), wrapped.size(), tmpl, 4, &back), CKR_OK);
  EXPECT_EQ(get_bytes(m(), s_, back, CKA_VALUE), hex("00112233445566778899aabbccddeeff"));
  wrapped[3] ^= 1;
  size_t before = object_count();
  EXPECT_EQ(m()->C_UnwrapKey(s_, &kw, kek, wrapped.data(), wrapped.size(), tmpl, 4, &back),
            CKR_WRAPPED_KEY_INVALID);
  EXPECT_EQ(object_count(), before);
  // An unextractable key is not wrapped.
  auto locked = secret(CKK_AES, hex("00112233445566778899aabbccddeeff"), true, false);
  n = 64;
  Bytes out(64);
  EXPECT_EQ(m()->C_WrapKey(s_, &kw, kek, locked, out.data(), &n), CKR_KEY_UNEXTRACTABLE);
}

TEST_F(Pkcs11, X4510_RandomAndMechanismList) {
  Bytes r(64, 0);
  ASSERT_EQ(m()->C_GenerateRandom(s_, r.data(), r.size()), CKR_OK);
  EXPECT_NE(r, Bytes(64, 0));
  CK_ULONG n = 0;
  ASSERT_EQ(m()->C_GetMechanismList(0, nullptr, &n), CKR_OK);
  std::vector<CK_MECHANISM_TYPE> mechs(n);
  ASSERT_EQ(m()->C_GetMechanismList(0, mechs.data(), &n), CKR_OK);
  for (CK_MECHANISM_TYPE want :
       {CKM_RSA_PKCS, CKM_RSA_PKCS_PSS, CKM_RSA_PKCS_OAEP, CKM_ECDSA, CKM_EDDSA, CKM_ECDH1_DERIVE,
        CKM_AES_GCM, CKM_AES_KEY_WRAP, CKM_SHA512_HMAC, CKM_SHA256})
    EXPECT_NE(std::find(mechs.begin(), mechs.end(), want), mechs.end()) << want;
}

TEST_F(Pkcs11, X4511_MultiPartOperations) {
  CK_ULONG bits = 2048;
  CK_ATTRIBUTE pa[] = {{CKA_MODULUS_BITS, &bits, sizeof(bits)}};
  CK_OBJECT_HANDLE pub = 0;
  CK_OBJECT_HANDLE priv = 0;
  keypair(CKM_RSA_PKCS_KEY_PAIR_GEN, pa, 1, &pub, &priv);
  Bytes data(1000, 0x44);
  CK_MECHANISM mech = {CKM_SHA256_RSA_PKCS, nullptr, 0};
  // Sign in three parts; the one-shot signature over the same data matches
  // (PKCS#1 v1.5 is deterministic) and verifies in parts too.
  ASSERT_EQ(m()->C_SignInit(s_, &mech, priv), CKR_OK);
  ASSERT_EQ(m()->C_SignUpdate(s_, data.data(), 100), CKR_OK);
  ASSERT_EQ(m()->C_SignUpdate(s_, data.data() + 100, 400), CKR_OK);
  ASSERT_EQ(m()->C_SignUpdate(s_, data.data() + 500, 500), CKR_OK);
  CK_ULONG n = 0;
  ASSERT_EQ(m()->C_SignFinal(s_, nullptr, &n), CKR_OK);
  Bytes sig(n);
  ASSERT_EQ(m()->C_SignFinal(s_, sig.data(), &n), CKR_OK);
  EXPECT_EQ(sig, sign(mech, priv, data));
  ASSERT_EQ(m()->C_VerifyInit(s_, &mech, pub), CKR_OK);
  ASSERT_EQ(m()->C_VerifyUpdate(s_, data.data(), 999), CKR_OK);
  ASSERT_EQ(m()->C_VerifyUpdate(s_, data.data() + 999, 1), CKR_OK);
  EXPECT_EQ(m()->C_VerifyFinal(s_, sig.data(), sig.size()), CKR_OK);
  // A one-shot call after an update is refused and ends the operation.
  ASSERT_EQ(m()->C_SignInit(s_, &mech, priv), CKR_OK);
  ASSERT_EQ(m()->C_SignUpdate(s_, data.data(), 10), CKR_OK);
  n = sig.size();
  EXPECT_EQ(m()->C_Sign(s_, data.data(), 10, sig.data(), &n), CKR_OPERATION_ACTIVE);
  EXPECT_EQ(m()->C_SignFinal(s_, sig.data(), &n), CKR_OPERATION_NOT_INITIALIZED);
  // AES-CBC and GCM in parts equal the one-shot results.
  Bytes key(32, 0x07);
  auto k = secret(CKK_AES, key);
  Bytes iv(16, 0x01);
  CK_MECHANISM cbc = {CKM_AES_CBC, iv.data(), 16};
  Bytes pt(64 * 3);
  for (size_t i = 0; i < pt.size(); ++i) pt[i] = static_cast<uint8_t>(i * 3);
  Bytes want = run(cbc, k, pt, true);
  ASSERT_EQ(m()->C_EncryptInit(s_, &cbc, k), CKR_OK);
  Bytes got;
  for (size_t off = 0; off < pt.size(); off += 40) {
    CK_BYTE out[64];
    CK_ULONG on = sizeof(out);
    size_t len = std::min<size_t>(40, pt.size() - off);
    ASSERT_EQ(m()->C_EncryptUpdate(s_, pt.data() + off, len, out, &on), CKR_OK);
    got.insert(got.end(), out, out + on);
  }
  CK_BYTE fin[32];
  CK_ULONG fn = sizeof(fin);
  ASSERT_EQ(m()->C_EncryptFinal(s_, fin, &fn), CKR_OK);
  got.insert(got.end(), fin, fin + fn);
  EXPECT_EQ(got, want);
  CK_GCM_PARAMS g{};
  g.pIv = iv.data();
  g.ulIvLen = 12;
  g.ulIvBits = 96;
  g.ulTagBits = 96;
  CK_MECHANISM gcm = {CKM_AES_GCM, &g, sizeof(g)};
  want = run(gcm, k, pt, true);
  EXPECT_EQ(want.size(), pt.size() + 12);
  ASSERT_EQ(m()->C_DecryptInit(s_, &gcm, k), CKR_OK);
  got.clear();
  for (size_t off = 0; off < want.size(); off += 50) {
    CK_BYTE out[64];
    CK_ULONG on = sizeof(out);
    size_t len = std::min<size_t>(50, want.size() - off);
    ASSERT_EQ(m()->C_DecryptUpdate(s_, want.data() + off, len, out, &on), CKR_OK);
    got.insert(got.end(), out, out + on);
  }
  Bytes rest(want.size());
  CK_ULONG rn = rest.size();
  ASSERT_EQ(m()->C_DecryptFinal(s_, rest.data(), &rn), CKR_OK);
  got.insert(got.end(), rest.begin(), rest.begin() + static_cast<long>(rn));
  EXPECT_EQ(got, pt);
}

TEST_F(Pkcs11, X4512_ObjectManagement) {
  CK_OBJECT_CLASS cls = CKO_DATA;
  CK_BBOOL t = CK_TRUE;
  char label[] = "data-4512";
  CK_BYTE v[] = {9, 8, 7};
  CK_ATTRIBUTE a[] = {
      {CKA_CLASS, &cls, sizeof(cls)}, {CKA_TOKEN, &t, 1}, {CKA_LABEL, label, 9}, {CKA_VALUE, v, 3}};
  CK_OBJECT_HANDLE h = 0;
  ASSERT_EQ(m()->C_CreateObject(s_, a, 4, &h), CKR_OK);
  CK_ULONG size = 0;
  EXPECT_EQ(m()->C_GetObjectSize(s_, h, &size), CKR_OK);
  EXPECT_GT(size, 3u);
  EXPECT_EQ(get_bytes(m(), s_, h, CKA_VALUE), Bytes({9, 8, 7}));
  char relabel[] = "data-4512b";
  CK_ATTRIBUTE l = {CKA_LABEL, relabel, 10};
  ASSERT_EQ(m()->C_SetAttributeValue(s_, h, &l, 1), CKR_OK);
  EXPECT_EQ(get_bytes(m(), s_, h, CKA_LABEL), Bytes(relabel, relabel + 10));
  CK_BBOOL f = CK_FALSE;
  CK_ATTRIBUTE session = {CKA_TOKEN, &f, 1};
  CK_OBJECT_HANDLE copy = 0;
  ASSERT_EQ(m()->C_CopyObject(s_, h, &session, 1, &copy), CKR_OK);
  EXPECT_EQ(get_bytes(m(), s_, copy, CKA_VALUE), Bytes({9, 8, 7}));
  CK_ATTRIBUTE q = {CKA_LABEL, relabel, 10};
  EXPECT_EQ(find_all(m(), s_, &q, 1).size(), 2u);
  ASSERT_EQ(m()->C_DestroyObject(s_, h), CKR_OK);
  ASSERT_EQ(m()->C_DestroyObject(s_, copy), CKR_OK);
  EXPECT_EQ(find_all(m(), s_, &q, 1).size(), 0u);
  EXPECT_EQ(m()->C_DestroyObject(s_, h), CKR_OBJECT_HANDLE_INVALID);
  // A read-only session cannot create token objects.
  CK_SESSION_HANDLE ro = 0;
  ASSERT_EQ(m()->C_OpenSession(0, CKF_SERIAL_SESSION, nullptr, nullptr, &ro), CKR_OK);
  EXPECT_EQ(m()->C_CreateObject(ro, a, 4, &h), CKR_SESSION_READ_ONLY);
  ASSERT_EQ(m()->C_CloseSession(ro), CKR_OK);
  // The user changes the PIN and back.
  const char other[] = "other-4500";
  ASSERT_EQ(m()->C_SetPIN(s_, pin(kUserPin), std::strlen(kUserPin), pin(other), std::strlen(other)), CKR_OK);
  EXPECT_EQ(m()->C_SetPIN(s_, pin(kUserPin), std::strlen(kUserPin), pin(other), std::strlen(other)),
            CKR_PIN_INCORRECT);
  ASSERT_EQ(m()->C_SetPIN(s_, pin(other), std::strlen(other), pin(kUserPin), std::strlen(kUserPin)), CKR_OK);
  // Digesting a non-sensitive key equals digesting its value.
  Bytes kv(16, 0x3c);
  auto k = secret(CKK_AES, kv);
  CK_MECHANISM sha = {CKM_SHA256, nullptr, 0};
  ASSERT_EQ(m()->C_DigestInit(s_, &sha), CKR_OK);
  ASSERT_EQ(m()->C_DigestKey(s_, k), CKR_OK);
  CK_BYTE d1[32];
  CK_ULONG dn = 32;
  ASSERT_EQ(m()->C_DigestFinal(s_, d1, &dn), CKR_OK);
  unsigned char d2[32];
  EVP_Digest(kv.data(), kv.size(), d2, nullptr, EVP_sha256(), nullptr);
  EXPECT_EQ(Bytes(d1, d1 + 32), Bytes(d2, d2 + 32));
  auto hidden = secret(CKK_AES, kv, true, false);
  ASSERT_EQ(m()->C_DigestInit(s_, &sha), CKR_OK);
  EXPECT_EQ(m()->C_DigestKey(s_, hidden), CKR_KEY_INDIGESTIBLE);
  dn = 32;
  EXPECT_EQ(m()->C_DigestFinal(s_, d1, &dn), CKR_OPERATION_NOT_INITIALIZED);
  CK_BYTE seed[8] = {};
  EXPECT_EQ(m()->C_SeedRandom(s_, seed, sizeof(seed)), CKR_OK);
}

TEST_F(Pkcs11, X4520_SensitiveValuesNeverLeave) {
  CK_MECHANISM gen = {CKM_AES_KEY_GEN, nullptr, 0};
  CK_ULONG len = 32;
  CK_BBOOL t = CK_TRUE;
  CK_ATTRIBUTE tmpl[] = {{CKA_VALUE_LEN, &len, sizeof(len)}, {CKA_ENCRYPT, &t, 1}};
  CK_OBJECT_HANDLE k = 0;
  ASSERT_EQ(m()->C_GenerateKey(s_, &gen, tmpl, 2, &k), CKR_OK);
  CK_BYTE buf[64];
  CK_ATTRIBUTE a = {CKA_VALUE, buf, sizeof(buf)};
  EXPECT_EQ(m()->C_GetAttributeValue(s_, k, &a, 1), CKR_ATTRIBUTE_SENSITIVE);
  EXPECT_EQ(a.ulValueLen, CK_UNAVAILABLE_INFORMATION);
  CK_BBOOL f = CK_FALSE;
  CK_ATTRIBUTE unsens = {CKA_SENSITIVE, &f, 1};
  EXPECT_EQ(m()->C_SetAttributeValue(s_, k, &unsens, 1), CKR_ATTRIBUTE_READ_ONLY);
  CK_ATTRIBUTE ext = {CKA_EXTRACTABLE, &t, 1};
  EXPECT_EQ(m()->C_SetAttributeValue(s_, k, &ext, 1), CKR_ATTRIBUTE_READ_ONLY);
  CK_OBJECT_HANDLE copy = 0;
  EXPECT_EQ(m()->C_CopyObject(s_, k, &unsens, 1, &copy), CKR_ATTRIBUTE_READ_ONLY);
  // A template that claims a sensitive history, or asks for the value
  // with a generated key, creates nothing.
  size_t before = object_count();
  CK_ATTRIBUTE claim[] = {{CKA_VALUE_LEN, &len, sizeof(len)}, {CKA_ALWAYS_SENSITIVE, &f, 1}};
  EXPECT_EQ(m()->C_GenerateKey(s_, &gen, claim, 2, &k), CKR_ATTRIBUTE_READ_ONLY);
  CK_ATTRIBUTE withval[] = {{CKA_VALUE_LEN, &len, sizeof(len)}, {CKA_VALUE, buf, 32}};
  EXPECT_EQ(m()->C_GenerateKey(s_, &gen, withval, 2, &k), CKR_TEMPLATE_INCONSISTENT);
  // A key pair whose private half cannot be made leaves no public half.
  CK_MECHANISM kp = {CKM_EC_KEY_PAIR_GEN, nullptr, 0};
  Bytes params = hex("06082a8648ce3d030107");
  CK_ATTRIBUTE pub[] = {{CKA_EC_PARAMS, params.data(), params.size()}};
  CK_ATTRIBUTE priv[] = {{CKA_LOCAL, &t, 1}};
  CK_OBJECT_HANDLE ph = 0;
  CK_OBJECT_HANDLE vh = 0;
  EXPECT_EQ(m()->C_GenerateKeyPair(s_, &kp, pub, 1, priv, 1, &ph, &vh), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_EQ(object_count(), before);
}

TEST_F(Pkcs11, X4521_PrivateObjectsNeedLogin) {
  CK_OBJECT_CLASS cls = CKO_DATA;
  CK_BBOOL t = CK_TRUE;
  CK_BYTE v[] = {1, 2, 3};
  CK_ATTRIBUTE a[] = {{CKA_CLASS, &cls, sizeof(cls)}, {CKA_PRIVATE, &t, 1}, {CKA_VALUE, v, 3}};
  CK_OBJECT_HANDLE h = 0;
  ASSERT_EQ(m()->C_CreateObject(s_, a, 3, &h), CKR_OK);
  ASSERT_EQ(m()->C_Logout(s_), CKR_OK);
  EXPECT_EQ(get_bytes(m(), s_, h, CKA_VALUE).size(), 0u);
  EXPECT_EQ(m()->C_CreateObject(s_, a, 3, &h), CKR_USER_NOT_LOGGED_IN);
  ASSERT_EQ(m()->C_Login(s_, CKU_USER, pin(kUserPin), std::strlen(kUserPin)), CKR_OK);
}

// Runs this binary again as another process that presents `handle`.
int probe_other_process(CK_SESSION_HANDLE handle) {
  std::string self = "/proc/self/exe";
  std::string arg = std::to_string(handle);
  char* argv[] = {self.data(), const_cast<char*>("--probe-session"), arg.data(), nullptr};
  pid_t pid = 0;
  if (posix_spawn(&pid, self.c_str(), nullptr, nullptr, argv, environ) != 0) return -1;
  int st = 0;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST_F(Pkcs11, X4522_SessionHandleOfAnotherProcess) {
  EXPECT_EQ(probe_other_process(s_), 0);
  // Ours still works.
  CK_SESSION_INFO si;
  EXPECT_EQ(m()->C_GetSessionInfo(s_, &si), CKR_OK);
  EXPECT_EQ(si.state, static_cast<CK_ULONG>(CKS_RW_USER_FUNCTIONS));
}

TEST_F(Pkcs11, X4523_ThreadsSignConcurrently) {
  Bytes params = hex("06082a8648ce3d030107");
  CK_ATTRIBUTE pa[] = {{CKA_EC_PARAMS, params.data(), params.size()}};
  CK_OBJECT_HANDLE pub = 0;
  CK_OBJECT_HANDLE priv = 0;
  keypair(CKM_EC_KEY_PAIR_GEN, pa, 1, &pub, &priv);
  std::vector<std::thread> ts;
  std::vector<int> ok(8, 0);
  for (int i = 0; i < 8; ++i) {
    ts.emplace_back([&, i] {
      CK_SESSION_HANDLE s = 0;
      if (m()->C_OpenSession(0, CKF_SERIAL_SESSION, nullptr, nullptr, &s) != CKR_OK) return;
      Bytes data(64, static_cast<uint8_t>(i));
      for (int n = 0; n < 20; ++n) {
        CK_MECHANISM mech = {CKM_ECDSA_SHA256, nullptr, 0};
        CK_BYTE sig[64];
        CK_ULONG len = sizeof(sig);
        if (m()->C_SignInit(s, &mech, priv) != CKR_OK ||
            m()->C_Sign(s, data.data(), data.size(), sig, &len) != CKR_OK ||
            m()->C_VerifyInit(s, &mech, pub) != CKR_OK ||
            m()->C_Verify(s, data.data(), data.size(), sig, len) != CKR_OK)
          return;
      }
      m()->C_CloseSession(s);
      ok[static_cast<size_t>(i)] = 1;
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(ok, std::vector<int>(8, 1));
}

// Last: the lockout leaves the user PIN locked until the SO resets it.
TEST_F(Pkcs11, X4530_WrongPinsLockTheToken) {
  ASSERT_EQ(m()->C_Logout(s_), CKR_OK);
  for (int i = 1; i <= 5; ++i) {
    CK_RV rv = m()->C_Login(s_, CKU_USER, pin("wrong-pin"), 9);
    EXPECT_EQ(rv, i < 5 ? CKR_PIN_INCORRECT : CKR_PIN_LOCKED) << i;
    CK_TOKEN_INFO ti;
    ASSERT_EQ(m()->C_GetTokenInfo(0, &ti), CKR_OK);
    EXPECT_TRUE(ti.flags & CKF_USER_PIN_COUNT_LOW);
    if (i == 4) EXPECT_TRUE(ti.flags & CKF_USER_PIN_FINAL_TRY);
  }
  EXPECT_EQ(m()->C_Login(s_, CKU_USER, pin(kUserPin), std::strlen(kUserPin)), CKR_PIN_LOCKED);
  CK_TOKEN_INFO ti;
  ASSERT_EQ(m()->C_GetTokenInfo(0, &ti), CKR_OK);
  EXPECT_TRUE(ti.flags & CKF_USER_PIN_LOCKED);
  // The SO resets the PIN; the user can log in again.
  ASSERT_EQ(m()->C_Login(s_, CKU_SO, pin(kSoPin), std::strlen(kSoPin)), CKR_OK);
  ASSERT_EQ(m()->C_InitPIN(s_, pin(kUserPin), std::strlen(kUserPin)), CKR_OK);
  ASSERT_EQ(m()->C_Logout(s_), CKR_OK);
  EXPECT_EQ(m()->C_Login(s_, CKU_USER, pin(kUserPin), std::strlen(kUserPin)), CKR_OK);
  EXPECT_EQ(m()->C_Login(s_, CKU_USER, pin(kUserPin), std::strlen(kUserPin)), CKR_USER_ALREADY_LOGGED_IN);
}

}  // namespace
}  // namespace swtee::p11test

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--probe-session") == 0) {
    // Another process: the handle must mean nothing here.
    swtee::p11test::Module mod(SWTEE_PKCS11_MODULE);
    if (swtee::p11test::init_threaded(mod) != CKR_OK) return 2;
    CK_SESSION_HANDLE h = std::strtoul(argv[2], nullptr, 10);
    CK_SESSION_INFO si;
    int bad = 0;
    if (mod->C_GetSessionInfo(h, &si) != CKR_SESSION_HANDLE_INVALID) bad |= 4;
    CK_MECHANISM mech = {CKM_SHA256, nullptr, 0};
    if (mod->C_DigestInit(h, &mech) != CKR_SESSION_HANDLE_INVALID) bad |= 8;
    if (mod->C_CloseSession(h) != CKR_SESSION_HANDLE_INVALID) bad |= 16;
    mod->C_Finalize(nullptr);
    return bad;
  }
  if (argc == 5 && std::strcmp(argv[1], "--import-known-keys") == 0)
    return swtee::p11test::import_known_keys(argv[2], argv[3], argv[4]);
  if (argc >= 5 && std::strcmp(argv[1], "--keys-stay") == 0)
    return swtee::p11test::keys_stay(argv[2], std::vector<std::string>(argv + 5, argv + argc), argv[3],
                                     argv[4]);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
