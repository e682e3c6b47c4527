// Ciphers: FIPS-197 / SP 800-38A / RFC 3962 / IEEE 1619 / GB/T 32907 known
// answers, OpenSSL one-shot cross-checks, random splits, SHORT_BUFFER.
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "ta_runtime/crypto/tests/test_util.h"

namespace swtee::ta::crypto::testing {
namespace {

Bytes one_shot(uint32_t alg, uint32_t mode, uint32_t type, const Bytes& key, const Bytes& iv,
               const Bytes& in) {
  TEE_OperationHandle op = make_op(alg, mode, type, key);
  Bytes out = cipher_run(op, iv, in, {});
  TEE_FreeOperation(op);
  return out;
}

Bytes xts_one_shot(uint32_t mode, const Bytes& k1, const Bytes& k2, const Bytes& iv, const Bytes& in,
                   const std::vector<size_t>& cuts = {}) {
  TEE_OperationHandle op = TEE_HANDLE_NULL;
  EXPECT_EQ(TEE_AllocateOperation(&op, TEE_ALG_AES_XTS, mode, static_cast<uint32_t>(k1.size() * 8)),
            TEE_SUCCESS);
  TEE_ObjectHandle a = make_key(TEE_TYPE_AES, k1), b = make_key(TEE_TYPE_AES, k2);
  EXPECT_EQ(TEE_SetOperationKey2(op, a, b), TEE_SUCCESS);
  TEE_FreeTransientObject(a);
  TEE_FreeTransientObject(b);
  Bytes out = cipher_run(op, iv, in, cuts);
  TEE_FreeOperation(op);
  return out;
}

// OpenSSL one-shot reference (optionally with a CTS mode).
Bytes ossl(const char* name, int enc, const Bytes& key, const Bytes& iv, const Bytes& in,
           const char* cts = nullptr) {
  EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, name, nullptr);
  EXPECT_NE(c, nullptr) << name;
  if (c == nullptr) return {};
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  OSSL_PARAM params[2] = {OSSL_PARAM_construct_end(), OSSL_PARAM_construct_end()};
  if (cts != nullptr)
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_CIPHER_PARAM_CTS_MODE, const_cast<char*>(cts), 0);
  EXPECT_EQ(EVP_CipherInit_ex2(ctx, c, key.data(), iv.empty() ? nullptr : iv.data(), enc, params), 1);
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  Bytes out(in.size() + 32);
  int w = 0, f = 0;
  EXPECT_EQ(EVP_CipherUpdate(ctx, out.data(), &w, in.data(), static_cast<int>(in.size())), 1);
  EXPECT_EQ(EVP_CipherFinal_ex(ctx, out.data() + w, &f), 1);
  out.resize(static_cast<size_t>(w + f));
  EVP_CIPHER_CTX_free(ctx);
  EVP_CIPHER_free(c);
  return out;
}

