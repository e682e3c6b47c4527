// Wycheproof runner: feeds every vector of the supported files through the
// GP API and prints, per file, "N passed, N failed" (+ skipped). This file
// holds the symmetric/KDF handlers, wycheproof_asym_test.cc the asymmetric
// ones, wycheproof_runner.* the shared loop.
//
// Policy:
//  - "valid": the GP result must equal the expected output; "invalid": the
//    GP API must reject it (error, MAC_INVALID or mismatching output);
//    "acceptable": either is fine, but an accepted result must be correct.
//  - Skipped: valid vectors whose parameters GP cannot express (an HMAC key
//    outside GP's size range for the hash, a GCM tag outside 96..128 bits,
//    a CCM tag/nonce outside 4..16 / 7..13 bytes). Counted, never "passed".
//  - AES-CBC-PKCS5 has no GP algorithm: it runs as AES_CBC_NOPAD with the
//    PKCS#7 padding added/checked by the runner (GP's CBC is NOPAD).
//  - HKDF / PBKDF2 (OP-TEE DERIVE_KEY extensions): outputs above GP's
//    GENERIC_SECRET maximum (512 bytes), empty IKM/passwords and HKDF outputs
//    above 255 hash blocks are not expressible (GP would panic).
//  - AES-XTS: Wycheproof's 8-byte sequence-number IV is the little-endian
//    data-unit number, zero-extended to GP's 16-byte tweak.
// Asymmetric files:
//  - Verify vectors: accepted = TEE_AsymmetricVerifyDigest returns SUCCESS;
//    any answer other than SUCCESS / SIGNATURE_INVALID is a failure. The
//    digest is computed with the GP digest API.
//  - DSA/ECDSA DER files: the harness converts DER to GP's r || s; DER that
//    does not parse, is not canonical (BER, extra bytes, negative or padded
//    integers) or whose r/s do not fit the width counts as rejected
//    (Wycheproof marks all of those invalid). The _p1363 files go in as is.
//  - RSA: a key GP cannot hold (modulus outside 256..4096 bits) is skipped.
//    PSS with an MGF1 hash different from the signature hash, and OAEP with
//    a hash GP has no id for (SHA-512/224 ...), are skipped; OAEP with a
//    different MGF1 hash uses OP-TEE's TEE_ATTR_RSA_OAEP_MGF_HASH. Decrypt
//    rejections must be BAD_PARAMETERS (OP-TEE), nothing else.
//  - "acceptable" (weak hashes, small keys, low-order X25519/X448 points,
//    twists): either answer passes, but an accepted result must be correct.
//    This implementation accepts weak hashes and small public exponents and
//    rejects an all-zero X25519/X448 secret (OpenSSL's check).
//  - ECDH/X25519/X448: the secret is taken through asym_derive(), the code
//    TEE_DeriveKey runs, because GP's TEE_DeriveKey has no error return and
//    panics on a rejected peer key (ecdh unit tests cover that panic). The
//    harness computes the key pair's own public value from the private one
//    (GP populates pairs with both) and decodes compressed peer points to
//    GP's X/Y; an encoding that is no curve point counts as rejected.
//    In the SPKI-wrapped ECDH files, DER that does not parse or carries
//    explicit (unnamed) curve parameters counts as rejected by the harness
//    (GP takes raw X/Y; a TA must refuse such a key itself); a point on
//    another named curve goes to GP, which must reject it.
//  - Ed448 (ed448_test.json) does not run: OP-TEE defines no Ed448 key
//    attribute ids, so TEE_TYPE_ED448_* / TEE_ALG_ED448 are NOT_SUPPORTED.
// The directory is $SWTEE_WYCHEPROOF_DIR or shared/testvectors/wycheproof above the checkout.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "ta_runtime/crypto/tests/test_util.h"
#include "ta_runtime/crypto/tests/wycheproof_runner.h"

