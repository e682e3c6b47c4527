// 4000s: cryptography through a real TA. Every operation here runs in the
// crypt TA (ta/crypt, include/crypt_ta.h) through the GP Internal Core API;
// the host only encodes requests and compares answers (crypt_client.h).
//   4001..4012  known answers for what Wycheproof lacks (RFCs, FIPS, GB/T)
//   4013..4015  asymmetric round trips, key agreement, GenerateKey per type
//   4020..4023  random-size multi-part updates vs one-shot, every algorithm
//   4030..4034  usage flags, object/operation info, handle ids, GP panics
//   4101..4199  the Wycheproof runner: regression_4100_wycheproof.cc
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "crypt_client.h"

namespace xtest {
namespace {

using namespace xtest::crypt;

// ================================================================ 4001..: known answers

TEST_F(Regression4000, X4001_Md5Rfc1321) {
  EXPECT_EQ(to_hex(digest(TEE_ALG_MD5, {}, 16)), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(to_hex(digest(TEE_ALG_MD5, str("abc"), 16)), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(to_hex(digest(TEE_ALG_MD5, str("message digest"), 16)), "f96b697d7cb7938d525a2f31aaf161d0");
}

TEST_F(Regression4000, X4002_Sha3Fips202) {
  EXPECT_EQ(to_hex(digest(TEE_ALG_SHA3_224, str("abc"), 28)),
            "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf");
  EXPECT_EQ(to_hex(digest(TEE_ALG_SHA3_256, str("abc"), 32)),
            "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
  EXPECT_EQ(
      to_hex(digest(TEE_ALG_SHA3_384, str("abc"), 48)),
      "ec01498288516fc926459f58e2c6ad8df9b473cb0fc08c2596da7cf0e49be4b298d88cea927ac7f539f1edf228376d25");
  EXPECT_EQ(to_hex(digest(TEE_ALG_SHA3_512, str("abc"), 64)),
            "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e"
            "10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0");
  // A too-small output: SHORT_BUFFER with the size needed, operation still usable.
  uint32_t op = 0;
  ASSERT_EQ(c.alloc_op(TEE_ALG_SHA3_256, TEE_MODE_DIGEST, 0, &op), TEEC_SUCCESS);
  Bytes small(8);
  EXPECT_EQ(c.in_out(CRYPT_CMD_DIGEST_DO_FINAL, op, str("abc"), &small), TEEC_ERROR_SHORT_BUFFER);
  EXPECT_EQ(small.size(), 32u);
  Bytes full(32);
  EXPECT_EQ(c.in_out(CRYPT_CMD_DIGEST_DO_FINAL, op, str("abc"), &full), TEEC_SUCCESS);
  EXPECT_EQ(to_hex(full), "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
  EXPECT_EQ(c.free_op(op), TEEC_SUCCESS);
}

TEST_F(Regression4000, X4003_ShakeFips202AndExtract) {
  EXPECT_EQ(to_hex(digest(TEE_ALG_SHAKE128, {}, 32)),
            "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26");
  const std::string shake256_64 =
      "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762f"
      "d75dc4ddd8c0f200cb05019d67b592f6fc821c49479ab48640292eacb3b7c4be";
  EXPECT_EQ(to_hex(digest(TEE_ALG_SHAKE256, {}, 64)), shake256_64);
  // TEE_DigestExtract squeezes in pieces: 10 + 1 + 53 bytes = the 64 above.
  uint32_t op = 0;
  ASSERT_EQ(c.alloc_op(TEE_ALG_SHAKE256, TEE_MODE_DIGEST, 0, &op), TEEC_SUCCESS);
  Bytes all;
  for (size_t n : {10, 1, 53}) {
    Bytes part(n);
    ASSERT_EQ(c.extract(op, &part), TEEC_SUCCESS);
    all = cat(all, part);
  }
  EXPECT_EQ(to_hex(all), shake256_64);
  EXPECT_EQ(c.free_op(op), TEEC_SUCCESS);
}

TEST_F(Regression4000, X4004_Sm3GbT32905) {
  EXPECT_EQ(to_hex(digest(TEE_ALG_SM3, str("abc"), 32)),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
}

TEST_F(Regression4000, X4005_Sm4GbT32907) {
  const Bytes k = hex("0123456789abcdeffedcba9876543210");
  EXPECT_EQ(to_hex(cipher(TEE_ALG_SM4_ECB_NOPAD, TEE_MODE_ENCRYPT, TEE_TYPE_SM4, k, {}, k)),
            "681edf34d206965e86b3e94f536e4246");
  EXPECT_EQ(to_hex(cipher(TEE_ALG_SM4_ECB_NOPAD, TEE_MODE_DECRYPT, TEE_TYPE_SM4, k, {},
                          hex("681edf34d206965e86b3e94f536e4246"))),
            to_hex(k));
  // CBC of one block with a zero IV is ECB.
  EXPECT_EQ(to_hex(cipher(TEE_ALG_SM4_CBC_NOPAD, TEE_MODE_ENCRYPT, TEE_TYPE_SM4, k, Bytes(16, 0), k)),
            "681edf34d206965e86b3e94f536e4246");
}

TEST_F(Regression4000, X4006_DesFips81And3Des) {
  // DES ECB (the classic worked example) and FIPS 81 CBC.
  EXPECT_EQ(to_hex(cipher(TEE_ALG_DES_ECB_NOPAD, TEE_MODE_ENCRYPT, TEE_TYPE_DES, hex("133457799bbcdff1"), {},
                          hex("0123456789abcdef"))),
            "85e813540f0ab405");
  const Bytes now = hex("4e6f77206973207468652074696d6520666f7220616c6c20");  // "Now is the time for all "
  EXPECT_EQ(to_hex(cipher(TEE_ALG_DES_CBC_NOPAD, TEE_MODE_ENCRYPT, TEE_TYPE_DES, hex("0123456789abcdef"),
                          hex("1234567890abcdef"), now)),
            "e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6");
  EXPECT_EQ(cipher(TEE_ALG_DES_CBC_NOPAD, TEE_MODE_DECRYPT, TEE_TYPE_DES, hex("0123456789abcdef"),
                   hex("1234567890abcdef"), hex("e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6")),
            now);
  // 3DES with K1 = K2 = K3 is single DES (SP 800-67 keying option 3).
  EXPECT_EQ(
      to_hex(cipher(TEE_ALG_DES3_ECB_NOPAD, TEE_MODE_ENCRYPT, TEE_TYPE_DES3,
                    hex("133457799bbcdff1133457799bbcdff1133457799bbcdff1"), {}, hex("0123456789abcdef"))),
      "85e813540f0ab405");
  // Three independent keys, CBC (cross-checked against OpenSSL's des-ede3-cbc).
  const Bytes k3 = hex("0123456789abcdef23456789abcdef01456789abcdef0123");
  EXPECT_EQ(to_hex(cipher(TEE_ALG_DES3_CBC_NOPAD, TEE_MODE_ENCRYPT, TEE_TYPE_DES3, k3,
                          hex("1234567890abcdef"), now)),
            "f3c0ff026c023089656fbb169def7edb30ba36075d6f0176");
}

TEST_F(Regression4000, X4007_AesCtsRfc3962) {
  const Bytes key = hex("636869636b656e207465726979616b69");
  const Bytes iv(16, 0);
  const std::string input =
      "4920776f756c64206c696b65207468652047656e6572616c20476175277320436869636b656e2c20706c656173652c";
  struct V {
    size_t len;
    const char* ct;
  } const vs[] = {
      {17, "c6353568f2bf8cb4d8a580362da7ff7f97"},
      {31, "fc00783e0efdb2c1d445d4c8eff7ed2297687268d6ecccc0c07b25e25ecfe5"},
      {32, "39312523a78662d5be7fcbcc98ebf5a897687268d6ecccc0c07b25e25ecfe584"},
      {47, "97687268d6ecccc0c07b25e25ecfe584b3fffd940c16a18c1b5549d2f838029e39312523a78662d5be7fcbcc98ebf5"},
  };
  const Bytes all = hex(input);
  for (const V& v : vs) {
    const Bytes pt(all.begin(), all.begin() + static_cast<long>(v.len));
    EXPECT_EQ(to_hex(cipher(TEE_ALG_AES_CTS, TEE_MODE_ENCRYPT, TEE_TYPE_AES, key, iv, pt)), v.ct) << v.len;
    EXPECT_EQ(cipher(TEE_ALG_AES_CTS, TEE_MODE_DECRYPT, TEE_TYPE_AES, key, iv, hex(v.ct)), pt) << v.len;
  }
}

TEST_F(Regression4000, X4008_CbcMacFips113AndAes) {
  // FIPS 113: "7654321 Now is the time for " zero-padded to 32 bytes; the
  // standard prints the leading 32 bits, f1d30f68.
  const Bytes msg = hex("37363534333231204e6f77206973207468652074696d6520666f722000000000");
  const Bytes m = mac(TEE_ALG_DES_CBC_MAC_NOPAD, TEE_TYPE_DES, hex("0123456789abcdef"), msg);
  EXPECT_EQ(to_hex(m), "f1d30f6849312ca4");
  // AES CBC-MAC NOPAD is the last CBC block under a zero IV; PKCS5 pads first.
  const Bytes key = hex("2b7e151628aed2a6abf7158809cf4f3c");
  Bytes data(48);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7 + 1);
  const Bytes cbc = cipher(TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, TEE_TYPE_AES, key, Bytes(16, 0), data);
  EXPECT_EQ(mac(TEE_ALG_AES_CBC_MAC_NOPAD, TEE_TYPE_AES, key, data), Bytes(cbc.end() - 16, cbc.end()));
  const Bytes odd(data.begin(), data.begin() + 37);
  Bytes padded = odd;
  padded.insert(padded.end(), 11, 11);
  const Bytes cbc2 = cipher(TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, TEE_TYPE_AES, key, Bytes(16, 0), padded);
  EXPECT_EQ(mac(TEE_ALG_AES_CBC_MAC_PKCS5, TEE_TYPE_AES, key, odd), Bytes(cbc2.end() - 16, cbc2.end()));
  // MACCompareFinal accepts the right MAC and rejects a flipped one.
  const uint32_t op =
      keyed_op(TEE_ALG_DES_CBC_MAC_NOPAD, TEE_MODE_MAC, TEE_TYPE_DES, hex("0123456789abcdef"));
  ASSERT_EQ(c.init(CRYPT_CMD_MAC_INIT, op, {}), TEEC_SUCCESS);
  EXPECT_EQ(c.mac_compare(op, msg, m), TEEC_SUCCESS);
  ASSERT_EQ(c.init(CRYPT_CMD_MAC_INIT, op, {}), TEEC_SUCCESS);
  Bytes bad = m;
  bad[0] ^= 1;
  EXPECT_EQ(c.mac_compare(op, msg, bad), kMacInvalid);
  EXPECT_EQ(c.free_op(op), TEEC_SUCCESS);
}

// RFC 4226 HOTP: HMAC-SHA1 in the TA, dynamic truncation here.
TEST_F(Regression4000, X4009_HotpRfc4226AppendixD) {
  const Bytes key = str("12345678901234567890");
  const uint32_t want[] = {755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489};
  for (uint64_t count = 0; count < 10; ++count) {
    Bytes counter(8);
    for (int i = 0; i < 8; ++i) counter[7 - i] = static_cast<uint8_t>(count >> (8 * i));
    const Bytes h = mac(TEE_ALG_HMAC_SHA1, TEE_TYPE_HMAC_SHA1, key, counter);
    ASSERT_EQ(h.size(), 20u);
    const size_t off = h[19] & 0xf;
    const uint32_t bin = (uint32_t(h[off] & 0x7f) << 24) | (uint32_t(h[off + 1]) << 16) |
                         (uint32_t(h[off + 2]) << 8) | h[off + 3];
    EXPECT_EQ(bin % 1000000, want[count]) << "count " << count;
  }
}

TEST_F(Regression4000, X4010_HkdfRfc5869) {
  auto hkdf = [&](uint32_t alg, const Bytes& ikm, const Bytes& salt, const Bytes& info, size_t l) {
    std::vector<Attr> p;
    if (!salt.empty()) p.push_back(ref_attr(__OPTEE_TEE_ATTR_HKDF_SALT, salt));
    if (!info.empty()) p.push_back(ref_attr(__OPTEE_TEE_ATTR_HKDF_INFO, info));
    p.push_back(val_attr(TEE_ATTR_HKDF_OKM_LENGTH, static_cast<uint32_t>(l)));
    return to_hex(kdf(alg, TEE_TYPE_HKDF_IKM, TEE_ATTR_HKDF_IKM, ikm, p, l));
  };
  const Bytes salt = hex("000102030405060708090a0b0c"), info = hex("f0f1f2f3f4f5f6f7f8f9");
  // Test case 1 (SHA-256), 3 (SHA-256, no salt/info), 4 (SHA-1).
  EXPECT_EQ(hkdf(TEE_ALG_HKDF_SHA256_DERIVE_KEY, Bytes(22, 0x0b), salt, info, 42),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  EXPECT_EQ(hkdf(TEE_ALG_HKDF_SHA256_DERIVE_KEY, Bytes(22, 0x0b), {}, {}, 42),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
  EXPECT_EQ(hkdf(TEE_ALG_HKDF_SHA1_DERIVE_KEY, Bytes(11, 0x0b), salt, info, 42),
            "085a01ea1b10f36933068b56efa5ad81a4f14b822f5b091568a9cdd4f155fda2c22e422478d305f3f896");
}

TEST_F(Regression4000, X4011_Pbkdf2Rfc6070) {
  auto pbkdf2 = [&](const Bytes& pw, const Bytes& salt, uint32_t iter, size_t l) {
    return to_hex(kdf(TEE_ALG_PBKDF2_HMAC_SHA1_DERIVE_KEY, TEE_TYPE_PBKDF2_PASSWORD, TEE_ATTR_PBKDF2_PASSWORD,
                      pw,
                      {ref_attr(TEE_ATTR_PBKDF2_SALT, salt), val_attr(TEE_ATTR_PBKDF2_ITERATION_COUNT, iter),
                       val_attr(TEE_ATTR_PBKDF2_DKM_LENGTH, static_cast<uint32_t>(l))},
                      l));
  };
  EXPECT_EQ(pbkdf2(str("password"), str("salt"), 1, 20), "0c60c80f961f0e71f3a9b524af6012062fe037a6");
  EXPECT_EQ(pbkdf2(str("password"), str("salt"), 2, 20), "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957");
  EXPECT_EQ(pbkdf2(str("password"), str("salt"), 4096, 20), "4b007901b765489abead49d926f721d065a429c1");
  EXPECT_EQ(pbkdf2(str("passwordPASSWORDpassword"), str("saltSALTsaltSALTsaltSALTsaltSALTsalt"), 4096, 25),
            "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038");
  EXPECT_EQ(pbkdf2(hex("7061737300776f7264"), hex("7361006c74"), 4096, 16),
            "56fa6aa75548099dcc37d7f03425e0c3");
}

TEST_F(Regression4000, X4012_RandomAndAlgorithmSupport) {
  Bytes a(64), b(64);
  ASSERT_EQ(c.random(&a), TEEC_SUCCESS);
  ASSERT_EQ(c.random(&b), TEEC_SUCCESS);
  EXPECT_NE(a, b);
  EXPECT_NE(a, Bytes(64, 0));
  EXPECT_EQ(c.supported(TEE_ALG_AES_GCM), TEEC_SUCCESS);
  EXPECT_EQ(c.supported(TEE_ALG_SHA3_256), TEEC_SUCCESS);
  EXPECT_EQ(c.supported(TEE_ALG_ILLEGAL_VALUE), TEEC_ERROR_NOT_SUPPORTED);
  EXPECT_EQ(c.supported(TEE_ALG_AES_GCM, TEE_ECC_CURVE_NIST_P256), TEEC_ERROR_NOT_SUPPORTED);
}

// Asymmetric keys generated in the TA, used through the primitive commands
// (the Wycheproof runner covers the algorithms' edge cases).
TEST_F(Regression4000, X4013_AsymmetricRoundTrips) {
  const Bytes digest(32, 0x42);
  auto gen = [&](uint32_t type, uint32_t bits, const std::vector<Attr>& params, uint32_t* k) {
    ASSERT_EQ(c.alloc_obj(type, bits, k), TEEC_SUCCESS) << std::hex << type;
    ASSERT_EQ(c.generate(*k, bits, attr_blob(params)), TEEC_SUCCESS) << std::hex << type;
  };
  auto sign_verify = [&](uint32_t alg, uint32_t bits, uint32_t key, const Bytes& msg) {
    uint32_t s = 0, v = 0;
    ASSERT_EQ(c.alloc_op(alg, TEE_MODE_SIGN, bits, &s), TEEC_SUCCESS) << std::hex << alg;
    ASSERT_EQ(c.alloc_op(alg, TEE_MODE_VERIFY, bits, &v), TEEC_SUCCESS);
    ASSERT_EQ(c.set_key(s, key), TEEC_SUCCESS);
    ASSERT_EQ(c.set_key(v, key), TEEC_SUCCESS);
    Bytes sig(1024);
    ASSERT_EQ(c.asym(CRYPT_CMD_ASYMMETRIC_SIGN_DIGEST, s, {}, msg, &sig), TEEC_SUCCESS) << std::hex << alg;
    EXPECT_EQ(c.asym(CRYPT_CMD_ASYMMETRIC_VERIFY_DIGEST, v, {}, msg, &sig), TEEC_SUCCESS) << std::hex << alg;
    sig[sig.size() / 2] ^= 0x10;
    EXPECT_EQ(c.asym(CRYPT_CMD_ASYMMETRIC_VERIFY_DIGEST, v, {}, msg, &sig), kSignatureInvalid)
        << std::hex << alg;
    EXPECT_EQ(c.free_op(s), TEEC_SUCCESS);
    EXPECT_EQ(c.free_op(v), TEEC_SUCCESS);
  };
  if (c.supported(TEE_ALG_RSASSA_PKCS1_V1_5_SHA256) == TEEC_SUCCESS) {
    uint32_t rsa = 0;
    gen(TEE_TYPE_RSA_KEYPAIR, 2048, {}, &rsa);
    sign_verify(TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, 2048, rsa, digest);
    sign_verify(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256, 2048, rsa, digest);
    // OAEP: encrypt with a public key object rebuilt from the extracted
    // modulus and exponent, decrypt with the pair.
    Bytes n(512), e(16);
    ASSERT_EQ(c.buffer_attr(rsa, TEE_ATTR_RSA_MODULUS, &n), TEEC_SUCCESS);
    ASSERT_EQ(c.buffer_attr(rsa, TEE_ATTR_RSA_PUBLIC_EXPONENT, &e), TEEC_SUCCESS);
    EXPECT_EQ(n.size(), 256u);
    uint32_t pub = 0, enc = 0, dec = 0;
    ASSERT_EQ(c.key(TEE_TYPE_RSA_PUBLIC_KEY, 2048,
                    attr_blob({ref_attr(TEE_ATTR_RSA_MODULUS, n), ref_attr(TEE_ATTR_RSA_PUBLIC_EXPONENT, e)}),
                    &pub),
              TEEC_SUCCESS);
    ASSERT_EQ(c.alloc_op(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, TEE_MODE_ENCRYPT, 2048, &enc), TEEC_SUCCESS);
    ASSERT_EQ(c.alloc_op(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, TEE_MODE_DECRYPT, 2048, &dec), TEEC_SUCCESS);
    ASSERT_EQ(c.set_key(enc, pub), TEEC_SUCCESS);
    ASSERT_EQ(c.set_key(dec, rsa), TEEC_SUCCESS);
    const Bytes label = attr_blob({ref_attr(TEE_ATTR_RSA_OAEP_LABEL, str("swtee"))});
    Bytes ct(8), pt(256);
    EXPECT_EQ(c.asym(CRYPT_CMD_ASYMMETRIC_ENCRYPT, enc, label, str("attack at dawn"), &ct),
              TEEC_ERROR_SHORT_BUFFER);
    EXPECT_EQ(ct.size(), 256u);  // the size needed
    ASSERT_EQ(c.asym(CRYPT_CMD_ASYMMETRIC_ENCRYPT, enc, label, str("attack at dawn"), &ct), TEEC_SUCCESS);
    ASSERT_EQ(c.asym(CRYPT_CMD_ASYMMETRIC_DECRYPT, dec, label, ct, &pt), TEEC_SUCCESS);
    EXPECT_EQ(pt, str("attack at dawn"));
    pt.resize(256);
    EXPECT_NE(c.asym(CRYPT_CMD_ASYMMETRIC_DECRYPT, dec,
                     attr_blob({ref_attr(TEE_ATTR_RSA_OAEP_LABEL, str("other"))}), ct, &pt),
              TEEC_SUCCESS);
  }
  if (c.supported(TEE_ALG_ECDSA_SHA256, TEE_ECC_CURVE_NIST_P256) == TEEC_SUCCESS) {
    uint32_t ec = 0;
    gen(TEE_TYPE_ECDSA_KEYPAIR, 256, {val_attr(TEE_ATTR_ECC_CURVE, TEE_ECC_CURVE_NIST_P256)}, &ec);
    sign_verify(TEE_ALG_ECDSA_SHA256, 256, ec, digest);
  }
  if (c.supported(TEE_ALG_ED25519, TEE_ECC_CURVE_25519) == TEEC_SUCCESS) {
    uint32_t ed = 0;
    gen(TEE_TYPE_ED25519_KEYPAIR, 256, {}, &ed);
    sign_verify(TEE_ALG_ED25519, 256, ed, str("a message, not a digest, for EdDSA"));
  }
}

// Two key pairs generated in the TA agree on a secret (ECDH P-256, X25519).
TEST_F(Regression4000, X4014_KeyAgreementBetweenGeneratedPairs) {
  struct Case {
    uint32_t alg, type, bits, curve;
    std::vector<uint32_t> pub_attrs;
  } const cases[] = {
      {TEE_ALG_ECDH_DERIVE_SHARED_SECRET,
       TEE_TYPE_ECDH_KEYPAIR,
       256,
       TEE_ECC_CURVE_NIST_P256,
       {TEE_ATTR_ECC_PUBLIC_VALUE_X, TEE_ATTR_ECC_PUBLIC_VALUE_Y}},
      {TEE_ALG_X25519, TEE_TYPE_X25519_KEYPAIR, 256, TEE_ECC_CURVE_25519, {TEE_ATTR_X25519_PUBLIC_VALUE}},
  };
  for (const Case& k : cases) {
    if (c.supported(k.alg, k.curve) != TEEC_SUCCESS) {
      std::printf("X4014: 0x%08x not supported, skipped\n", k.alg);
      continue;
    }
    const std::vector<Attr> gen_params = k.type == TEE_TYPE_ECDH_KEYPAIR
                                             ? std::vector<Attr>{val_attr(TEE_ATTR_ECC_CURVE, k.curve)}
                                             : std::vector<Attr>{};
    uint32_t a = 0, b = 0;
    for (uint32_t* key : {&a, &b}) {
      ASSERT_EQ(c.alloc_obj(k.type, k.bits, key), TEEC_SUCCESS);
      ASSERT_EQ(c.generate(*key, k.bits, attr_blob(gen_params)), TEEC_SUCCESS) << std::hex << k.type;
    }
    auto public_of = [&](uint32_t key) {
      std::vector<Attr> out;
      for (uint32_t id : k.pub_attrs) {
        Bytes v(80);
        EXPECT_EQ(c.buffer_attr(key, id, &v), TEEC_SUCCESS);
        out.push_back(ref_attr(id, v));
      }
      return out;
    };
    auto shared = [&](uint32_t own, const std::vector<Attr>& peer) {
      uint32_t op = 0, out = 0;
      EXPECT_EQ(c.alloc_op(k.alg, TEE_MODE_DERIVE, k.bits, &op), TEEC_SUCCESS);
      EXPECT_EQ(c.set_key(op, own), TEEC_SUCCESS);
      EXPECT_EQ(c.alloc_obj(TEE_TYPE_GENERIC_SECRET, k.bits, &out), TEEC_SUCCESS);
      EXPECT_EQ(c.derive(op, out, attr_blob(peer)), TEEC_SUCCESS);
      Bytes v(64);
      EXPECT_EQ(c.buffer_attr(out, TEE_ATTR_SECRET_VALUE, &v), TEEC_SUCCESS);
      EXPECT_EQ(c.free_op(op), TEEC_SUCCESS);
      EXPECT_EQ(c.free_obj(out), TEEC_SUCCESS);
      return v;
    };
    const Bytes ab = shared(a, public_of(b)), ba = shared(b, public_of(a));
    EXPECT_EQ(ab.size(), 32u);
    EXPECT_EQ(ab, ba) << std::hex << k.alg;
    EXPECT_NE(ab, Bytes(32, 0));
  }
}

// TEE_GenerateKey for every symmetric key type at its GP sizes.
TEST_F(Regression4000, X4015_GenerateKeyEveryType) {
  struct T {
    uint32_t type;
    std::vector<uint32_t> sizes;
  } const types[] = {
      {TEE_TYPE_AES, {128, 192, 256}},     {TEE_TYPE_DES, {64}},
      {TEE_TYPE_DES3, {128, 192}},         {TEE_TYPE_SM4, {128}},
      {TEE_TYPE_HMAC_MD5, {64, 512}},      {TEE_TYPE_HMAC_SHA1, {80, 512}},
      {TEE_TYPE_HMAC_SHA224, {112, 512}},  {TEE_TYPE_HMAC_SHA256, {192, 1024}},
      {TEE_TYPE_HMAC_SHA384, {256, 1024}}, {TEE_TYPE_HMAC_SHA512, {256, 1024}},
      {TEE_TYPE_HMAC_SM3, {80, 1024}},     {TEE_TYPE_GENERIC_SECRET, {8, 4096}},
  };
  for (const T& t : types) {
    for (uint32_t bits : t.sizes) {
      uint32_t k = 0;
      ASSERT_EQ(c.alloc_obj(t.type, bits, &k), TEEC_SUCCESS) << std::hex << t.type << " " << std::dec << bits;
      ASSERT_EQ(c.generate(k, bits), TEEC_SUCCESS) << std::hex << t.type << " " << std::dec << bits;
      ObjectInfo info{};
      ASSERT_EQ(c.obj_info(k, &info), TEEC_SUCCESS);
      EXPECT_EQ(info.objectSize, bits);
      Bytes v(bits / 8 + 8);
      ASSERT_EQ(c.buffer_attr(k, TEE_ATTR_SECRET_VALUE, &v), TEEC_SUCCESS);
      EXPECT_EQ(v.size(), bits / 8);
      EXPECT_EQ(c.free_obj(k), TEEC_SUCCESS);
    }
  }
  // A size GP does not allow for the type is refused, not truncated.
  uint32_t k = 0;
  EXPECT_EQ(c.alloc_obj(TEE_TYPE_AES, 100, &k), TEEC_ERROR_NOT_SUPPORTED);
}

// ================================================================ 4020..: multi-part = one-shot

struct SymAlg {
  uint32_t alg;
  uint32_t type;   // key type (0: digest)
  size_t key_len;  // bytes
  size_t iv_len;
  size_t block;    // input must be a multiple of this (1: any)
  size_t min_len;  // smallest input
  bool two_keys;   // XTS
};

const SymAlg kCiphers[] = {
    {TEE_ALG_AES_ECB_NOPAD, TEE_TYPE_AES, 16, 0, 16, 0, false},
    {TEE_ALG_AES_CBC_NOPAD, TEE_TYPE_AES, 24, 16, 16, 0, false},
    {TEE_ALG_AES_CTR, TEE_TYPE_AES, 32, 16, 1, 0, false},
    {TEE_ALG_AES_CTS, TEE_TYPE_AES, 16, 16, 1, 17, false},
    {TEE_ALG_AES_XTS, TEE_TYPE_AES, 16, 16, 1, 16, true},
    {TEE_ALG_DES_ECB_NOPAD, TEE_TYPE_DES, 8, 0, 8, 0, false},
    {TEE_ALG_DES_CBC_NOPAD, TEE_TYPE_DES, 8, 8, 8, 0, false},
    {TEE_ALG_DES3_ECB_NOPAD, TEE_TYPE_DES3, 24, 0, 8, 0, false},
    {TEE_ALG_DES3_CBC_NOPAD, TEE_TYPE_DES3, 16, 8, 8, 0, false},
    {TEE_ALG_SM4_ECB_NOPAD, TEE_TYPE_SM4, 16, 0, 16, 0, false},
    {TEE_ALG_SM4_CBC_NOPAD, TEE_TYPE_SM4, 16, 16, 16, 0, false},
    {TEE_ALG_SM4_CTR, TEE_TYPE_SM4, 16, 16, 1, 0, false},
    {TEE_ALG_SM4_XTS, TEE_TYPE_SM4, 16, 16, 1, 16, true},
};

const SymAlg kMacs[] = {
    {TEE_ALG_HMAC_MD5, TEE_TYPE_HMAC_MD5, 16, 0, 1, 0, false},
    {TEE_ALG_HMAC_SHA1, TEE_TYPE_HMAC_SHA1, 20, 0, 1, 0, false},
    {TEE_ALG_HMAC_SHA224, TEE_TYPE_HMAC_SHA224, 28, 0, 1, 0, false},
    {TEE_ALG_HMAC_SHA256, TEE_TYPE_HMAC_SHA256, 32, 0, 1, 0, false},
    {TEE_ALG_HMAC_SHA384, TEE_TYPE_HMAC_SHA384, 48, 0, 1, 0, false},
    {TEE_ALG_HMAC_SHA512, TEE_TYPE_HMAC_SHA512, 64, 0, 1, 0, false},
    {TEE_ALG_HMAC_SM3, TEE_TYPE_HMAC_SM3, 32, 0, 1, 0, false},
    {TEE_ALG_HMAC_SHA3_224, TEE_TYPE_HMAC_SHA3_224, 28, 0, 1, 0, false},
    {TEE_ALG_HMAC_SHA3_256, TEE_TYPE_HMAC_SHA3_256, 32, 0, 1, 0, false},
    {TEE_ALG_HMAC_SHA3_384, TEE_TYPE_HMAC_SHA3_384, 48, 0, 1, 0, false},
    {TEE_ALG_HMAC_SHA3_512, TEE_TYPE_HMAC_SHA3_512, 64, 0, 1, 0, false},
    {TEE_ALG_AES_CMAC, TEE_TYPE_AES, 16, 0, 1, 0, false},
    {TEE_ALG_DES3_CMAC, TEE_TYPE_DES3, 24, 0, 1, 0, false},
    {TEE_ALG_AES_CBC_MAC_NOPAD, TEE_TYPE_AES, 16, 0, 16, 0, false},
    {TEE_ALG_AES_CBC_MAC_PKCS5, TEE_TYPE_AES, 32, 0, 1, 0, false},
    {TEE_ALG_DES_CBC_MAC_NOPAD, TEE_TYPE_DES, 8, 0, 8, 0, false},
    {TEE_ALG_DES_CBC_MAC_PKCS5, TEE_TYPE_DES, 8, 0, 1, 0, false},
    {TEE_ALG_DES3_CBC_MAC_NOPAD, TEE_TYPE_DES3, 24, 0, 8, 0, false},
    {TEE_ALG_DES3_CBC_MAC_PKCS5, TEE_TYPE_DES3, 16, 0, 1, 0, false},
};

const uint32_t kDigests[] = {TEE_ALG_MD5,      TEE_ALG_SHA1,     TEE_ALG_SHA224,   TEE_ALG_SHA256,
                             TEE_ALG_SHA384,   TEE_ALG_SHA512,   TEE_ALG_SM3,      TEE_ALG_SHA3_224,
                             TEE_ALG_SHA3_256, TEE_ALG_SHA3_384, TEE_ALG_SHA3_512, TEE_ALG_MD5SHA1,
                             TEE_ALG_SHAKE128, TEE_ALG_SHAKE256};

Bytes rand_bytes(std::mt19937& rng, size_t n) {
  Bytes b(n);
  for (auto& x : b) x = static_cast<uint8_t>(rng());
  return b;
}

// Random cut points of `n` (the pieces the multi-part path uses).
std::vector<size_t> random_cuts(std::mt19937& rng, size_t n) {
  std::vector<size_t> cuts;
  size_t pos = 0;
  while (pos < n) {
    const size_t step = std::min<size_t>(n - pos, 1 + rng() % 40);
    pos += step;
    cuts.push_back(pos);
  }
  return cuts;
}

// Pieces of `in` split at random points; the last piece may be empty.
std::vector<Bytes> pieces(std::mt19937& rng, const Bytes& in) {
  std::vector<Bytes> out;
  size_t prev = 0;
  for (size_t cut : random_cuts(rng, in.size())) {
    out.emplace_back(in.begin() + static_cast<long>(prev), in.begin() + static_cast<long>(cut));
    prev = cut;
  }
  if (out.empty() || rng() % 3 == 0) out.emplace_back();
  return out;
}

// Fixed-size DES keys keep their parity irrelevant (GP ignores it); XTS
// keys must differ from each other in OpenSSL's view, so key2 is separate.
OneShot oneshot_for(const SymAlg& a, uint32_t mode, const Bytes& key, const Bytes& key2, const Bytes& iv,
                    const Bytes& in) {
  OneShot o = OneShot::keyed(a.alg, mode, a.type, static_cast<uint32_t>(key.size() * 8), secret(key));
  if (a.two_keys) {
    o.h.key2_type = a.type;
    o.h.key2_bits = o.h.key_bits;
    o.h.key2 = o.add(secret(key2));
  }
  o.h.iv = o.add(iv);
  o.h.in = o.add(in);
  return o;
}

TEST_F(Regression4000, X4020_DigestsAnySplit) {
  std::mt19937 rng(4020);
  for (uint32_t alg : kDigests) {
    for (size_t len : {0, 1, 63, 64, 65, 300}) {
      const Bytes msg = rand_bytes(rng, len);
      const size_t out_len = alg == TEE_ALG_SHAKE128 || alg == TEE_ALG_SHAKE256 ? 100 : 64;
      OneShot o;
      o.h.algorithm = alg;
      o.h.mode = TEE_MODE_DIGEST;
      o.h.in = o.add(msg);
      const OneShotResult one = c.oneshot(o, out_len);
      ASSERT_TRUE(one.ok()) << std::hex << alg << " res " << one.res << " stage " << one.stage;
      uint32_t op = 0;
      ASSERT_EQ(c.alloc_op(alg, TEE_MODE_DIGEST, 0, &op), TEEC_SUCCESS) << std::hex << alg;
      auto ps = pieces(rng, msg);
      for (size_t i = 0; i + 1 < ps.size(); ++i)
        ASSERT_EQ(c.update(CRYPT_CMD_DIGEST_UPDATE, op, ps[i]), TEEC_SUCCESS);
      Bytes out(out_len);
      ASSERT_EQ(c.in_out(CRYPT_CMD_DIGEST_DO_FINAL, op, ps.back(), &out), TEEC_SUCCESS);
      EXPECT_EQ(out, one.out) << std::hex << alg << " len " << std::dec << len;
      EXPECT_EQ(c.free_op(op), TEEC_SUCCESS);
    }
  }
}

TEST_F(Regression4000, X4021_CiphersAnySplitBothDirections) {
  std::mt19937 rng(4021);
  for (const SymAlg& a : kCiphers) {
    for (size_t blocks : {2, 5, 17}) {
      size_t len = blocks * std::max<size_t>(a.block, 16);
      if (a.block == 1) len += rng() % 15;  // a partial last block where the mode allows
      len = std::max(len, a.min_len);
      const Bytes key = rand_bytes(rng, a.key_len), key2 = rand_bytes(rng, a.key_len);
      const Bytes iv = rand_bytes(rng, a.iv_len), pt = rand_bytes(rng, len);
      const OneShotResult enc = c.oneshot(oneshot_for(a, TEE_MODE_ENCRYPT, key, key2, iv, pt), len + 32);
      ASSERT_TRUE(enc.ok()) << std::hex << a.alg << " res " << enc.res << " stage " << enc.stage;
      ASSERT_EQ(enc.out.size(), len);
      for (uint32_t mode : {TEE_MODE_ENCRYPT, TEE_MODE_DECRYPT}) {
        const Bytes& in = mode == TEE_MODE_ENCRYPT ? pt : enc.out;
        const Bytes& want = mode == TEE_MODE_ENCRYPT ? enc.out : pt;
        uint32_t op = 0, k1 = 0, k2 = 0;
        const uint32_t bits = static_cast<uint32_t>(a.key_len * 8);
        ASSERT_EQ(c.alloc_op(a.alg, mode, bits, &op), TEEC_SUCCESS);
        ASSERT_EQ(c.key(a.type, bits, secret(key), &k1), TEEC_SUCCESS);
        if (a.two_keys) {
          ASSERT_EQ(c.key(a.type, bits, secret(key2), &k2), TEEC_SUCCESS);
          ASSERT_EQ(c.set_key2(op, k1, k2), TEEC_SUCCESS);
        } else {
          ASSERT_EQ(c.set_key(op, k1), TEEC_SUCCESS);
        }
        ASSERT_EQ(c.init(CRYPT_CMD_CIPHER_INIT, op, iv), TEEC_SUCCESS);
        Bytes got;
        auto ps = pieces(rng, in);
        for (size_t i = 0; i + 1 < ps.size(); ++i) {
          Bytes out(ps[i].size() + 64);
          ASSERT_EQ(c.in_out(CRYPT_CMD_CIPHER_UPDATE, op, ps[i], &out), TEEC_SUCCESS) << std::hex << a.alg;
          got = cat(got, out);
        }
        Bytes out(ps.back().size() + 64);
        ASSERT_EQ(c.in_out(CRYPT_CMD_CIPHER_DO_FINAL, op, ps.back(), &out), TEEC_SUCCESS)
            << std::hex << a.alg;
        got = cat(got, out);
        EXPECT_EQ(got, want) << std::hex << a.alg << " mode " << mode << " len " << std::dec << len;
        EXPECT_EQ(c.free_op(op), TEEC_SUCCESS);
        EXPECT_EQ(c.free_obj(k1), TEEC_SUCCESS);
        if (k2) EXPECT_EQ(c.free_obj(k2), TEEC_SUCCESS);
      }
    }
  }
}

TEST_F(Regression4000, X4022_MacsAnySplit) {
  std::mt19937 rng(4022);
  for (const SymAlg& a : kMacs) {
    for (size_t blocks : {0, 1, 3, 20}) {
      // A NOPAD CBC-MAC over no block panics (as OP-TEE's crypto_cbc_mac_final).
      if (blocks == 0 && a.block != 1) continue;
      size_t len = blocks * 16 + (a.block == 1 ? rng() % 16 : 0);
      const Bytes key = rand_bytes(rng, a.key_len), msg = rand_bytes(rng, len);
      const OneShotResult one = c.oneshot(oneshot_for(a, TEE_MODE_MAC, key, {}, {}, msg), 64);
      ASSERT_TRUE(one.ok()) << std::hex << a.alg << " res " << one.res << " stage " << one.stage;
      const uint32_t op = keyed_op(a.alg, TEE_MODE_MAC, a.type, key);
      ASSERT_EQ(c.init(CRYPT_CMD_MAC_INIT, op, {}), TEEC_SUCCESS);
      auto ps = pieces(rng, msg);
      for (size_t i = 0; i + 1 < ps.size(); ++i)
        ASSERT_EQ(c.update(CRYPT_CMD_MAC_UPDATE, op, ps[i]), TEEC_SUCCESS);
      EXPECT_EQ(c.mac_compare(op, ps.back(), one.out), TEEC_SUCCESS) << std::hex << a.alg << " len " << len;
      EXPECT_EQ(c.free_op(op), TEEC_SUCCESS);
    }
  }
}

TEST_F(Regression4000, X4023_AeAnySplit) {
  std::mt19937 rng(4023);
  for (uint32_t alg : {TEE_ALG_AES_GCM, TEE_ALG_AES_CCM}) {
    for (size_t len : {0, 1, 16, 33, 200}) {
      const Bytes key = rand_bytes(rng, 16), nonce = rand_bytes(rng, alg == TEE_ALG_AES_GCM ? 12 : 11);
      const Bytes aad = rand_bytes(rng, rng() % 40), pt = rand_bytes(rng, len);
      OneShot o;
      o.h.algorithm = alg;
      o.h.mode = TEE_MODE_ENCRYPT;
      o.h.key_type = TEE_TYPE_AES;
      o.h.key_bits = 128;
      o.h.tag_bits = 128;
      o.h.key = o.add(secret(key));
      o.h.iv = o.add(nonce);
      o.h.aad = o.add(aad);
      o.h.in = o.add(pt);
      const OneShotResult one = c.oneshot(o, len + 16, 16);
      ASSERT_TRUE(one.ok()) << std::hex << alg << " res " << one.res << " stage " << one.stage;
      for (uint32_t mode : {TEE_MODE_ENCRYPT, TEE_MODE_DECRYPT}) {
        const bool enc = mode == TEE_MODE_ENCRYPT;
        const Bytes& in = enc ? pt : one.out;
        const uint32_t op = keyed_op(alg, mode, TEE_TYPE_AES, key);
        ASSERT_EQ(c.ae_init(op, nonce, 128, aad.size(), in.size()), TEEC_SUCCESS);
        for (const Bytes& p : pieces(rng, aad))
          if (!p.empty()) ASSERT_EQ(c.update(CRYPT_CMD_AE_UPDATE_AAD, op, p), TEEC_SUCCESS);
        Bytes got;
        auto ps = pieces(rng, in);
        for (size_t i = 0; i + 1 < ps.size(); ++i) {
          Bytes out(ps[i].size() + 32);
          ASSERT_EQ(c.in_out(CRYPT_CMD_AE_UPDATE, op, ps[i], &out), TEEC_SUCCESS);
          got = cat(got, out);
        }
        Bytes out(in.size() + 32), tag = enc ? Bytes(16) : one.out2;
        ASSERT_EQ(c.ae_final(enc, op, ps.back(), &out, &tag), TEEC_SUCCESS)
            << std::hex << alg << " mode " << mode;
        got = cat(got, out);
        EXPECT_EQ(got, enc ? one.out : pt);
        if (enc) EXPECT_EQ(tag, one.out2);
        EXPECT_EQ(c.free_op(op), TEEC_SUCCESS);
      }
      // A flipped tag is MAC_INVALID.
      const uint32_t op = keyed_op(alg, TEE_MODE_DECRYPT, TEE_TYPE_AES, key);
      ASSERT_EQ(c.ae_init(op, nonce, 128, aad.size(), len), TEEC_SUCCESS);
      if (!aad.empty()) ASSERT_EQ(c.update(CRYPT_CMD_AE_UPDATE_AAD, op, aad), TEEC_SUCCESS);
      Bytes out(len + 16), tag = one.out2;
      tag[3] ^= 0x40;
      EXPECT_EQ(c.ae_final(false, op, one.out, &out, &tag), kMacInvalid);
      EXPECT_EQ(c.free_op(op), TEEC_SUCCESS);
    }
  }
}

// ================================================================ 4030..: usage, ids, panics

TEST_F(Regression4000, X4030_UsageFlagsAndObjectInfo) {
  uint32_t k = 0;
  ASSERT_EQ(c.alloc_obj(TEE_TYPE_AES, 256, &k), TEEC_SUCCESS);
  ASSERT_EQ(c.generate(k, 128), TEEC_SUCCESS);
  ObjectInfo info{};
  ASSERT_EQ(c.obj_info(k, &info), TEEC_SUCCESS);
  EXPECT_EQ(info.objectType, static_cast<uint32_t>(TEE_TYPE_AES));
  EXPECT_EQ(info.objectSize, 128u);
  EXPECT_EQ(info.maxObjectSize, 256u);
  EXPECT_EQ(info.objectUsage, 0xFFFFFFFFu);
  EXPECT_NE(info.handleFlags & TEE_HANDLE_FLAG_INITIALIZED, 0u);
  // Restriction only ever narrows.
  ASSERT_EQ(c.restrict_usage(k, TEE_USAGE_ENCRYPT | TEE_USAGE_EXTRACTABLE), TEEC_SUCCESS);
  ASSERT_EQ(c.restrict_usage(k, TEE_USAGE_ENCRYPT | TEE_USAGE_DECRYPT | TEE_USAGE_EXTRACTABLE), TEEC_SUCCESS);
  ASSERT_EQ(c.obj_info(k, &info), TEEC_SUCCESS);
  EXPECT_EQ(info.objectUsage, static_cast<uint32_t>(TEE_USAGE_ENCRYPT | TEE_USAGE_EXTRACTABLE));
  Bytes v(32);
  ASSERT_EQ(c.buffer_attr(k, TEE_ATTR_SECRET_VALUE, &v), TEEC_SUCCESS);
  EXPECT_EQ(v.size(), 16u);
  // An ENCRYPT operation takes it; the info then reports the key.
  uint32_t op = 0;
  ASSERT_EQ(c.alloc_op(TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 256, &op), TEEC_SUCCESS);
  ASSERT_EQ(c.set_key(op, k), TEEC_SUCCESS);
  OperationInfo oi{};
  ASSERT_EQ(c.op_info(op, &oi), TEEC_SUCCESS);
  EXPECT_EQ(oi.algorithm, static_cast<uint32_t>(TEE_ALG_AES_CBC_NOPAD));
  EXPECT_EQ(oi.operationClass, static_cast<uint32_t>(TEE_OPERATION_CIPHER));
  EXPECT_EQ(oi.keySize, 128u);
  EXPECT_EQ(oi.requiredKeyUsage, static_cast<uint32_t>(TEE_USAGE_ENCRYPT));
  EXPECT_NE(oi.handleState & TEE_HANDLE_FLAG_KEY_SET, 0u);
  Bytes multi(sizeof(OperationInfoMultiple) + 2 * sizeof(OperationInfoKey));
  ASSERT_EQ(c.op_info_multiple(op, &multi), TEEC_SUCCESS);
  ASSERT_GE(multi.size(), sizeof(OperationInfoMultiple) + sizeof(OperationInfoKey));
  OperationInfoMultiple m{};
  std::memcpy(&m, multi.data(), sizeof(m));
  EXPECT_EQ(m.numberOfKeys, 1u);
  OperationInfoKey key_info{};
  std::memcpy(&key_info, multi.data() + sizeof(m), sizeof(key_info));
  EXPECT_EQ(key_info.keySize, 128u);
  // CopyObjectAttributes1 carries the value and ANDs the usage.
  uint32_t dst = 0;
  ASSERT_EQ(c.alloc_obj(TEE_TYPE_AES, 128, &dst), TEEC_SUCCESS);
  ASSERT_EQ(c.copy_attrs(dst, k), TEEC_SUCCESS);
  Bytes v2(32);
  ASSERT_EQ(c.buffer_attr(dst, TEE_ATTR_SECRET_VALUE, &v2), TEEC_SUCCESS);
  EXPECT_EQ(v2, v);
  EXPECT_EQ(c.free_obj(dst), TEEC_SUCCESS);
  EXPECT_EQ(c.free_op(op), TEEC_SUCCESS);
  EXPECT_EQ(c.free_obj(k), TEEC_SUCCESS);
}

TEST_F(Regression4000, X4031_BadIdsAreBadParametersAndHarmless) {
  uint32_t op = 0;
  EXPECT_EQ(c.free_op(0), TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(c.free_op(7), TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(c.free_op(CRYPT_MAX_HANDLES + 1), TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(c.free_obj(0xffffffff), TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(c.set_key(3, 0), TEEC_ERROR_BAD_PARAMETERS);
  ASSERT_EQ(c.alloc_op(TEE_ALG_SHA256, TEE_MODE_DIGEST, 0, &op), TEEC_SUCCESS);
  EXPECT_EQ(c.set_key2(op, 55, 0), TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(c.free_op(op), TEEC_SUCCESS);
  EXPECT_EQ(c.free_op(op), TEEC_ERROR_BAD_PARAMETERS);  // freed: the id is gone
  // Malformed attribute blobs are refused before reaching the GP API.
  uint32_t k = 0;
  ASSERT_EQ(c.alloc_obj(TEE_TYPE_AES, 128, &k), TEEC_SUCCESS);
  Bytes blob = secret(Bytes(16, 1));
  blob[8] = 0xff;  // a ref length beyond the blob
  EXPECT_EQ(c.populate(k, blob), TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(c.populate(k, Bytes{99, 0, 0, 0}), TEEC_ERROR_BAD_PARAMETERS);  // too many records
  // Truncated ONESHOT requests and out-of-range spans too.
  OneShot o;
  o.h.algorithm = TEE_ALG_SHA256;
  o.h.mode = TEE_MODE_DIGEST;
  o.h.in = {0, 1000};
  EXPECT_EQ(c.oneshot(o, 32).invoke, TEEC_ERROR_BAD_PARAMETERS);
  // Unknown command, and a known one with the wrong parameter types.
  TEEC_Operation none = make_op(TEEC_PARAM_TYPES(TEEC_NONE, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  Context ctx;
  Session probe;
  ASSERT_EQ(probe.open(ctx.get(), kCrypt), TEEC_SUCCESS);
  EXPECT_EQ(probe.invoke(0xabcdef, &none), TEEC_ERROR_NOT_SUPPORTED);
  EXPECT_EQ(probe.invoke(CRYPT_CMD_ALLOCATE_OPERATION, &none), TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(probe.invoke(CRYPT_CMD_ONESHOT, &none), TEEC_ERROR_BAD_PARAMETERS);
  // Everything still works.
  EXPECT_EQ(c.populate(k, secret(Bytes(16, 1))), TEEC_SUCCESS);
  EXPECT_EQ(c.free_obj(k), TEEC_SUCCESS);
}

// A key without the usage the operation needs: GP mandates a panic.
TEST_F(Regression4000, X4032_KeyWithoutUsagePanics) {
  uint32_t k = 0, op = 0;
  ASSERT_EQ(c.key(TEE_TYPE_AES, 128, secret(Bytes(16, 9)), &k), TEEC_SUCCESS);
  ASSERT_EQ(c.restrict_usage(k, TEE_USAGE_DECRYPT), TEEC_SUCCESS);
  ASSERT_EQ(c.alloc_op(TEE_ALG_AES_ECB_NOPAD, TEE_MODE_ENCRYPT, 128, &op), TEEC_SUCCESS);
  EXPECT_EQ(c.set_key(op, k), TEEC_ERROR_TARGET_DEAD);
  EXPECT_EQ(c.origin(), static_cast<uint32_t>(TEEC_ORIGIN_TEE));
  EXPECT_EQ(c.free_op(op), TEEC_ERROR_TARGET_DEAD);  // the session died with its TA
  // A new session gets a new instance.
  ASSERT_EQ(c.open(), TEEC_SUCCESS);
  ASSERT_EQ(c.key(TEE_TYPE_AES, 128, secret(Bytes(16, 9)), &k), TEEC_SUCCESS);
  ASSERT_EQ(c.restrict_usage(k, TEE_USAGE_DECRYPT), TEEC_SUCCESS);
  ASSERT_EQ(c.alloc_op(TEE_ALG_AES_ECB_NOPAD, TEE_MODE_DECRYPT, 128, &op), TEEC_SUCCESS);
  EXPECT_EQ(c.set_key(op, k), TEEC_SUCCESS);
}

TEST_F(Regression4000, X4033_NonExtractableSecretPanics) {
  uint32_t k = 0;
  ASSERT_EQ(c.key(TEE_TYPE_HMAC_SHA256, 256, secret(Bytes(32, 3)), &k), TEEC_SUCCESS);
  ASSERT_EQ(c.restrict_usage(k, TEE_USAGE_MAC), TEEC_SUCCESS);
  Bytes v(32);
  EXPECT_EQ(c.buffer_attr(k, TEE_ATTR_SECRET_VALUE, &v), TEEC_ERROR_TARGET_DEAD);
}

TEST_F(Regression4000, X4034_StateMachinePanics) {
  // Update before init.
  uint32_t op = keyed_op(TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, TEE_TYPE_AES, Bytes(16, 1));
  Bytes out(32);
  EXPECT_EQ(c.in_out(CRYPT_CMD_CIPHER_UPDATE, op, Bytes(16, 0), &out), TEEC_ERROR_TARGET_DEAD);
  // A digest call on a cipher operation.
  ASSERT_EQ(c.open(), TEEC_SUCCESS);
  op = keyed_op(TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, TEE_TYPE_AES, Bytes(16, 1));
  ASSERT_EQ(c.init(CRYPT_CMD_CIPHER_INIT, op, Bytes(16, 0)), TEEC_SUCCESS);
  EXPECT_EQ(c.update(CRYPT_CMD_DIGEST_UPDATE, op, Bytes(3, 0)), TEEC_ERROR_TARGET_DEAD);
  // Copying between operations of different modes.
  ASSERT_EQ(c.open(), TEEC_SUCCESS);
  uint32_t a = 0, b = 0;
  ASSERT_EQ(c.alloc_op(TEE_ALG_SHA256, TEE_MODE_DIGEST, 0, &a), TEEC_SUCCESS);
  ASSERT_EQ(c.alloc_op(TEE_ALG_SHA1, TEE_MODE_DIGEST, 0, &b), TEEC_SUCCESS);
  EXPECT_EQ(c.copy_op(b, a), TEEC_ERROR_TARGET_DEAD);
  // And a well-formed copy carries progress.
  ASSERT_EQ(c.open(), TEEC_SUCCESS);
  ASSERT_EQ(c.alloc_op(TEE_ALG_SHA256, TEE_MODE_DIGEST, 0, &a), TEEC_SUCCESS);
  ASSERT_EQ(c.alloc_op(TEE_ALG_SHA256, TEE_MODE_DIGEST, 0, &b), TEEC_SUCCESS);
  ASSERT_EQ(c.update(CRYPT_CMD_DIGEST_UPDATE, a, str("ab")), TEEC_SUCCESS);
  ASSERT_EQ(c.copy_op(b, a), TEEC_SUCCESS);
  Bytes h1(32), h2(32);
  ASSERT_EQ(c.in_out(CRYPT_CMD_DIGEST_DO_FINAL, a, str("c"), &h1), TEEC_SUCCESS);
  ASSERT_EQ(c.in_out(CRYPT_CMD_DIGEST_DO_FINAL, b, str("c"), &h2), TEEC_SUCCESS);
  EXPECT_EQ(to_hex(h1), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(h1, h2);
  ASSERT_EQ(c.reset_op(a), TEEC_SUCCESS);
}

}  // namespace
}  // namespace xtest