TEST(Cipher, AesKnownAnswers) {
  EXPECT_EQ(
      to_hex(one_shot(TEE_ALG_AES_ECB_NOPAD, TEE_MODE_ENCRYPT, TEE_TYPE_AES,
                      hex("000102030405060708090a0b0c0d0e0f"), {}, hex("00112233445566778899aabbccddeeff"))),
      "69c4e0d86a7b0430d8cdb78070b4c55a");
  const Bytes key = hex("2b7e151628aed2a6abf7158809cf4f3c");
  const Bytes p1 = hex("6bc1bee22e409f96e93d7e117393172a");
  EXPECT_EQ(to_hex(one_shot(TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, TEE_TYPE_AES, key,
                            hex("000102030405060708090a0b0c0d0e0f"), p1)),
            "7649abac8119b246cee98e9b12e9197d");
  EXPECT_EQ(to_hex(one_shot(TEE_ALG_AES_CTR, TEE_MODE_ENCRYPT, TEE_TYPE_AES, key,
                            hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"), p1)),
            "874d6191b620e3261bef6864990db6ce");
}

TEST(Cipher, DesSm4KnownAnswers) {
  EXPECT_EQ(to_hex(one_shot(TEE_ALG_DES_ECB_NOPAD, TEE_MODE_ENCRYPT, TEE_TYPE_DES, hex("133457799bbcdff1"),
                            {}, hex("0123456789abcdef"))),
            "85e813540f0ab405");
  const Bytes k = hex("0123456789abcdeffedcba9876543210");
  EXPECT_EQ(to_hex(one_shot(TEE_ALG_SM4_ECB_NOPAD, TEE_MODE_ENCRYPT, TEE_TYPE_SM4, k, {}, k)),
            "681edf34d206965e86b3e94f536e4246");
}

// OP-TEE (CFG_COMPAT_GP10_DES) also takes the GP 1.0 sizes without parity
// bits: DES 56, 3DES 112/168. Known answer: FIPS 46 worked example; 3DES
// with equal keys is single DES.
TEST(Cipher, DesSizesWithoutParityBits) {
  const Bytes k = hex("133457799bbcdff1");
  struct Case {
    uint32_t alg, type, bits;
    Bytes key;
  };
  Bytes k2 = k, k3 = k;
  k2.insert(k2.end(), k.begin(), k.end());
  k3.insert(k3.end(), k2.begin(), k2.end());
  for (const Case& c : {Case{TEE_ALG_DES_ECB_NOPAD, TEE_TYPE_DES, 56, k},
                        Case{TEE_ALG_DES3_ECB_NOPAD, TEE_TYPE_DES3, 112, k2},
                        Case{TEE_ALG_DES3_ECB_NOPAD, TEE_TYPE_DES3, 168, k3}}) {
    TEE_ObjectHandle key = TEE_HANDLE_NULL;
    ASSERT_EQ(TEE_AllocateTransientObject(c.type, c.bits, &key), TEE_SUCCESS) << c.bits;
    TEE_Attribute a;
    TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, c.key.data(), c.key.size());
    ASSERT_EQ(TEE_PopulateTransientObject(key, &a, 1), TEE_SUCCESS) << c.bits;
    TEE_OperationHandle op = TEE_HANDLE_NULL;
    ASSERT_EQ(TEE_AllocateOperation(&op, c.alg, TEE_MODE_ENCRYPT, c.bits), TEE_SUCCESS) << c.bits;
    ASSERT_EQ(TEE_SetOperationKey(op, key), TEE_SUCCESS);
    EXPECT_EQ(to_hex(cipher_run(op, {}, hex("0123456789abcdef"), {})), "85e813540f0ab405") << c.bits;
    TEE_FreeOperation(op);
    TEE_FreeTransientObject(key);
  }
  // Generation at 56 bits makes an 8-byte key (parity included).
  TEE_ObjectHandle g = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateTransientObject(TEE_TYPE_DES, 56, &g), TEE_SUCCESS);
  ASSERT_EQ(TEE_GenerateKey(g, 56, nullptr, 0), TEE_SUCCESS);
  uint8_t buf[16];
  size_t n = sizeof(buf);
  ASSERT_EQ(TEE_GetObjectBufferAttribute(g, TEE_ATTR_SECRET_VALUE, buf, &n), TEE_SUCCESS);
  EXPECT_EQ(n, 8u);
  TEE_FreeTransientObject(g);
}

TEST(Cipher, CtsRfc3962) {
  const Bytes key = hex("636869636b656e207465726979616b69");
  const Bytes iv(16, 0);
  const Bytes in = hex("4920776f756c64206c696b652074686520");
  EXPECT_EQ(to_hex(one_shot(TEE_ALG_AES_CTS, TEE_MODE_ENCRYPT, TEE_TYPE_AES, key, iv, in)),
            "c6353568f2bf8cb4d8a580362da7ff7f97");
}

TEST(Cipher, XtsIeee1619Vector1EqualKeys) {
  const Bytes zero(16, 0);
  EXPECT_EQ(to_hex(xts_one_shot(TEE_MODE_ENCRYPT, zero, zero, zero, Bytes(32, 0))),
            "917cf69ebd68b2ec9b9fe9a3eadda692cd43d2f59598ed858c02c2652fbf922e");
}