namespace swtee::ta::crypto::testing {
namespace {

// A key object, or nullptr when GP does not allow that key for the type.
TEE_ObjectHandle try_key(uint32_t type, const Bytes& key) {
  TEE_ObjectHandle h = TEE_HANDLE_NULL;
  if (key.empty() ||
      TEE_AllocateTransientObject(type, static_cast<uint32_t>(key.size() * 8), &h) != TEE_SUCCESS)
    return TEE_HANDLE_NULL;
  TEE_Attribute a;
  TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, key.data(), key.size());
  if (TEE_PopulateTransientObject(h, &a, 1) != TEE_SUCCESS) {
    TEE_FreeTransientObject(h);
    return TEE_HANDLE_NULL;
  }
  return h;
}

TEE_OperationHandle try_op(uint32_t alg, uint32_t mode, uint32_t type, const Bytes& key) {
  TEE_ObjectHandle k = try_key(type, key);
  if (k == TEE_HANDLE_NULL) return TEE_HANDLE_NULL;
  TEE_OperationHandle op = TEE_HANDLE_NULL;
  if (TEE_AllocateOperation(&op, alg, mode, static_cast<uint32_t>(key.size() * 8)) != TEE_SUCCESS) {
    TEE_FreeTransientObject(k);
    return TEE_HANDLE_NULL;
  }
  const TEE_Result r = TEE_SetOperationKey(op, k);
  TEE_FreeTransientObject(k);
  if (r != TEE_SUCCESS) {
    TEE_FreeOperation(op);
    return TEE_HANDLE_NULL;
  }
  return op;
}

Outcome mac_vector(uint32_t alg, uint32_t type, const Json& g, const Json& t) {
  const Bytes key = hex(t["key"].s()), msg = hex(t["msg"].s()), tag = hex(t["tag"].s());
  const size_t tag_bytes = static_cast<size_t>(g["tagSize"].i() / 8);
  TEE_OperationHandle op = try_op(alg, TEE_MODE_MAC, type, key);
  if (op == TEE_HANDLE_NULL) return skip_or_reject(t["result"].s());
  TEE_MACInit(op, nullptr, 0);
  // Feed in two pieces to exercise the multi-part path.
  TEE_MACUpdate(op, msg.data(), msg.size() / 2);
  bool correct = false;
  TEE_OperationInfo info{};
  TEE_GetOperationInfo(op, &info);
  if (tag_bytes == info.digestLength) {
    correct = TEE_MACCompareFinal(op, msg.data() + msg.size() / 2, msg.size() - msg.size() / 2, tag.data(),
                                  tag.size()) == TEE_SUCCESS;
  } else {
    Bytes out(64);
    size_t n = out.size();
    const TEE_Result r =
        TEE_MACComputeFinal(op, msg.data() + msg.size() / 2, msg.size() - msg.size() / 2, out.data(), &n);
    correct = r == TEE_SUCCESS && tag.size() == tag_bytes && n >= tag_bytes &&
              Bytes(out.begin(), out.begin() + static_cast<long>(tag_bytes)) == tag;
  }
  TEE_FreeOperation(op);
  return judge(t["result"].s(), true, correct);
}

Handler hmac(uint32_t alg, uint32_t type) {
  return [=](const Json& g, const Json& t) { return mac_vector(alg, type, g, t); };
}

Outcome ae_vector(uint32_t alg, const Json& g, const Json& t) {
  const Bytes key = hex(t["key"].s()), iv = hex(t["iv"].s()), aad = hex(t["aad"].s()),
              msg = hex(t["msg"].s()), ct = hex(t["ct"].s()), tag = hex(t["tag"].s());
  const uint32_t tag_bits = static_cast<uint32_t>(g["tagSize"].i());
  const std::string result = t["result"].s();
  // No nonce: TEE_AEInit panics on a NULL nonce (as OP-TEE's libutee).
  if (iv.empty()) return skip_or_reject(result);
  // Decrypt (the direction where invalid vectors must be caught).
  TEE_OperationHandle dec = try_op(alg, TEE_MODE_DECRYPT, TEE_TYPE_AES, key);
  if (dec == TEE_HANDLE_NULL) return skip_or_reject(result);
  const TEE_Result init = TEE_AEInit(dec, iv.data(), iv.size(), tag_bits, aad.size(), ct.size());
  if (init != TEE_SUCCESS) {
    TEE_FreeOperation(dec);
    return init == TEE_ERROR_NOT_SUPPORTED || result != "valid" ? skip_or_reject(result) : Outcome::kFail;
  }
  TEE_AEUpdateAAD(dec, aad.data(), aad.size() / 3);
  TEE_AEUpdateAAD(dec, aad.data() + aad.size() / 3, aad.size() - aad.size() / 3);
  Bytes pt(ct.size() + 16);
  size_t n1 = pt.size();
  bool accepted = TEE_AEUpdate(dec, ct.data(), ct.size() / 2, pt.data(), &n1) == TEE_SUCCESS;
  size_t n2 = pt.size() - n1;
  Bytes tg = tag;
  accepted = accepted && TEE_AEDecryptFinal(dec, ct.data() + ct.size() / 2, ct.size() - ct.size() / 2,
                                            pt.data() + n1, &n2, tg.data(), tg.size()) == TEE_SUCCESS;
  TEE_FreeOperation(dec);
  pt.resize(accepted ? n1 + n2 : 0);
  bool correct = accepted && pt == msg;
  if (accepted && correct) {
    // And the encryption direction reproduces ct and tag.
    TEE_OperationHandle enc = try_op(alg, TEE_MODE_ENCRYPT, TEE_TYPE_AES, key);
    Bytes out(msg.size() + 16), otag(16);
    size_t o1 = out.size(), o2 = 0, tl = otag.size();
    correct = enc != TEE_HANDLE_NULL &&
              TEE_AEInit(enc, iv.data(), iv.size(), tag_bits, aad.size(), msg.size()) == TEE_SUCCESS;
    if (correct) {
      TEE_AEUpdateAAD(enc, aad.data(), aad.size());
      correct = TEE_AEUpdate(enc, msg.data(), msg.size() / 2, out.data(), &o1) == TEE_SUCCESS;
      o2 = out.size() - o1;
      correct = correct && TEE_AEEncryptFinal(enc, msg.data() + msg.size() / 2, msg.size() - msg.size() / 2,
                                              out.data() + o1, &o2, otag.data(), &tl) == TEE_SUCCESS;
      out.resize(o1 + o2);
      otag.resize(tl);
      correct = correct && out == ct && otag == tag;
    }
    TEE_FreeOperation(enc);
  }
  return judge(result, accepted, correct);
}

Outcome cbc_pkcs5_vector(const Json&, const Json& t) {
  const Bytes key = hex(t["key"].s()), iv = hex(t["iv"].s()), msg = hex(t["msg"].s()), ct = hex(t["ct"].s());
  const std::string result = t["result"].s();
  TEE_OperationHandle dec = try_op(TEE_ALG_AES_CBC_NOPAD, TEE_MODE_DECRYPT, TEE_TYPE_AES, key);
  if (dec == TEE_HANDLE_NULL) return skip_or_reject(result);
  TEE_CipherInit(dec, iv.data(), iv.size());
  Bytes pt(ct.size() + 16);
  size_t n = pt.size();
  bool accepted = TEE_CipherDoFinal(dec, ct.data(), ct.size(), pt.data(), &n) == TEE_SUCCESS && n != 0;
  TEE_FreeOperation(dec);
  if (accepted) {
    pt.resize(n);
    const uint8_t p = pt.back();
    accepted = p >= 1 && p <= 16 && p <= pt.size();
    for (size_t i = 0; accepted && i < p; ++i) accepted = pt[pt.size() - 1 - i] == p;
    if (accepted) pt.resize(pt.size() - p);
  }
  bool correct = accepted && pt == msg;
  if (correct) {
    Bytes padded = msg;
    const size_t p = 16 - msg.size() % 16;
    padded.insert(padded.end(), p, static_cast<uint8_t>(p));
    TEE_OperationHandle enc = try_op(TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, TEE_TYPE_AES, key);
    TEE_CipherInit(enc, iv.data(), iv.size());
    Bytes out(padded.size());
    size_t m = out.size();
    correct =
        TEE_CipherDoFinal(enc, padded.data(), padded.size(), out.data(), &m) == TEE_SUCCESS && out == ct;
    TEE_FreeOperation(enc);
  }
  return judge(result, accepted, correct);
}

Outcome xts_vector(const Json&, const Json& t) {
  const Bytes key = hex(t["key"].s()), msg = hex(t["msg"].s()), ct = hex(t["ct"].s());
  Bytes iv = hex(t["iv"].s());
  const std::string result = t["result"].s();
  if (iv.size() > 16) return skip_or_reject(result);
  iv.resize(16, 0);
  const Bytes k1(key.begin(), key.begin() + static_cast<long>(key.size() / 2));
  const Bytes k2(key.begin() + static_cast<long>(key.size() / 2), key.end());
  bool accepted = true, correct = true;
  for (uint32_t mode : {TEE_MODE_ENCRYPT, TEE_MODE_DECRYPT}) {
    TEE_ObjectHandle a = try_key(TEE_TYPE_AES, k1), b = try_key(TEE_TYPE_AES, k2);
    TEE_OperationHandle op = TEE_HANDLE_NULL;
    if (a == TEE_HANDLE_NULL || b == TEE_HANDLE_NULL ||
        TEE_AllocateOperation(&op, TEE_ALG_AES_XTS, mode, static_cast<uint32_t>(k1.size() * 8)) !=
            TEE_SUCCESS) {
      TEE_FreeTransientObject(a);
      TEE_FreeTransientObject(b);
      return skip_or_reject(result);
    }
    (void)TEE_SetOperationKey2(op, a, b);
    TEE_FreeTransientObject(a);
    TEE_FreeTransientObject(b);
    const Bytes& in = mode == TEE_MODE_ENCRYPT ? msg : ct;
    const Bytes& want = mode == TEE_MODE_ENCRYPT ? ct : msg;
    TEE_CipherInit(op, iv.data(), iv.size());
    Bytes out(in.size() + 32);
    size_t n1 = out.size();
    bool ok = TEE_CipherUpdate(op, in.data(), in.size() / 3, out.data(), &n1) == TEE_SUCCESS;
    size_t n2 = out.size() - n1;
    ok = ok && TEE_CipherDoFinal(op, in.data() + in.size() / 3, in.size() - in.size() / 3, out.data() + n1,
                                 &n2) == TEE_SUCCESS;
    TEE_FreeOperation(op);
    accepted = accepted && ok;
    out.resize(ok ? n1 + n2 : 0);
    correct = correct && ok && out == want;
  }
  return judge(result, accepted, correct);
}

// Derives `out_len` bytes into a GENERIC_SECRET, or returns nullopt when GP
// cannot express the request (the caller decides skip vs. rejected).
std::optional<Bytes> kdf_derive(uint32_t alg, uint32_t type, uint32_t attr, const Bytes& secret,
                                const std::vector<TEE_Attribute>& params, size_t out_len, size_t max_len) {
  if (out_len == 0 || out_len * 8 > 4096 || out_len > max_len) return std::nullopt;
  TEE_ObjectHandle k = TEE_HANDLE_NULL;
  if (secret.empty() ||
      TEE_AllocateTransientObject(type, static_cast<uint32_t>(secret.size() * 8), &k) != TEE_SUCCESS)
    return std::nullopt;
  TEE_Attribute a;
  TEE_InitRefAttribute(&a, attr, secret.data(), secret.size());
  TEE_OperationHandle op = TEE_HANDLE_NULL;
  if (TEE_PopulateTransientObject(k, &a, 1) != TEE_SUCCESS ||
      TEE_AllocateOperation(&op, alg, TEE_MODE_DERIVE, static_cast<uint32_t>(secret.size() * 8)) !=
          TEE_SUCCESS) {
    TEE_FreeTransientObject(k);
    return std::nullopt;
  }
  (void)TEE_SetOperationKey(op, k);
  TEE_ObjectHandle out = TEE_HANDLE_NULL;
  (void)TEE_AllocateTransientObject(TEE_TYPE_GENERIC_SECRET, 4096, &out);
  TEE_DeriveKey(op, params.data(), static_cast<uint32_t>(params.size()), out);
  Bytes r(out_len);
  size_t n = r.size();
  (void)TEE_GetObjectBufferAttribute(out, TEE_ATTR_SECRET_VALUE, r.data(), &n);
  r.resize(n);
  TEE_FreeTransientObject(out);
  TEE_FreeTransientObject(k);
  TEE_FreeOperation(op);
  return r;
}

Handler hkdf(uint32_t alg, size_t hash_len) {
  return [=](const Json&, const Json& t) {
    const Bytes ikm = hex(t["ikm"].s()), salt = hex(t["salt"].s()), info = hex(t["info"].s()),
                okm = hex(t["okm"].s());
    std::vector<TEE_Attribute> p(3);
    TEE_InitRefAttribute(&p[0], TEE_ATTR_HKDF_SALT, salt.data(), salt.size());
    TEE_InitRefAttribute(&p[1], TEE_ATTR_HKDF_INFO, info.data(), info.size());
    const auto size = static_cast<size_t>(t["size"].i());
    TEE_InitValueAttribute(&p[2], TEE_ATTR_HKDF_OKM_LENGTH, static_cast<uint32_t>(size), 0);
    const auto got = kdf_derive(alg, TEE_TYPE_HKDF_IKM, TEE_ATTR_HKDF_IKM, ikm, p, size, 255 * hash_len);
    if (!got) return skip_or_reject(t["result"].s());
    return judge(t["result"].s(), true, *got == okm);
  };
}

Handler pbkdf2(uint32_t alg) {
  return [=](const Json&, const Json& t) {
    const Bytes pw = hex(t["password"].s()), salt = hex(t["salt"].s()), dk = hex(t["dk"].s());
    std::vector<TEE_Attribute> p(3);
    TEE_InitRefAttribute(&p[0], TEE_ATTR_PBKDF2_SALT, salt.data(), salt.size());
    TEE_InitValueAttribute(&p[1], TEE_ATTR_PBKDF2_ITERATION_COUNT,
                           static_cast<uint32_t>(t["iterationCount"].i()), 0);
    const auto size = static_cast<size_t>(t["dkLen"].i());
    TEE_InitValueAttribute(&p[2], TEE_ATTR_PBKDF2_DKM_LENGTH, static_cast<uint32_t>(size), 0);
    if (t["iterationCount"].i() <= 0) return skip_or_reject(t["result"].s());
    const auto got =
        kdf_derive(alg, TEE_TYPE_PBKDF2_PASSWORD, TEE_ATTR_PBKDF2_PASSWORD, pw, p, size, SIZE_MAX);
    if (!got) return skip_or_reject(t["result"].s());
    return judge(t["result"].s(), true, *got == dk);
  };
}

TEST(Wycheproof, HkdfSha1) { run_file("hkdf_sha1_test.json", hkdf(TEE_ALG_HKDF_SHA1_DERIVE_KEY, 20)); }
TEST(Wycheproof, HkdfSha256) { run_file("hkdf_sha256_test.json", hkdf(TEE_ALG_HKDF_SHA256_DERIVE_KEY, 32)); }
TEST(Wycheproof, HkdfSha384) { run_file("hkdf_sha384_test.json", hkdf(TEE_ALG_HKDF_SHA384_DERIVE_KEY, 48)); }
TEST(Wycheproof, HkdfSha512) { run_file("hkdf_sha512_test.json", hkdf(TEE_ALG_HKDF_SHA512_DERIVE_KEY, 64)); }
TEST(Wycheproof, Pbkdf2Sha1) {
  run_file("pbkdf2_hmacsha1_test.json", pbkdf2(TEE_ALG_PBKDF2_HMAC_SHA1_DERIVE_KEY));
}
TEST(Wycheproof, Pbkdf2Sha224) {
  run_file("pbkdf2_hmacsha224_test.json", pbkdf2(TEE_ALG_PBKDF2_HMAC_SHA224_DERIVE_KEY));
}
TEST(Wycheproof, Pbkdf2Sha256) {
  run_file("pbkdf2_hmacsha256_test.json", pbkdf2(TEE_ALG_PBKDF2_HMAC_SHA256_DERIVE_KEY));
}
TEST(Wycheproof, Pbkdf2Sha384) {
  run_file("pbkdf2_hmacsha384_test.json", pbkdf2(TEE_ALG_PBKDF2_HMAC_SHA384_DERIVE_KEY));
}
TEST(Wycheproof, Pbkdf2Sha512) {
  run_file("pbkdf2_hmacsha512_test.json", pbkdf2(TEE_ALG_PBKDF2_HMAC_SHA512_DERIVE_KEY));
}

TEST(Wycheproof, AesGcm) {
  run_file("aes_gcm_test.json",
           [](const Json& g, const Json& t) { return ae_vector(TEE_ALG_AES_GCM, g, t); });
}
TEST(Wycheproof, AesCcm) {
  run_file("aes_ccm_test.json",
           [](const Json& g, const Json& t) { return ae_vector(TEE_ALG_AES_CCM, g, t); });
}
TEST(Wycheproof, AesCbcPkcs5) { run_file("aes_cbc_pkcs5_test.json", cbc_pkcs5_vector); }
TEST(Wycheproof, AesXts) { run_file("aes_xts_test.json", xts_vector); }
TEST(Wycheproof, AesCmac) { run_file("aes_cmac_test.json", hmac(TEE_ALG_AES_CMAC, TEE_TYPE_AES)); }
TEST(Wycheproof, HmacSha1) { run_file("hmac_sha1_test.json", hmac(TEE_ALG_HMAC_SHA1, TEE_TYPE_HMAC_SHA1)); }
TEST(Wycheproof, HmacSha224) {
  run_file("hmac_sha224_test.json", hmac(TEE_ALG_HMAC_SHA224, TEE_TYPE_HMAC_SHA224));
}
TEST(Wycheproof, HmacSha256) {
  run_file("hmac_sha256_test.json", hmac(TEE_ALG_HMAC_SHA256, TEE_TYPE_HMAC_SHA256));
}
TEST(Wycheproof, HmacSha384) {
  run_file("hmac_sha384_test.json", hmac(TEE_ALG_HMAC_SHA384, TEE_TYPE_HMAC_SHA384));
}
TEST(Wycheproof, HmacSha512) {
  run_file("hmac_sha512_test.json", hmac(TEE_ALG_HMAC_SHA512, TEE_TYPE_HMAC_SHA512));
}
TEST(Wycheproof, HmacSha3_224) {
  run_file("hmac_sha3_224_test.json", hmac(TEE_ALG_HMAC_SHA3_224, TEE_TYPE_HMAC_SHA3_224));
}
TEST(Wycheproof, HmacSha3_256) {
  run_file("hmac_sha3_256_test.json", hmac(TEE_ALG_HMAC_SHA3_256, TEE_TYPE_HMAC_SHA3_256));
}
TEST(Wycheproof, HmacSha3_384) {
  run_file("hmac_sha3_384_test.json", hmac(TEE_ALG_HMAC_SHA3_384, TEE_TYPE_HMAC_SHA3_384));
}
TEST(Wycheproof, HmacSha3_512) {
  run_file("hmac_sha3_512_test.json", hmac(TEE_ALG_HMAC_SHA3_512, TEE_TYPE_HMAC_SHA3_512));
}

}  // namespace
}  // namespace swtee::ta::crypto::testing
