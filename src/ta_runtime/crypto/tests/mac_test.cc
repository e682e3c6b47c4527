// MACs: RFC 4231 / RFC 4493 / FIPS 113 known answers, random splits, compare
// (constant time, rejects wrong and truncated tags), SHORT_BUFFER.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "ta_runtime/crypto/tests/test_util.h"

namespace swtee::ta::crypto::testing {
namespace {

Bytes mac_split(TEE_OperationHandle op, const Bytes& msg, const std::vector<size_t>& cuts,
                const Bytes& iv = {}) {
  TEE_MACInit(op, iv.empty() ? nullptr : iv.data(), iv.size());
  size_t pos = 0;
  for (size_t c : cuts) {
    TEE_MACUpdate(op, msg.data() + pos, c - pos);
    pos = c;
  }
  Bytes out(64);
  size_t n = out.size();
  EXPECT_EQ(TEE_MACComputeFinal(op, msg.data() + pos, msg.size() - pos, out.data(), &n), TEE_SUCCESS);
  out.resize(n);
  return out;
}

TEST(Mac, HmacSha256Rfc4231Case4) {
  const Bytes key = hex("0102030405060708090a0b0c0d0e0f10111213141516171819");
  TEE_OperationHandle op = make_op(TEE_ALG_HMAC_SHA256, TEE_MODE_MAC, TEE_TYPE_HMAC_SHA256, key);
  EXPECT_EQ(to_hex(mac_split(op, Bytes(50, 0xcd), {})),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  TEE_FreeOperation(op);
}

TEST(Mac, AesCmacRfc4493) {
  const Bytes key = hex("2b7e151628aed2a6abf7158809cf4f3c");
  TEE_OperationHandle op = make_op(TEE_ALG_AES_CMAC, TEE_MODE_MAC, TEE_TYPE_AES, key);
  EXPECT_EQ(to_hex(mac_split(op, {}, {})), "bb1d6929e95937287fa37d129b756746");
  EXPECT_EQ(to_hex(mac_split(op, hex("6bc1bee22e409f96e93d7e117393172a"), {5})),
            "070a16b46b4d4144f79bdd9dd04a287c");
  TEE_FreeOperation(op);
}

TEST(Mac, HmacAllHashesMatchOpenSsl) {
  struct Case {
    uint32_t alg, type;
    const char* md;
    size_t key_len;
  };
  const Case cases[] = {
      {TEE_ALG_HMAC_MD5, TEE_TYPE_HMAC_MD5, "MD5", 16},
      {TEE_ALG_HMAC_SHA1, TEE_TYPE_HMAC_SHA1, "SHA1", 20},
      {TEE_ALG_HMAC_SHA224, TEE_TYPE_HMAC_SHA224, "SHA224", 28},
      {TEE_ALG_HMAC_SHA256, TEE_TYPE_HMAC_SHA256, "SHA256", 32},
      {TEE_ALG_HMAC_SHA384, TEE_TYPE_HMAC_SHA384, "SHA384", 100},
      {TEE_ALG_HMAC_SHA512, TEE_TYPE_HMAC_SHA512, "SHA512", 128},
      {TEE_ALG_HMAC_SM3, TEE_TYPE_HMAC_SM3, "SM3", 32},
      {TEE_ALG_HMAC_SHA3_224, TEE_TYPE_HMAC_SHA3_224, "SHA3-224", 28},
      {TEE_ALG_HMAC_SHA3_256, TEE_TYPE_HMAC_SHA3_256, "SHA3-256", 32},
      {TEE_ALG_HMAC_SHA3_384, TEE_TYPE_HMAC_SHA3_384, "SHA3-384", 48},
      {TEE_ALG_HMAC_SHA3_512, TEE_TYPE_HMAC_SHA3_512, "SHA3-512", 64},
  };
  std::mt19937 rng(3);
  for (const auto& c : cases) {
    const Bytes key = random_bytes(c.key_len, rng);
    TEE_OperationHandle op = make_op(c.alg, TEE_MODE_MAC, c.type, key);
    for (int round = 0; round < 6; ++round) {
      const Bytes msg = random_bytes(rng() % 500, rng);
      uint8_t ref[EVP_MAX_MD_SIZE];
      unsigned int ref_len = 0;
      ASSERT_NE(HMAC(EVP_get_digestbyname(c.md), key.data(), static_cast<int>(key.size()), msg.data(),
                     msg.size(), ref, &ref_len),
                nullptr);
      EXPECT_EQ(mac_split(op, msg, random_split(msg.size(), rng)), Bytes(ref, ref + ref_len)) << c.md;
    }
    TEE_FreeOperation(op);
  }
}

TEST(Mac, CbcMacDesFips113AndPkcs5) {
  // FIPS 113 / ANSI X9.9 example: DES CBC-MAC of "7654321 Now is the time for ".
  const Bytes key = hex("0123456789abcdef");
  const Bytes msg = hex("37363534333231204e6f77206973207468652074696d6520666f722000000000");
  TEE_OperationHandle op = make_op(TEE_ALG_DES_CBC_MAC_NOPAD, TEE_MODE_MAC, TEE_TYPE_DES, key);
  EXPECT_EQ(to_hex(mac_split(op, msg, {3, 9})), "f1d30f6849312ca4");
  // Not whole blocks, or no block at all: OP-TEE's crypto_cbc_mac_final
  // answers BAD_STATE and libutee's TEE_MACComputeFinal/CompareFinal panic.
  TEE_MACInit(op, nullptr, 0);
  uint8_t out[8];
  size_t n = sizeof(out);
  EXPECT_EXIT((void)TEE_MACComputeFinal(op, msg.data(), 5, out, &n), kPanicked, "TEE_Panic");
  EXPECT_EXIT((void)TEE_MACComputeFinal(op, nullptr, 0, out, &n), kPanicked, "TEE_Panic");
  EXPECT_EXIT((void)TEE_MACCompareFinal(op, msg.data(), 12, out, sizeof(out)), kPanicked, "TEE_Panic");
  TEE_FreeOperation(op);

  // PKCS5 CBC-MAC = last block of CBC encryption of the padded message.
  std::mt19937 rng(5);
  const Bytes akey = random_bytes(16, rng);
  TEE_OperationHandle mac = make_op(TEE_ALG_AES_CBC_MAC_PKCS5, TEE_MODE_MAC, TEE_TYPE_AES, akey);
  for (size_t len : {0u, 1u, 15u, 16u, 17u, 100u}) {
    const Bytes m = random_bytes(len, rng);
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    const Bytes zero(16, 0);
    ASSERT_EQ(EVP_EncryptInit_ex(ctx, EVP_aes_128_cbc(), nullptr, akey.data(), zero.data()), 1);
    Bytes ct(len + 32);
    int w = 0, f = 0;
    ASSERT_EQ(EVP_EncryptUpdate(ctx, ct.data(), &w, m.data(), static_cast<int>(len)), 1);
    ASSERT_EQ(EVP_EncryptFinal_ex(ctx, ct.data() + w, &f), 1);
    EVP_CIPHER_CTX_free(ctx);
    const Bytes last(ct.begin() + w + f - 16, ct.begin() + w + f);
    EXPECT_EQ(mac_split(mac, m, random_split(len, rng)), last) << len;
  }
  TEE_FreeOperation(mac);
}

TEST(Mac, Des3CmacMatchesOpenSsl) {
  std::mt19937 rng(9);
  for (size_t klen : {16u, 24u}) {
    const Bytes key = random_bytes(klen, rng);
    TEE_OperationHandle op = make_op(TEE_ALG_DES3_CMAC, TEE_MODE_MAC, TEE_TYPE_DES3, key);
    for (int round = 0; round < 4; ++round) {
      const Bytes msg = random_bytes(rng() % 100, rng);
      EVP_MAC* m = EVP_MAC_fetch(nullptr, "CMAC", nullptr);
      EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(m);
      char cipher[16];
      std::snprintf(cipher, sizeof(cipher), "%s", klen == 16 ? "DES-EDE-CBC" : "DES-EDE3-CBC");
      OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("cipher", cipher, 0),
                             OSSL_PARAM_construct_end()};
      uint8_t ref[16];
      size_t ref_len = 0;
      ASSERT_EQ(EVP_MAC_init(ctx, key.data(), key.size(), params), 1);
      ASSERT_EQ(EVP_MAC_update(ctx, msg.data(), msg.size()), 1);
      ASSERT_EQ(EVP_MAC_final(ctx, ref, &ref_len, sizeof(ref)), 1);
      EVP_MAC_CTX_free(ctx);
      EVP_MAC_free(m);
      EXPECT_EQ(mac_split(op, msg, random_split(msg.size(), rng)), Bytes(ref, ref + ref_len));
    }
    TEE_FreeOperation(op);
  }
}

TEST(Mac, CompareFinalAndShortBuffer) {
  const Bytes key = hex("2b7e151628aed2a6abf7158809cf4f3c");
  TEE_OperationHandle op = make_op(TEE_ALG_AES_CMAC, TEE_MODE_MAC, TEE_TYPE_AES, key);
  const Bytes msg = hex("6bc1bee22e409f96e93d7e117393172a");
  Bytes tag = hex("070a16b46b4d4144f79bdd9dd04a287c");
  TEE_MACInit(op, nullptr, 0);
  EXPECT_EQ(TEE_MACCompareFinal(op, msg.data(), msg.size(), tag.data(), tag.size()), TEE_SUCCESS);
  TEE_MACInit(op, nullptr, 0);
  EXPECT_EQ(TEE_MACCompareFinal(op, msg.data(), msg.size(), tag.data(), 15), TEE_ERROR_MAC_INVALID);
  tag[15] ^= 1;
  TEE_MACInit(op, nullptr, 0);
  EXPECT_EQ(TEE_MACCompareFinal(op, msg.data(), msg.size(), tag.data(), tag.size()), TEE_ERROR_MAC_INVALID);
  TEE_MACInit(op, nullptr, 0);
  TEE_MACUpdate(op, msg.data(), 7);
  uint8_t out[16];
  size_t n = 8;
  ASSERT_EQ(TEE_MACComputeFinal(op, msg.data() + 7, msg.size() - 7, out, &n), TEE_ERROR_SHORT_BUFFER);
  EXPECT_EQ(n, 16u);
  ASSERT_EQ(TEE_MACComputeFinal(op, msg.data() + 7, msg.size() - 7, out, &n), TEE_SUCCESS);
  EXPECT_EQ(to_hex(Bytes(out, out + n)), "070a16b46b4d4144f79bdd9dd04a287c");
  TEE_FreeOperation(op);
}

}  // namespace
}  // namespace swtee::ta::crypto::testing