TEST(Cipher, CtsAndXtsMatchOpenSslOneShotForAnySplit) {
  std::mt19937 rng(11);
  for (int round = 0; round < 60; ++round) {
    const size_t klen = (round % 2) != 0 ? 32 : 16;
    const Bytes key = random_bytes(klen, rng), key2 = random_bytes(klen, rng), iv = random_bytes(16, rng);
    const Bytes pt = random_bytes(16 + rng() % 200, rng);
    const char* cts_name = klen == 16 ? "AES-128-CBC-CTS" : "AES-256-CBC-CTS";
    const Bytes ct = ossl(cts_name, 1, key, iv, pt, "CS3");
    TEE_OperationHandle e = make_op(TEE_ALG_AES_CTS, TEE_MODE_ENCRYPT, TEE_TYPE_AES, key);
    TEE_OperationHandle d = make_op(TEE_ALG_AES_CTS, TEE_MODE_DECRYPT, TEE_TYPE_AES, key);
    EXPECT_EQ(cipher_run(e, iv, pt, random_split(pt.size(), rng)), ct) << pt.size();
    EXPECT_EQ(cipher_run(d, iv, ct, random_split(ct.size(), rng)), pt) << pt.size();
    TEE_FreeOperation(e);
    TEE_FreeOperation(d);

    const Bytes xkey = [&] {
      Bytes b = key;
      b.insert(b.end(), key2.begin(), key2.end());
      return b;
    }();
    const Bytes xct = ossl(klen == 16 ? "AES-128-XTS" : "AES-256-XTS", 1, xkey, iv, pt);
    EXPECT_EQ(xts_one_shot(TEE_MODE_ENCRYPT, key, key2, iv, pt, random_split(pt.size(), rng)), xct)
        << pt.size();
    EXPECT_EQ(xts_one_shot(TEE_MODE_DECRYPT, key, key2, iv, xct, random_split(pt.size(), rng)), pt)
        << pt.size();
  }
}

TEST(Cipher, BlockModesMatchOpenSslForAnySplit) {
  struct Case {
    uint32_t alg, type;
    size_t key_len, iv_len, unit;
    const char* name;
  };
  const Case cases[] = {
      {TEE_ALG_AES_ECB_NOPAD, TEE_TYPE_AES, 24, 0, 16, "AES-192-ECB"},
      {TEE_ALG_AES_CBC_NOPAD, TEE_TYPE_AES, 32, 16, 16, "AES-256-CBC"},
      {TEE_ALG_AES_CTR, TEE_TYPE_AES, 16, 16, 1, "AES-128-CTR"},
      {TEE_ALG_DES_ECB_NOPAD, TEE_TYPE_DES, 8, 0, 8, "DES-ECB"},
      {TEE_ALG_DES_CBC_NOPAD, TEE_TYPE_DES, 8, 8, 8, "DES-CBC"},
      {TEE_ALG_DES3_ECB_NOPAD, TEE_TYPE_DES3, 16, 0, 8, "DES-EDE-ECB"},
      {TEE_ALG_DES3_CBC_NOPAD, TEE_TYPE_DES3, 24, 8, 8, "DES-EDE3-CBC"},
      {TEE_ALG_SM4_CBC_NOPAD, TEE_TYPE_SM4, 16, 16, 16, "SM4-CBC"},
      {TEE_ALG_SM4_CTR, TEE_TYPE_SM4, 16, 16, 1, "SM4-CTR"},
  };
  std::mt19937 rng(13);
  for (const auto& c : cases) {
    const Bytes key = random_bytes(c.key_len, rng), iv = random_bytes(c.iv_len, rng);
    TEE_OperationHandle e = make_op(c.alg, TEE_MODE_ENCRYPT, c.type, key);
    TEE_OperationHandle d = make_op(c.alg, TEE_MODE_DECRYPT, c.type, key);
    for (int round = 0; round < 8; ++round) {
      const Bytes pt = random_bytes((rng() % 40) * c.unit + (c.unit == 1 ? rng() % 16 : 0), rng);
      const Bytes ct = ossl(c.name, 1, key, iv, pt);
      EXPECT_EQ(cipher_run(e, iv, pt, random_split(pt.size(), rng)), ct) << c.name;
      EXPECT_EQ(cipher_run(d, iv, ct, random_split(ct.size(), rng)), pt) << c.name;
    }
    TEE_FreeOperation(e);
    TEE_FreeOperation(d);
  }
}

TEST(Cipher, Sm4Pkcs5RoundTrip) {
  std::mt19937 rng(17);
  const Bytes key = random_bytes(16, rng), iv = random_bytes(16, rng);
  for (uint32_t alg : {TEE_ALG_SM4_ECB_PKCS5, TEE_ALG_SM4_CBC_PKCS5}) {
    TEE_OperationHandle e = make_op(alg, TEE_MODE_ENCRYPT, TEE_TYPE_SM4, key);
    TEE_OperationHandle d = make_op(alg, TEE_MODE_DECRYPT, TEE_TYPE_SM4, key);
    const Bytes use_iv = alg == TEE_ALG_SM4_CBC_PKCS5 ? iv : Bytes{};
    for (size_t len : {0u, 1u, 15u, 16u, 17u, 64u, 100u}) {
      const Bytes pt = random_bytes(len, rng);
      const Bytes ct = cipher_run(e, use_iv, pt, random_split(len, rng));
      EXPECT_EQ(ct.size(), (len / 16 + 1) * 16);
      EXPECT_EQ(cipher_run(d, use_iv, ct, random_split(ct.size(), rng)), pt) << len;
    }
    TEE_FreeOperation(e);
    TEE_FreeOperation(d);
  }
}

TEST(Cipher, Sm4XtsRoundTripsForAnySplit) {
  std::mt19937 rng(19);
  const Bytes k1 = random_bytes(16, rng), k2 = random_bytes(16, rng), iv = random_bytes(16, rng);
  auto run = [&](uint32_t mode, const Bytes& in) {
    TEE_OperationHandle op = TEE_HANDLE_NULL;
    EXPECT_EQ(TEE_AllocateOperation(&op, TEE_ALG_SM4_XTS, mode, 128), TEE_SUCCESS);
    TEE_ObjectHandle a = make_key(TEE_TYPE_SM4, k1), b = make_key(TEE_TYPE_SM4, k2);
    EXPECT_EQ(TEE_SetOperationKey2(op, a, b), TEE_SUCCESS);
    TEE_FreeTransientObject(a);
    TEE_FreeTransientObject(b);
    Bytes out = cipher_run(op, iv, in, random_split(in.size(), rng));
    TEE_FreeOperation(op);
    return out;
  };
  for (size_t len : {16u, 17u, 31u, 32u, 33u, 100u, 512u}) {
    const Bytes pt = random_bytes(len, rng);
    const Bytes ct = run(TEE_MODE_ENCRYPT, pt);
    ASSERT_EQ(ct.size(), len);
    EXPECT_NE(ct, pt);
    EXPECT_EQ(run(TEE_MODE_DECRYPT, ct), pt) << len;
  }
}

TEST(Cipher, CtsShortBufferKeepsHoldBack) {
  std::mt19937 rng(21);
  const Bytes key = random_bytes(16, rng), iv = random_bytes(16, rng), pt = random_bytes(50, rng);
  const Bytes ref = one_shot(TEE_ALG_AES_CTS, TEE_MODE_ENCRYPT, TEE_TYPE_AES, key, iv, pt);
  TEE_OperationHandle op = make_op(TEE_ALG_AES_CTS, TEE_MODE_ENCRYPT, TEE_TYPE_AES, key);
  TEE_CipherInit(op, iv.data(), iv.size());
  Bytes out(64);
  size_t n = 0;
  ASSERT_EQ(TEE_CipherUpdate(op, pt.data(), 40, out.data(), &n), TEE_ERROR_SHORT_BUFFER);
  EXPECT_EQ(n, 16u);  // 40 bytes in: one block out, 24 held back
  n = out.size();
  ASSERT_EQ(TEE_CipherUpdate(op, pt.data(), 40, out.data(), &n), TEE_SUCCESS);
  size_t m = 1;
  ASSERT_EQ(TEE_CipherDoFinal(op, pt.data() + 40, 10, out.data() + n, &m), TEE_ERROR_SHORT_BUFFER);
  EXPECT_EQ(m, 34u);
  m = out.size() - n;
  ASSERT_EQ(TEE_CipherDoFinal(op, pt.data() + 40, 10, out.data() + n, &m), TEE_SUCCESS);
  out.resize(n + m);
  EXPECT_EQ(out, ref);
  TEE_FreeOperation(op);
}

TEST(Cipher, ShortBufferAndBadLength) {
  const Bytes key(16, 9), iv(16, 1);
  TEE_OperationHandle op = make_op(TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, TEE_TYPE_AES, key);
  TEE_CipherInit(op, iv.data(), iv.size());
  const Bytes pt(48, 5);
  uint8_t out[64];
  size_t n = 10;
  ASSERT_EQ(TEE_CipherUpdate(op, pt.data(), 20, out, &n), TEE_ERROR_SHORT_BUFFER);
  EXPECT_EQ(n, 16u);
  n = sizeof(out);
  ASSERT_EQ(TEE_CipherUpdate(op, pt.data(), 20, out, &n), TEE_SUCCESS);
  EXPECT_EQ(n, 16u);
  size_t m = 8;
  ASSERT_EQ(TEE_CipherDoFinal(op, pt.data() + 20, 28, out + n, &m), TEE_ERROR_SHORT_BUFFER);
  EXPECT_EQ(m, 32u);
  m = sizeof(out) - n;
  ASSERT_EQ(TEE_CipherDoFinal(op, pt.data() + 20, 28, out + n, &m), TEE_SUCCESS);
  EXPECT_EQ(Bytes(out, out + n + m), ossl("AES-128-CBC", 1, key, iv, pt));
  TEE_CipherInit(op, iv.data(), iv.size());
  m = sizeof(out);
  // NOPAD input that is not whole blocks: libutee's TEE_CipherDoFinal panics.
  EXPECT_EXIT((void)TEE_CipherDoFinal(op, pt.data(), 15, out, &m), kPanicked, "TEE_Panic");
  TEE_FreeOperation(op);
}

// As libutee: an ECB NOPAD DoFinal over a partial block panics, and so does
// an IV given to an ECB algorithm; an empty IV (NULL or length 0) is fine.
TEST(Cipher, EcbNopadPartialBlockAndIvPanic) {
  const Bytes key(16, 7), iv(16, 1), in(32, 2);
  for (uint32_t alg : {TEE_ALG_AES_ECB_NOPAD, TEE_ALG_AES_CBC_NOPAD}) {
    TEE_OperationHandle op = make_op(alg, TEE_MODE_ENCRYPT, TEE_TYPE_AES, key);
    const bool ecb = alg == TEE_ALG_AES_ECB_NOPAD;
    TEE_CipherInit(op, ecb ? nullptr : iv.data(), ecb ? 0 : iv.size());
    uint8_t out[64];
    size_t n = 5;
    ASSERT_EQ(TEE_CipherUpdate(op, in.data(), 7, out, &n), TEE_SUCCESS);
    EXPECT_EQ(n, 0u);
    n = sizeof(out);
    EXPECT_EXIT((void)TEE_CipherDoFinal(op, in.data(), 8, out, &n), kPanicked, "TEE_Panic");
    n = sizeof(out);
    ASSERT_EQ(TEE_CipherDoFinal(op, in.data(), 9, out, &n), TEE_SUCCESS);
    EXPECT_EQ(n, 16u);
    TEE_FreeOperation(op);
  }
  TEE_OperationHandle op = make_op(TEE_ALG_AES_ECB_NOPAD, TEE_MODE_ENCRYPT, TEE_TYPE_AES, key);
  TEE_CipherInit(op, iv.data(), 0);
  EXPECT_EXIT(TEE_CipherInit(op, iv.data(), iv.size()), kPanicked, "TEE_Panic");
  TEE_FreeOperation(op);
}

}  // namespace
}  // namespace swtee::ta::crypto::testing
